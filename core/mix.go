package core

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
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
// without an id (Mix without versioning) resolves to its path. A value
// with a scheme or starting with "//", such as
// "https://cdn.example.com/js/app.js?id=6f3b…", is an asset on another
// host, as in a flat map (see ParseManifest): it becomes the asset's URL,
// as written, and never names a file; an unsafe one is refused. Every
// error wraps ErrCorruptManifest and names the entry.
func ParseMixManifest(data []byte) (*Manifest, error) {
	m, err := parseMixManifest(string(data))
	if err != nil {
		return nil, &corruptError{kind: "mix manifest", err: err}
	}
	return m, nil
}

// parseMixManifest parses a Mix manifest and returns what is wrong without
// wrapping ErrCorruptManifest.
func parseMixManifest(s string) (*Manifest, error) {
	var flat map[string]string
	if err := json.Unmarshal([]byte(s), &flat); err != nil {
		return nil, jsonError(s, err, "entry")
	}
	form := strategy.Query{Param: "id"}
	m := &Manifest{Version: ManifestVersion, Form: form.Name(), Assets: make(map[string]Asset, len(flat))}
	for _, key := range slices.Sorted(maps.Keys(flat)) {
		value := flat[key]
		name, err := cleanName(key)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %v", key, err)
		}
		p, query, _ := strings.Cut(value, "?")
		a, err := foreignAsset(p, value)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", key, err)
		}
		if a.ExternalURL != "" {
			// On another host: the URL as written, id and all.
			m.Assets[name] = a
			continue
		}
		if _, hash, ok := form.Parse(a.File + "?" + query); ok {
			a.Hash = hash
		}
		m.Assets[name] = a
	}
	return m, nil
}

// ReadMixManifestFS reads and parses the Mix manifest file name in fsys,
// usually MixManifestName in the public directory. It refuses what
// ReadManifest refuses.
func ReadMixManifestFS(fsys fs.FS, name string) (*Manifest, error) {
	return readParsed(fsys, name, "mix manifest", parseMixManifest)
}
