package core_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// A corrupt Vite manifest is an error wrapping ErrCorruptManifest that
// names the chunk, the key and the shape it must have.
func TestParseViteManifestCorrupt(t *testing.T) {
	testCorrupt(t, "vite manifest", func(data []byte) error { _, err := core.ParseViteManifest(data); return err }, []corruptCase{
		{"NotJSON", `{"a": `, `line 1, column 7: invalid JSON: unexpected end of the file`},
		{"Array", `[1]`, `the manifest must be an object of chunks, got an array`},
		{"ChunkNumber", `{"src/main.ts": 5}`, `chunk "src/main.ts" must be a chunk object, got a number`},
		{"FileNumber", `{"src/main.ts": {"file": 5}}`, `chunk "src/main.ts": "file" must be a string, got a number`},
		{"ImportsString", `{"src/main.ts": {"file": "a.js", "imports": "b"}}`, `chunk "src/main.ts": "imports" must be an array of strings, got a string`},
		{"ImportNumber", `{"src/main.ts": {"file": "a.js", "imports": [5]}}`, `chunk "src/main.ts": an item of "imports" must be a string, got a number`},
		{"EntryString", `{"src/main.ts": {"file": "a.js", "isEntry": "yes"}}`, `chunk "src/main.ts": "isEntry" must be true or false, got a string`},
		{"NoFile", `{"b": {"file": "b.js"}, "a": {"file": ""}}`, `chunk "a" has no file`},
		{"UnknownImport", `{"a": {"file": "a.js", "imports": ["_x"]}}`, `chunk "a" imports unknown chunk "_x"`},
	})
	fsys := fstest.MapFS{"dist/.vite/manifest.json": {Data: []byte(`{"src/main.ts": {"file": 5}}`)}}
	want := `corrupt vite manifest dist/.vite/manifest.json: chunk "src/main.ts": "file" must be a string, got a number`
	if _, err := core.ReadViteManifestFS(fsys, "dist/.vite/manifest.json"); !errors.Is(err, core.ErrCorruptManifest) || err.Error() != want {
		t.Errorf("ReadViteManifestFS error %v, want %s", err, want)
	}
}

// Whatever the document, ParseViteManifest returns a manifest or an error
// in the terms of the format, as ParseMixManifest does.
func FuzzParseViteMixManifest(f *testing.F) {
	for _, s := range []string{
		`{"src/main.ts": {"file": "assets/main-1.js", "imports": ["_shared.js"], "css": ["assets/main-2.css"], "isEntry": true}, "_shared.js": {"file": "assets/shared-3.js"}}`,
		`{"src/main.ts": {"file": 5}}`, `{"src/main.ts": {"file": "a.js", "imports": [5]}}`, `{"a": {"Imports": {}}}`,
		`{"/js/app.js": "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c"}`, `{"/js/app.js": 5}`, `[1]`, `null`, `{"a": `, `{"a": "b",}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := core.ParseViteManifest(data); err != nil {
			checkMessage(t, data, err)
		}
		if _, err := core.ParseMixManifest(data); err != nil {
			checkMessage(t, data, err)
		}
	})
}
