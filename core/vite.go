package core

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// ViteManifestName is where Vite (5 and later) writes its build manifest,
// relative to its output directory.
const ViteManifestName = ".vite/manifest.json"

// ViteChunk is one entry of a Vite build manifest.
type ViteChunk struct {
	// File is the built file, relative to Vite's output directory, such
	// as "assets/main-BRBmoGS9.js".
	File string `json:"file"`
	// Name is the chunk's name, and Src its source path, when Vite records
	// them.
	Name string `json:"name,omitempty"`
	Src  string `json:"src,omitempty"`
	// IsEntry and IsDynamicEntry mark entry points.
	IsEntry        bool `json:"isEntry,omitempty"`
	IsDynamicEntry bool `json:"isDynamicEntry,omitempty"`
	// Imports and DynamicImports are keys of other chunks in the manifest.
	Imports        []string `json:"imports,omitempty"`
	DynamicImports []string `json:"dynamicImports,omitempty"`
	// CSS and Assets are built files the chunk needs.
	CSS    []string `json:"css,omitempty"`
	Assets []string `json:"assets,omitempty"`
}

// ViteManifest is Vite's build manifest (build.manifest), keyed by source
// path relative to the project root, such as "src/main.ts", or by "_" and a
// file name for shared chunks.
type ViteManifest map[string]ViteChunk

// ParseViteManifest parses the content of a Vite manifest. It refuses, with
// an error wrapping ErrUnsafeURL too, a file that is a URL on another host
// (see ViteManifest.Manifest) but one a Resolver would not give out. Every
// error wraps ErrCorruptManifest and says what is wrong in the terms of the
// format: the chunk, the key and the shape it must have.
func ParseViteManifest(data []byte) (ViteManifest, error) {
	v, err := parseViteManifest(string(data))
	if err != nil {
		return nil, &corruptError{kind: "vite manifest", err: err}
	}
	return v, nil
}

// parseViteManifest parses a Vite manifest and returns what is wrong
// without wrapping ErrCorruptManifest.
func parseViteManifest(s string) (ViteManifest, error) {
	var v ViteManifest
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, jsonError(s, err, "chunk")
	}
	for _, key := range slices.Sorted(maps.Keys(v)) {
		c := v[key]
		if c.File == "" {
			return nil, fmt.Errorf("chunk %q has no file", key)
		}
		for _, f := range slices.Concat([]string{c.File}, c.CSS, c.Assets) {
			if isAbsURL(f) {
				if _, err := checkURL(f); err != nil {
					return nil, fmt.Errorf("chunk %q: url %q: %w", key, f, err)
				}
			}
		}
		for _, imp := range slices.Concat(c.Imports, c.DynamicImports) {
			if _, ok := v[imp]; !ok {
				return nil, fmt.Errorf("chunk %q imports unknown chunk %q", key, imp)
			}
		}
	}
	return v, nil
}

// ReadViteManifestFS reads and parses the Vite manifest file name in fsys,
// usually ViteManifestName in Vite's output directory. It refuses what
// ReadManifest refuses.
func ReadViteManifestFS(fsys fs.FS, name string) (ViteManifest, error) {
	return readParsed(fsys, name, "vite manifest", parseViteManifest)
}

