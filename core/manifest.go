package core

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cachebust/cachebust/internal/hexdigest"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/internal/recordfile"
	"github.com/cachebust/cachebust/strategy"
)

// ManifestVersion is the version of the manifest format this package writes.
const ManifestVersion = 1

// ManifestName is the default file name of a manifest.
const ManifestName = "cachebust.json"

// Manifest records the result of a build.
type Manifest struct {
	// Version is the manifest format version, ManifestVersion.
	Version int `json:"version"`
	// Hash names the hash strategy, such as "sha256"; empty for a map read
	// from another tool, whose hash is unknown (see Foreign).
	Hash string `json:"hash"`
	// Form names the URL form, such as "rename" or "query".
	Form string `json:"url"`
	// Length is how many digits of a hash appear in URLs; 0 means all.
	Length int `json:"length,omitempty"`
	// Originals reports that fingerprint.Dir copied the original files into an
	// output directory apart from the source, so that plain URLs resolve.
	Originals bool `json:"originals,omitempty"`
	// Assets maps each logical path to what was built for it.
	Assets map[string]Asset `json:"assets"`
	// Generations holds the assets of earlier builds that are still kept on
	// disk, newest first, less those the current build also has.
	Generations []Generation `json:"generations,omitempty"`
}

// Asset is the built form of one file.
type Asset struct {
	// File is the path of the file that serves the asset, relative to the
	// output root: a renamed copy, or the original in the query form.
	// It is empty when ExternalURL is set.
	File string `json:"file,omitempty"`
	// ExternalURL is an absolute URL of the asset on another host, from another
	// tool's manifest, such as "https://cdn.example.com/x.css" or
	// "//cdn.example.com/x.css"; File, Hash, Size and Encodings are then
	// empty. A Resolver gives it out as it is; nothing reads, serves or
	// removes a file for it. It holds only what ParseManifest accepts: an
	// http, https or protocol-relative URL with nothing a page would have
	// to escape.
	ExternalURL string `json:"url,omitempty"`
	// Hash is the full lowercase hex digest of the served bytes.
	Hash string `json:"hash"`
	// Size is the number of served bytes.
	Size int64 `json:"size"`
	// Integrity is the Subresource Integrity value of the served bytes,
	// such as "sha384-<base64>", when the build computed one.
	Integrity string `json:"integrity,omitempty"`
	// Encodings lists, sorted, the precompressed siblings written beside
	// File: "br" for File+".br", "gzip" for File+".gz".
	Encodings []string `json:"encodings,omitempty"`

	// Imports, Refs and CSS are the asset's edges in the graph of the
	// build: logical names of other assets of the same build (never of a
	// kept generation), each a clean relative path. ParseManifest, New and
	// Swap refuse a name that is not clean, and one that names no asset of
	// the current build; an asset of a kept generation is checked for clean
	// names only, since a generation leaves out the assets newer builds
	// share. A manifest without them still loads: its assets have no edges.

	// Imports are the assets this one imports statically: a script's
	// static module imports (import … from "x", import "x", export … from
	// "x", never a dynamic import("x"), which stays lazy) and a
	// stylesheet's @imports. A build of this package sorts them; a Vite
	// chunk's keep Vite's order. Resolver.Entry preloads their closure.
	Imports []string `json:"imports,omitempty"`
	// Refs are the asset's other static references, sorted: url() in a
	// stylesheet (fonts, images) and new URL("x", import.meta.url) in a
	// script. Source maps are not among them.
	Refs []string `json:"refs,omitempty"`
	// CSS are the stylesheets the asset attaches to the page when it
	// runs, in order, such as a Vite chunk's css. A build of this package
	// leaves it empty.
	CSS []string `json:"css,omitempty"`
}

// Generation is the set of assets an earlier build produced and a later one
// still keeps, so that pages rendered against the earlier manifest keep
// working during a rolling deploy.
type Generation struct {
	// Assets maps logical paths to the assets of that build.
	Assets map[string]Asset `json:"assets"`
}

// Marshal returns the manifest's deterministic JSON encoding: sorted keys,
// 2-space indent, a trailing newline. It is what encoding/json's Encoder
// writes with SetEscapeHTML(false) and SetIndent("", "  "), byte for byte.
// It never fails.
func (m *Manifest) Marshal() ([]byte, error) {
	if m == nil {
		return []byte("null\n"), nil
	}
	var e encoder
	e.manifest(m)
	return e.buf, nil
}

