package core

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/cachebust/cachebust/strategy"
)

// MixManifestName is the file name of a Laravel Mix manifest.
const MixManifestName = "mix-manifest.json"

// ParseMixManifest parses a Laravel Mix mix-manifest.json, a map from
// public path to versioned path:
//
//	{"/js/app.js": "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c"}
//
// It returns a Manifest in the query form with the parameter "id", so that
// a Resolver's URL("js/app.js") is "/static/js/app.js?id=6f3b…" with the
// prefix "/static/", and a Handler serves that URL as immutable. An entry
// without an id (Mix without versioning) resolves to its path. Every error
// wraps ErrCorruptManifest.
func ParseMixManifest(data []byte) (*Manifest, error) {
	var flat map[string]string
	if err := json.Unmarshal(data, &flat); err != nil {
		return nil, fmt.Errorf("mix manifest: %w: %v", ErrCorruptManifest, err)
	}
	form := strategy.Query{Param: "id"}
	m := &Manifest{Version: ManifestVersion, URL: form.Name(), Assets: make(map[string]Asset, len(flat))}
	for key, value := range flat {
		name, err := cleanName(key)
		if err != nil {
			return nil, fmt.Errorf("mix manifest: %w: entry %q: %v", ErrCorruptManifest, key, err)
		}
		p, query, _ := strings.Cut(value, "?")
		file, err := cleanName(p)
		if err != nil {
			return nil, fmt.Errorf("mix manifest: %w: entry %q: file %q: %v", ErrCorruptManifest, key, value, err)
		}
		a := Asset{File: file}
		if _, hash, ok := form.Parse(file + "?" + query); ok {
			a.Hash = hash
		}
		m.Assets[name] = a
	}
	return m, nil
}

// ReadMixManifestFS reads and parses the Mix manifest file name in fsys,
// usually MixManifestName in the public directory.
func ReadMixManifestFS(fsys fs.FS, name string) (*Manifest, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read mix manifest: %w", err)
	}
	return ParseMixManifest(data)
}