// Manifest returns v as a Manifest for New, so that a Resolver's URL of a
// source path such as "src/main.ts" is the built chunk,
// "/static/assets/main-BRBmoGS9.js" with the prefix "/static/". The CSS and
// asset files chunks name are assets too, under their own built names, so
// that the files CSS returns resolve without a warning.
//
// A file with a scheme or starting with "//", such as
// "https://cdn.example.com/x.js", is on another host, as in a flat map
// (see ParseManifest): a chunk's becomes the URL of its asset, and a CSS
// or asset file's is no asset; neither names a file of the output
// directory. ParseViteManifest refuses such a URL if it is unsafe.
//
// A chunk's asset keeps its place in the graph: Asset.Imports holds the
// keys of the chunks it imports statically, as the names of their assets,
// and Asset.CSS its CSS files, both in Vite's order, so that
// Resolver.Entry of a key prints the tags of Vite's backend integration
// guide. Dynamic imports are left out, and so is what is no asset (a file
// on another host). A chunk whose key is no clean path, such as
// "../shared/x.ts" for a source outside Vite's root, has its asset under
// the name of its file, "assets/x-D1a2b3c4.js", unless an asset has that
// name already.
//
// Vite names its files by a hash of its own, which the manifest does not
// record: a Handler serves a chunk's file as immutable (the manifest vouches
// for it) and the CSS and asset files, known by their built names only,
// with CacheRevalidate.
func (v ViteManifest) Manifest() *Manifest {
	m := &Manifest{Version: ManifestVersion, Form: "rename", Assets: make(map[string]Asset, len(v))}
	chunks := make(map[string]string, len(v)) // asset name -> key of its chunk
	names := make(map[string]string, len(v))  // key of a chunk -> name of its asset
	var unnamed []string                      // keys that are no clean path
	for _, key := range slices.Sorted(maps.Keys(v)) {
		c := v[key]
		a, err := foreignAsset(c.File, c.File)
		if err != nil {
			continue
		}
		if name, err := cleanName(key); err == nil {
			m.Assets[name] = a
			chunks[name] = key
			names[key] = name
		} else if a.File != "" {
			unnamed = append(unnamed, key)
		}
		for _, f := range slices.Concat(c.CSS, c.Assets) {
			if isAbsURL(f) {
				continue // on another host: no file of the output directory
			}
			if f, err := cleanName(f); err == nil {
				if _, ok := m.Assets[f]; !ok {
					m.Assets[f] = Asset{File: f}
				}
			}
		}
	}
	// A chunk whose key is no clean path, such as "../shared/x.ts" for a
	// source outside Vite's root, is named by its file, so that the
	// chunks importing it still preload it.
	for _, key := range unnamed {
		a, _ := foreignAsset(v[key].File, v[key].File)
		if _, ok := m.Assets[a.File]; !ok {
			m.Assets[a.File] = a
			chunks[a.File] = key
			names[key] = a.File
		}
	}
	// The graph: a chunk's static imports, as the names of their assets,
	// and its CSS files, in Vite's order, less what is no asset.
	for name, key := range chunks {
		a := m.Assets[name]
		a.Imports = nil
		for _, imp := range v[key].Imports {
			if n, ok := names[imp]; ok {
				a.Imports = append(a.Imports, n)
			}
		}
		a.CSS = graphNames(m, v[key].CSS)
		m.Assets[name] = a
	}
	return m
}

// graphNames returns the names of m's assets that the files names are,
// cleaned, in order, leaving out those that are no asset of m.
func graphNames(m *Manifest, names []string) []string {
	var out []string
	for _, n := range names {
		if c, err := cleanName(n); err == nil && !isAbsURL(n) {
			if _, ok := m.Assets[c]; ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// CSS returns the CSS files the entry needs, for <link rel="stylesheet">
// tags, in the order Vite's backend integration guide gives: the entry's
// own CSS, then that of the chunks it imports, depth first, each file once.
// Paths are relative to Vite's output directory; pass them to
// Resolver.URL. It fails if entry is not in the manifest.
// Resolver.Entry prints these tags, and the others the guide asks for.
func (v ViteManifest) CSS(entry string) ([]string, error) {
	key, ok := v.key(entry)
	if !ok {
		return nil, &LookupError{Name: entry, Err: ErrNotFound}
	}
	return attachedCSS(key, closure(key, v.imports), v.css), nil
}

// Imports returns the files of the JavaScript chunks the entry imports
// statically, directly or not, for <link rel="modulepreload"> tags, in the
// order of Vite's guide: depth first, a chunk after the chunks it
// imports, each once, never the entry itself. It fails if entry is not in
// the manifest.
func (v ViteManifest) Imports(entry string) ([]string, error) {
	key, ok := v.key(entry)
	if !ok {
		return nil, &LookupError{Name: entry, Err: ErrNotFound}
	}
	var files []string
	for _, imp := range closure(key, v.imports) {
		files = append(files, v[imp].File)
	}
	return files, nil
}

// key returns the key of the chunk entry names: entry itself, or entry
// without a leading "/".
func (v ViteManifest) key(entry string) (string, bool) {
	if _, ok := v[entry]; ok {
		return entry, true
	}
	key := strings.TrimPrefix(entry, "/")
	_, ok := v[key]
	return key, ok
}

// imports returns the keys of the chunks the chunk key imports statically.
func (v ViteManifest) imports(key string) []string { return v[key].Imports }

// css returns the CSS files of the chunk key.
func (v ViteManifest) css(key string) []string { return v[key].CSS }