// Foreign reports whether m comes from another tool's manifest (a flat
// map, Vite, Laravel Mix) rather than from a cachebust build: its Hash is
// empty, so nothing can check its files' hashes. A build must not take it
// for a previous build of its own.
func (m *Manifest) Foreign() bool { return m.Hash == "" }

// Files returns every file the manifest names and that a build wrote, that
// is, renamed copies and precompressed siblings of the current build and of
// every kept generation, sorted and without duplicates. Assets with a URL
// have no file and are not among them, nor is an entry whose file is not a
// clean relative path (another tool's map may hold one): no build wrote it.
func (m *Manifest) Files() []string {
	if m == nil {
		return nil
	}
	var files []string
	for _, assets := range m.Builds() {
		for name, a := range assets {
			// An asset at its own name with no siblings names nothing a
			// build wrote: the commonest case, and the cheapest test.
			if a.File == name && len(a.Encodings) == 0 || a.ExternalURL != "" || !isClean(a.File) {
				continue
			}
			if a.File != name {
				files = append(files, a.File)
			}
			for _, enc := range a.Encodings {
				files = append(files, a.File+precompressed.Ext(enc))
			}
		}
	}
	sort.Strings(files)
	return slices.Compact(files)
}

// Builds returns the asset maps of the manifest's current build and of its
// kept generations, newest first.
func (m *Manifest) Builds() []map[string]Asset {
	builds := make([]map[string]Asset, 0, 1+len(m.Generations))
	builds = append(builds, m.Assets)
	for _, g := range m.Generations {
		builds = append(builds, g.Assets)
	}
	return builds
}

// MaxManifestSize is the size in bytes of the largest manifest file that
// ReadManifest, ReadManifestFS, ReadViteManifestFS and ReadMixManifestFS
// read: 256 MiB, room for more than a million assets. A larger file is
// refused before it is read, and so is a file that grows past it while it
// is read. The build and publish packages read their manifests and
// records with the same limit.
const MaxManifestSize = recordfile.MaxSize

// ReadManifest reads and parses the manifest file at name, as ParseManifest
// does. It refuses, naming the file, what is not a regular file (a
// directory, a device such as /dev/zero, which would never end, a named
// pipe, which it opens without waiting for a writer) and a file larger
// than MaxManifestSize.
func ReadManifest(name string) (*Manifest, error) {
	data, err := recordfile.Read(name)
	return parseRead(data, err, name, "manifest", parseManifest)
}

// ReadManifestFS reads and parses the manifest file name in fsys, as
// ReadManifest does. An fs.FS cannot be asked to open a named pipe without
// waiting, so the file is looked at before it is opened, and again once it
// is open.
func ReadManifestFS(fsys fs.FS, name string) (*Manifest, error) {
	return readParsed(fsys, name, "manifest", parseManifest)
}

// readParsed reads the file name in fsys, a manifest of the given kind
// ("manifest", "vite manifest"), and parses it with parse, whose error
// then names the file.
func readParsed[T any](fsys fs.FS, name, kind string, parse func(string) (T, error)) (T, error) {
	data, err := recordfile.ReadFS(fsys, name)
	return parseRead(data, err, name, kind, parse)
}

// parseRead parses data, the content of the file name read with the error
// err, as readParsed does.
func parseRead[T any](data string, err error, name, kind string, parse func(string) (T, error)) (T, error) {
	var zero T
	if err != nil {
		return zero, fmt.Errorf("read %s: %w", kind, err)
	}
	v, err := parse(data)
	if err != nil {
		return zero, &corruptError{kind: kind, name: name, err: err}
	}
	return v, nil
}

// ErrCorruptManifest is wrapped by every error about a manifest's content.
var ErrCorruptManifest = errors.New("corrupt manifest")

// corruptError is a problem with a manifest's content: of what kind of
// manifest ("manifest", "vite manifest"), in which file ("" for bytes
// given to a parser), and what. It wraps ErrCorruptManifest and the
// problem.
type corruptError struct {
	kind, name string
	err        error
}

