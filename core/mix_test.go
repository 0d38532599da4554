package core_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// A corrupt Mix manifest is an error wrapping ErrCorruptManifest that
// names the entry.
func TestParseMixManifestCorrupt(t *testing.T) {
	testCorrupt(t, "mix manifest", func(data []byte) error { _, err := core.ParseMixManifest(data); return err }, []corruptCase{
		{"NotJSON", `{"a": "b",}`, "line 1, column 10: invalid JSON: invalid character ',' at start of value"},
		{"Array", `[1]`, `the manifest must be an object of strings, got an array`},
		{"ValueNumber", `{"/js/app.js": "/js/app.js?id=1", "/css/app.css": 5}`, `entry "/css/app.css" must be a string, got a number`},
		{"EscapingKey", `{"/../x.js": "/x.js"}`, `entry "/../x.js": invalid asset path`},
		{"EscapingFile", `{"/x.js": "/../x.js?id=1"}`, `entry "/x.js": file "/../x.js?id=1": invalid asset path`},
	})
	fsys := fstest.MapFS{"public/mix-manifest.json": {Data: []byte(`{"/js/app.js": 5}`)}}
	want := `corrupt mix manifest public/mix-manifest.json: entry "/js/app.js" must be a string, got a number`
	if _, err := core.ReadMixManifestFS(fsys, "public/mix-manifest.json"); !errors.Is(err, core.ErrCorruptManifest) || err.Error() != want {
		t.Errorf("ReadMixManifestFS error %v, want %s", err, want)
	}
}
