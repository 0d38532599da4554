package core_test

import (
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
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
	f.Add([]byte(viteGuideManifest))
	f.Fuzz(func(t *testing.T, data []byte) {
		if v, err := core.ParseViteManifest(data); err != nil {
			checkMessage(t, data, err)
		} else {
			checkViteGraph(t, v)
		}
		if _, err := core.ParseMixManifest(data); err != nil {
			checkMessage(t, data, err)
		}
	})
}

// checkViteGraph checks that the manifest of v, graph included, is one New
// accepts and that survives its encoding, and that the entry of each of
// its chunks lists in its modulepreloads the files Imports gives.
func checkViteGraph(t *testing.T, v core.ViteManifest) {
	m := v.Manifest()
	r, err := core.New(m, core.Options{Prefix: "/", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("New(ViteManifest.Manifest()): %v", err)
	}
	data, _ := m.Marshal()
	back, err := core.ParseManifest(data)
	if err != nil {
		t.Fatalf("ParseManifest(Marshal(ViteManifest.Manifest())): %v\n%s", err, data)
	}
	if !reflect.DeepEqual(jsonMarshal(t, back), data) {
		t.Fatalf("the manifest of a Vite manifest changes in its encoding")
	}
	for key, c := range v {
		if !strings.HasSuffix(c.File, ".js") || strings.Contains(key, "..") {
			continue
		}
		tags, err := r.Entry(key)
		if err != nil {
			continue // a key that is no clean path
		}
		if _, ok := m.Assets[strings.TrimPrefix(key, "/")]; !ok {
			continue
		}
		imports, _ := v.Imports(key)
		var preloads []string
		for _, tag := range tags {
			if tag.Rel == "modulepreload" {
				preloads = append(preloads, tag.URL)
			}
		}
		if len(preloads) > len(imports) {
			t.Fatalf("Entry(%q) preloads %q, more than Imports gives, %q", key, preloads, imports)
		}
	}
}

// A file of another tool's manifest with a scheme or starting with "//" is
// a URL on another host in every format: it becomes the asset's URL and
// never a local path ("https:/cdn.example.com/x.js") a server would open;
// an unsafe one is refused.
func TestForeignURLIsNoFile(t *testing.T) {
	const cdn = "https://cdn.example.com/x.js"
	vite, err := core.ParseViteManifest([]byte(`{"src/main.ts": {"file": "` + cdn + `", "css": ["//cdn.example.com/x.css"], "isEntry": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	mix, err := core.ParseMixManifest([]byte(`{"/js/x.js": "` + cdn + `?id=6f3b2a0c9d1e"}`))
	if err != nil {
		t.Fatal(err)
	}
	flat, err := core.ParseManifest([]byte(`{"js/x.js": "` + cdn + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		format, name string
		m            *core.Manifest
		want         string
	}{
		{"vite", "src/main.ts", vite.Manifest(), cdn},
		{"mix", "js/x.js", mix, cdn + "?id=6f3b2a0c9d1e"},
		{"flat", "js/x.js", flat, cdn},
	} {
		if files := tt.m.Files(); len(files) != 0 {
			t.Errorf("%s: Files() = %q, want none", tt.format, files)
		}
		for name, a := range tt.m.Assets {
			if a.File != "" {
				t.Errorf("%s: asset %q has the file %q, want none", tt.format, name, a.File)
			}
		}
		r, err := core.New(tt.m, core.Options{Strict: true})
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		if got, err := r.URL(tt.name); err != nil || got != tt.want {
			t.Errorf("%s: URL(%q) = %q, %v, want %q", tt.format, tt.name, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ format, data string }{
		{"vite", `{"a": {"file": "javascript:alert(1)"}}`},
		{"vite", `{"a": {"file": "a.js", "css": ["https://x/a b.css"]}}`},
		{"mix", `{"/a.js": "javascript:alert(1)?id=1"}`},
		{"mix", `{"/a.js": "//x/\"a.js?id=1"}`},
	} {
		var err error
		if tt.format == "vite" {
			_, err = core.ParseViteManifest([]byte(tt.data))
		} else {
			_, err = core.ParseMixManifest([]byte(tt.data))
		}
		if !errors.Is(err, core.ErrUnsafeURL) || !errors.Is(err, core.ErrCorruptManifest) {
			t.Errorf("%s manifest %s: error %v, want one wrapping ErrUnsafeURL and ErrCorruptManifest", tt.format, tt.data, err)
		}
	}
}

// viteGuideManifest is the example manifest of Vite's backend integration
// guide.
const viteGuideManifest = `{
  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "name": "shared", "css": ["assets/shared-ChJ_j-JJ.css"]},
  "_shared-ChJ_j-JJ.css": {"file": "assets/shared-ChJ_j-JJ.css", "src": "_shared-ChJ_j-JJ.css"},
  "baz.js": {"file": "assets/baz-B2H3sXNv.js", "name": "baz", "src": "baz.js", "isDynamicEntry": true},
  "views/bar.js": {"file": "assets/bar-gkvgaI9m.js", "name": "bar", "src": "views/bar.js", "isEntry": true,
    "imports": ["_shared-B7PI925R.js"], "dynamicImports": ["baz.js"]},
  "views/foo.js": {"file": "assets/foo-BRBmoGS9.js", "name": "foo", "src": "views/foo.js", "isEntry": true,
    "imports": ["_shared-B7PI925R.js"], "css": ["assets/foo-5UjPuW-k.css"]}
}`

// Entry of a key of a Vite manifest prints exactly the tags the guide
// prescribes: the CSS of the entry and of the chunks it imports, the entry
// script, a modulepreload of each imported chunk; never a dynamic import.
func TestViteEntry(t *testing.T) {
	v, err := core.ParseViteManifest([]byte(viteGuideManifest))
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/", Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want string }{
		{"views/foo.js", `<link rel="stylesheet" href="/assets/foo-5UjPuW-k.css">
<link rel="stylesheet" href="/assets/shared-ChJ_j-JJ.css">
<script type="module" src="/assets/foo-BRBmoGS9.js"></script>
<link rel="modulepreload" href="/assets/shared-B7PI925R.js">`},
		{"views/bar.js", `<link rel="stylesheet" href="/assets/shared-ChJ_j-JJ.css">
<script type="module" src="/assets/bar-gkvgaI9m.js"></script>
<link rel="modulepreload" href="/assets/shared-B7PI925R.js">`},
		{"baz.js", `<script type="module" src="/assets/baz-B2H3sXNv.js"></script>`},
	} {
		got, err := r.EntryHTML(tt.name)
		if err != nil || got != tt.want {
			t.Errorf("EntryHTML(%q) =\n%s, %v\nwant\n%s", tt.name, got, err, tt.want)
		}
		// The same files, in the same order, as CSS and Imports give.
		css, _ := v.CSS(tt.name)
		imports, _ := v.Imports(tt.name)
		var want []string
		for _, f := range css {
			want = append(want, `<link rel="stylesheet" href="/`+f+`">`)
		}
		want = append(want, `<script type="module" src="/`+v[tt.name].File+`"></script>`)
		for _, f := range imports {
			want = append(want, `<link rel="modulepreload" href="/`+f+`">`)
		}
		if w := strings.Join(want, "\n"); got != w {
			t.Errorf("EntryHTML(%q) =\n%s\nCSS and Imports give\n%s", tt.name, got, w)
		}
	}
	// The graph survives the manifest's encoding.
	data, err := v.Manifest().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if a := m.Assets["views/foo.js"]; !slices.Equal(a.Imports, []string{"_shared-B7PI925R.js"}) || !slices.Equal(a.CSS, []string{"assets/foo-5UjPuW-k.css"}) {
		t.Errorf("views/foo.js after Marshal and ParseManifest = %+v", a)
	}
}

// A chunk whose key is no clean path, as Vite writes for a source outside
// its root ("../shared/x.ts" in a monorepo), is still preloaded by the
// entries importing it: Entry gives the modulepreloads Imports gives.
func TestViteKeyOutsideRoot(t *testing.T) {
	v, err := core.ParseViteManifest([]byte(`{
  "src/main.ts": {"file": "assets/main-A.js", "isEntry": true, "imports": ["../shared/x.ts", "_v-B.js"]},
  "../shared/x.ts": {"file": "assets/x-D.js", "isDynamicEntry": true, "imports": ["_v-B.js"]},
  "_v-B.js": {"file": "assets/v-B.js"}
}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/"})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := r.Entry("src/main.ts")
	if err != nil {
		t.Fatal(err)
	}
	var preloads []string
	for _, tag := range tags {
		if tag.Rel == "modulepreload" {
			preloads = append(preloads, strings.TrimPrefix(tag.URL, "/"))
		}
	}
	imports, _ := v.Imports("src/main.ts")
	if !slices.Equal(preloads, imports) {
		t.Errorf("Entry(src/main.ts) preloads %q, want what Imports gives, %q", preloads, imports)
	}
}