func (e *corruptError) Error() string {
	var b strings.Builder
	b.WriteString("corrupt ")
	b.WriteString(e.kind)
	if p, ok := e.err.(*posError); ok && e.name != "" {
		line, col := p.position()
		fmt.Fprintf(&b, " %s:%d:%d: %v", e.name, line, col, p.err)
		return b.String()
	}
	if e.name != "" {
		b.WriteString(" " + e.name)
	}
	b.WriteString(": ")
	b.WriteString(e.err.Error())
	return b.String()
}

func (e *corruptError) Unwrap() []error { return []error{ErrCorruptManifest, e.err} }

// ParseManifest parses a manifest in this package's format, or one of the
// flat maps other tools write:
//
//   - {"path": "hash"}, where every value is a hex digest, as a script
//     that fingerprints images with CRC-32 writes it. It resolves in the
//     bare query form, css/main.css?3f2a9c1b.
//   - {"path": "hashed path"}, as written by webpack-manifest-plugin and
//     by scripts that copy files to hashed names. A leading "/" is dropped
//     from the hashed path. A value with a scheme or starting with "//" is
//     an asset on another host: it becomes the asset's URL, and must be an
//     http, https or protocol-relative URL with nothing a page would have
//     to escape (no quotes, "<", ">", "&", spaces...), or the manifest is
//     refused; every other value must be a relative path within the root.
//     Two keys that name the same path once cleaned ("/a.css", "a.css")
//     are taken in sorted order, the last one winning.
//
// The manifests of both kinds are Foreign but for ours with a hash
// strategy. ParseManifest validates what it reads: every error wraps
// [ErrCorruptManifest] (and [ErrUnsafeURL] for a URL it refuses) and says
// what is wrong in the terms of the format: the line and column, the
// asset or entry, the key and the shape it must have. An error at a place
// in data matches [*SyntaxError] with errors.As.
//
// The strings of the manifest it returns share one copy of data.
func ParseManifest(data []byte) (*Manifest, error) {
	m, err := parseManifest(string(data))
	if err != nil {
		return nil, &corruptError{kind: "manifest", err: err}
	}
	return m, nil
}

// parseManifest parses a manifest as ParseManifest does, and returns what
// is wrong without wrapping ErrCorruptManifest. The decoder of
// manifestjson.go, on jsontext, reads all but what it leaves to
// encoding/json.
func parseManifest(s string) (*Manifest, error) {
	m, err := decodeManifest(s)
	if errors.Is(err, errFallback) {
		return parseManifestJSON([]byte(s))
	}
	return m, err
}

// parseManifestJSON parses a manifest with encoding/json, which is what
// decodeManifest must agree with: a probe of the top-level keys, then a
// strict decoding of this package's format or the reading of a flat map.
func parseManifestJSON(data []byte) (*Manifest, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError(string(data), err, "")
	}
	if _, ok := probe["version"]; ok {
		if _, ok := probe["assets"]; ok {
			return parseOwnJSON(data)
		}
	}
	flat := make(map[string]string, len(probe))
	for _, k := range slices.Sorted(maps.Keys(probe)) {
		var v string
		if err := json.Unmarshal(probe[k], &v); err != nil {
			return nil, fmt.Errorf("entry %q %s", k, mustBe("a string (a hash or a file)", kindOf(string(probe[k]))))
		}
		flat[k] = v
	}
	return flatManifest(flat)
}

func parseOwnJSON(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, jsonError(string(data), err, "")
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// flatManifest returns the manifest of a flat map. Its keys are taken in
// sorted order, so that of two keys that name the same path once cleaned
// ("/a.css" and "a.css") the last one wins, always the same.
func flatManifest(flat map[string]string) (*Manifest, error) {
	allHex := true
	for _, v := range flat {
		allHex = allHex && hexdigest.Valid(strings.ToLower(v))
	}
	m := &Manifest{Version: ManifestVersion, Form: "rename", Assets: make(map[string]Asset, len(flat))}
	if allHex && len(flat) > 0 {
		m.Form = strategy.Query{}.Name()
	}
	for _, k := range slices.Sorted(maps.Keys(flat)) {
		v := flat[k]
		name, err := cleanName(strings.ReplaceAll(k, `\`, "/"))
		if err != nil {
			return nil, fmt.Errorf("entry %q: %v", k, err)
		}
		if allHex {
			m.Assets[name] = Asset{File: name, Hash: strings.ToLower(v)}
			continue
		}
		a, err := foreignAsset(strings.ReplaceAll(v, `\`, "/"), v)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", k, err)
		}
		m.Assets[name] = a
	}
	return m, nil
}

// foreignAsset returns the asset of a value of another tool's manifest
// that names a built file, v as written and s with its backslashes made
// slashes: the one rule of every format. A value with a scheme or starting
// with "//" is an asset on another host, whose URL it becomes, if checkURL
// accepts it; it never names a file. Any other value is a file, a path
// within the root once cleaned.
func foreignAsset(s, v string) (Asset, error) {
	if isAbsURL(v) || isAbsURL(s) {
		if _, err := checkURL(v); err != nil {
			return Asset{}, fmt.Errorf("url %q: %w", v, err)
		}
		return Asset{ExternalURL: v}, nil
	}
	file, err := cleanName(s)
	if err != nil {
		return Asset{}, fmt.Errorf("file %q: %v", v, err)
	}
	return Asset{File: file}, nil
}

func (m *Manifest) validate() error {
	if err := m.validateHeader(); err != nil {
		return err
	}
	return m.validateAssets()
}

// validateHeader checks what m says of all its assets.
func (m *Manifest) validateHeader() error {
	if m.Version != ManifestVersion {
		return fmt.Errorf("version %d, want %d", m.Version, ManifestVersion)
	}
	if m.Assets == nil {
		return errors.New(`no "assets"`)
	}
	if m.Length < 0 {
		return fmt.Errorf("negative length %d", m.Length)
	}
	if form, err := strategy.FormByName(m.Form); err == nil {
		// What a built-in form adds to a file, such as "?v=" and the hash,
		// goes into URLs unescaped. Other forms are checked by New.
		if s, file := form.Format("a", "0"), form.File("a", "0"); strings.HasPrefix(s, file) {
			if err := checkSafe(s[len(file):]); err != nil {
				return fmt.Errorf("url form %q: %w", m.Form, err)
			}
		}
	}
	return nil
}

// validateAssets checks every asset of m and of its generations, and names
// the first bad one in sorted order.
func (m *Manifest) validateAssets() error {
	checkOne := m.assetCheck()
	check := func(assets map[string]Asset) error {
		for name, a := range assets {
			if err := checkOne(name, a); err != nil {
				return cmp.Or(firstBad(assets, checkOne), err)
			}
		}
		return nil
	}
	if err := check(m.Assets); err != nil {
		return err
	}
	for i, g := range m.Generations {
		if err := check(g.Assets); err != nil {
			return fmt.Errorf("generation %d: %w", i+1, err)
		}
	}
	return checkGraph(m.Assets)
}

// firstBad returns the error of check for the first of assets, in sorted
// order, that it refuses, or nil. A caller that met a refused asset in map
// order asks it, so as to name the same one every time.
func firstBad(assets map[string]Asset, check func(name string, a Asset) error) error {
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		if err := check(name, assets[name]); err != nil {
			return err
		}
	}
	return nil
}

// assetCheck returns the check of one asset of m, with its name: a clean
// path, and an asset as checkAsset wants it.
func (m *Manifest) assetCheck() func(name string, a Asset) error {
	digits := 0
	if m.Hash != "" {
		h, err := strategy.HashByName(m.Hash)
		if err == nil {
			digits = h.Size()
		}
	}
	return func(name string, a Asset) error {
		if !isClean(name) {
			return fmt.Errorf("asset %q: not a clean relative path", name)
		}
		if err := m.checkAsset(a, digits); err != nil {
			return fmt.Errorf("asset %q: %w", name, err)
		}
		return nil
	}
}

// checkAsset checks one asset of m, whose hash strategy makes digests of
// the given number of hex digits (0 if unknown).
func (m *Manifest) checkAsset(a Asset, digits int) error {
	if a.ExternalURL != "" {
		if a.File != "" || a.Hash != "" || a.Size != 0 || len(a.Encodings) > 0 {
			return fmt.Errorf("url %q with a file, hash, size or encodings", a.ExternalURL)
		}
		if _, err := checkURL(a.ExternalURL); err != nil {
			return fmt.Errorf("url %q: %w", a.ExternalURL, err)
		}
		return checkIntegrity(a.Integrity)
	}
	if !isClean(a.File) {
		return fmt.Errorf("file %q is not a clean relative path", a.File)
	}
	isHex := hexdigest.Valid(a.Hash)
	switch {
	case m.Hash != "" && !isHex, digits > 0 && len(a.Hash) != digits:
		return fmt.Errorf("hash %q is not a %s digest", a.Hash, m.Hash)
	case a.Hash != "" && !isHex:
		return fmt.Errorf("hash %q is not lowercase hex", a.Hash)
	case a.Size < 0:
		return errors.New("negative size")
	}
	for _, enc := range a.Encodings {
		if enc != Gzip && enc != Brotli {
			return fmt.Errorf("unknown encoding %q", enc)
		}
	}
	if err := checkEdges(a); err != nil {
		return err
	}
	return checkIntegrity(a.Integrity)
}

// edgeKeys are the keys of an asset's edges, in the order checkEdges
// names them.
var edgeKeys = [...]string{"imports", "refs", "css"}

// edges returns the lists of a's edges, in the order of edgeKeys.
func edges(a Asset) [len(edgeKeys)][]string { return [...][]string{a.Imports, a.Refs, a.CSS} }

// checkEdges checks that every edge of a is a clean relative path.
func checkEdges(a Asset) error {
	for i, names := range edges(a) {
		for _, n := range names {
			if !isClean(n) {
				return fmt.Errorf("%s %q is not a clean relative path", edgeKeys[i], n)
			}
		}
	}
	return nil
}

// hasEdges reports whether a has edges in the graph.
func hasEdges(a Asset) bool { return len(a.Imports)+len(a.Refs)+len(a.CSS) > 0 }

// checkGraph checks that every edge of the assets of one build names an
// asset of that build, and names the first asset, in sorted order, with
// one that does not.
func checkGraph(assets map[string]Asset) error {
	check := func(name string, a Asset) error {
		for i, names := range edges(a) {
			for _, n := range names {
				if _, ok := assets[n]; !ok {
					return fmt.Errorf("asset %q: %s %q names no asset of the build", name, edgeKeys[i], n)
				}
			}
		}
		return nil
	}
	for name, a := range assets {
		if !hasEdges(a) {
			continue
		}
		if err := check(name, a); err != nil {
			return cmp.Or(firstBad(assets, check), err)
		}
	}
	return nil
}

// checkIntegrity checks a Subresource Integrity value: empty, or one
// "sha256-", "sha384-" or "sha512-" and a base64 digest, which needs no
// escaping anywhere in a page.
func checkIntegrity(s string) error {
	if s == "" {
		return nil
	}
	alg, digest, _ := strings.Cut(s, "-")
	if alg != "sha256" && alg != "sha384" && alg != "sha512" || !isBase64(digest) {
		return fmt.Errorf("integrity %q is not one sha256, sha384 or sha512 value in base64", s)
	}
	return nil
}

// isBase64 reports whether s is non-empty standard base64, padded with at
// most two "=".
func isBase64(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" || len(s)-len(body) > 2 {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// cleanName returns the canonical form of a logical path: slash-separated,
// relative, without "." or ".." elements or repeated slashes. A leading "/"
// is dropped. It fails for an empty path, a path that escapes the root, and
// a path containing a NUL byte or a backslash.
func cleanName(name string) (string, error) {
	if isClean(name) {
		return name, nil
	}
	if trimmed := strings.TrimLeft(name, "/"); isClean(trimmed) {
		return trimmed, nil
	}
	if strings.ContainsAny(name, "\x00\\") {
		return "", ErrInvalidPath
	}
	c := path.Clean("/" + name)[1:]
	if c == "" {
		return "", ErrInvalidPath
	}
	// path.Clean("/" + name) cannot climb above the root, so a name with ".."
	// that would escape is recognised by cleaning it relative instead.
	if r := path.Clean(strings.TrimLeft(name, "/")); r == ".." || strings.HasPrefix(r, "../") {
		return "", ErrInvalidPath
	}
	return c, nil
}

// isClean reports whether name is already in the form cleanName returns,
// without allocating.
func isClean(name string) bool {
	if name == "" || name[0] == '/' || name[len(name)-1] == '/' {
		return false
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) {
			if c := name[i]; c == 0 || c == '\\' {
				return false
			} else if c != '/' {
				continue
			}
		}
		if seg := name[start:i]; seg == "" || seg == "." || seg == ".." {
			return false
		}
		start = i + 1
	}
	return true
}
