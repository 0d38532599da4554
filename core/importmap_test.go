package core_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// moduleManifest has modules in every spelling the import map takes, and
// assets it leaves out.
func moduleManifest() *core.Manifest {
	const hash = "6f4c113f597494422a7a98c570a40307c74039f30cf5d7cb7bcfa1b5ed50c178"
	asset := func(file, integrity string) core.Asset {
		return core.Asset{File: file, Hash: hash, Size: 21, Integrity: integrity}
	}
	return &core.Manifest{
		Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Length: 12,
		Assets: map[string]core.Asset{
			"js/app.js":        asset("js/app-6f4c113f5974.js", "sha384-AAAA"),
			"js/util.mjs":      asset("js/util-6f4c113f5974.mjs", ""),
			"js/LEGACY.JS":     asset("js/LEGACY-6f4c113f5974.JS", ""),
			"js/my mod ü.js":   asset("js/my mod ü-6f4c113f5974.js", ""),
			"js/node.cjs":      asset("js/node-6f4c113f5974.cjs", ""),
			"css/app.css":      asset("css/app-6f4c113f5974.css", "sha384-BBBB"),
			"js/app.js.map":    asset("js/app-6f4c113f5974.js.map", ""),
			"data/config.json": asset("data/config-6f4c113f5974.json", "sha384-CCCC"),
		},
	}
}

func TestImportMap(t *testing.T) {
	const h = "-6f4c113f5974"
	tests := []struct {
		name string
		opts core.Options
		want string
	}{
		{
			name: "Modules",
			want: `<script type="importmap">{"imports":{` +
				`"/static/js/LEGACY.JS":"/static/js/LEGACY` + h + `.JS",` +
				`"/static/js/app.js":"/static/js/app` + h + `.js",` +
				`"/static/js/my%20mod%20%C3%BC.js":"/static/js/my%20mod%20%C3%BC` + h + `.js",` +
				`"/static/js/util.mjs":"/static/js/util` + h + `.mjs"},` +
				`"integrity":{"/static/js/app` + h + `.js":"sha384-AAAA"}}</script>`,
		},
		{
			name: "BareNames",
			opts: core.Options{Imports: map[string]string{
				"app":       "js/app.js",
				"@acme/cfg": "/data//config.json", // any asset, cleaned
			}},
			want: `<script type="importmap">{"imports":{` +
				`"/static/js/LEGACY.JS":"/static/js/LEGACY` + h + `.JS",` +
				`"/static/js/app.js":"/static/js/app` + h + `.js",` +
				`"/static/js/my%20mod%20%C3%BC.js":"/static/js/my%20mod%20%C3%BC` + h + `.js",` +
				`"/static/js/util.mjs":"/static/js/util` + h + `.mjs",` +
				`"@acme/cfg":"/static/data/config` + h + `.json",` +
				`"app":"/static/js/app` + h + `.js"},` +
				`"integrity":{"/static/data/config` + h + `.json":"sha384-CCCC","/static/js/app` + h + `.js":"sha384-AAAA"}}</script>`,
		},
		{
			name: "RelativePrefix",
			opts: core.Options{Prefix: "static", Imports: map[string]string{"app": "js/app.js"}},
			want: `<script type="importmap">{"imports":{` +
				`"./static/js/LEGACY.JS":"./static/js/LEGACY` + h + `.JS",` +
				`"./static/js/app.js":"./static/js/app` + h + `.js",` +
				`"./static/js/my%20mod%20%C3%BC.js":"./static/js/my%20mod%20%C3%BC` + h + `.js",` +
				`"./static/js/util.mjs":"./static/js/util` + h + `.mjs",` +
				`"app":"./static/js/app` + h + `.js"},` +
				`"integrity":{"./static/js/app` + h + `.js":"sha384-AAAA"}}</script>`,
		},
		{
			name: "BaseURL",
			opts: core.Options{Prefix: "https://cdn.example.com/a/"},
			want: `<script type="importmap">{"imports":{` +
				`"https://cdn.example.com/a/js/LEGACY.JS":"https://cdn.example.com/a/js/LEGACY` + h + `.JS",` +
				`"https://cdn.example.com/a/js/app.js":"https://cdn.example.com/a/js/app` + h + `.js",` +
				`"https://cdn.example.com/a/js/my%20mod%20%C3%BC.js":"https://cdn.example.com/a/js/my%20mod%20%C3%BC` + h + `.js",` +
				`"https://cdn.example.com/a/js/util.mjs":"https://cdn.example.com/a/js/util` + h + `.mjs"},` +
				`"integrity":{"https://cdn.example.com/a/js/app` + h + `.js":"sha384-AAAA"}}</script>`,
		},
		{
			// Strict mode asks nothing more of modules without integrity.
			name: "Strict",
			opts: core.Options{Strict: true, Imports: map[string]string{"util": "js/util.mjs"}},
			want: `<script type="importmap">{"imports":{` +
				`"/static/js/LEGACY.JS":"/static/js/LEGACY` + h + `.JS",` +
				`"/static/js/app.js":"/static/js/app` + h + `.js",` +
				`"/static/js/my%20mod%20%C3%BC.js":"/static/js/my%20mod%20%C3%BC` + h + `.js",` +
				`"/static/js/util.mjs":"/static/js/util` + h + `.mjs",` +
				`"util":"/static/js/util` + h + `.mjs"},` +
				`"integrity":{"/static/js/app` + h + `.js":"sha384-AAAA"}}</script>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResolver(t, moduleManifest(), tt.opts)
			got, err := r.ImportMap()
			if err != nil || got != tt.want {
				t.Fatalf("ImportMap() = %s, %v\nwant %s", got, err, tt.want)
			}
			js, err := r.ImportMapJSON()
			if want := strings.TrimSuffix(strings.TrimPrefix(tt.want, `<script type="importmap">`), "</script>"); err != nil || js != want {
				t.Errorf("ImportMapJSON() = %s, %v\nwant %s", js, err, want)
			}
		})
	}
}

// A module with neither integrity nor bare names gives an import map
// without an integrity section, and a manifest without modules an empty one.
func TestImportMapNoIntegrity(t *testing.T) {
	m := moduleManifest()
	for name, a := range m.Assets {
		a.Integrity = ""
		m.Assets[name] = a
	}
	got, err := newResolver(t, m, core.Options{}).ImportMap()
	if err != nil || strings.Contains(got, "integrity") {
		t.Errorf("ImportMap() without integrity values = %s, %v; want no integrity section", got, err)
	}
	empty := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}}
	const want = `<script type="importmap">{"imports":{}}</script>`
	if got, err := newResolver(t, empty, core.Options{}).ImportMap(); err != nil || got != want {
		t.Errorf("ImportMap() of an empty manifest = %s, %v; want %s", got, err, want)
	}
}

// No asset path or bare name can end the script element early, open a
// comment or another script, or break a line in JavaScript.
func TestImportMapEscaping(t *testing.T) {
	evil := "</script><!--<script>&\u2028\u2029"
	m := moduleManifest()
	m.Assets["js/"+evil+".js"] = core.Asset{File: "js/" + evil + "-6f4c113f5974.js", Hash: m.Assets["js/app.js"].Hash}
	r := newResolver(t, m, core.Options{Imports: map[string]string{evil: "js/app.js", `"quoted\`: "js/app.js"}})
	got, err := r.ImportMap()
	if err != nil {
		t.Fatal(err)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(got, `<script type="importmap">`), "</script>")
	for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		if strings.Contains(inner, bad) {
			t.Errorf("import map JSON holds a raw %q: %s", bad, inner)
		}
	}
	var im struct{ Imports map[string]string }
	if err := json.Unmarshal([]byte(inner), &im); err != nil {
		t.Fatalf("import map JSON does not parse: %v\n%s", err, inner)
	}
	for _, name := range []string{evil, `"quoted\`} {
		if u := im.Imports[name]; u != "/static/js/app-6f4c113f5974.js" {
			t.Errorf("imports[%q] = %q, want the URL of js/app.js", name, u)
		}
	}
}

func TestImportMapMissing(t *testing.T) {
	imports := map[string]string{"app": "js/app.js", "gone": "js/gone.js"}
	t.Run("Fallback", func(t *testing.T) {
		var logs bytes.Buffer
		r := newResolver(t, moduleManifest(), core.Options{Imports: imports, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		got, err := r.ImportMap()
		if err != nil || !strings.Contains(got, `"gone":"/static/js/gone.js"`) {
			t.Errorf("ImportMap() = %s, %v; want gone mapped to its plain URL", got, err)
		}
		if !strings.Contains(logs.String(), "js/gone.js") {
			t.Errorf("no warning naming js/gone.js; logged %q", logs.String())
		}
	})
	t.Run("Strict", func(t *testing.T) {
		r := newResolver(t, moduleManifest(), core.Options{Imports: imports, Strict: true})
		got, err := r.ImportMap()
		var lerr *core.LookupError
		if !errors.Is(err, core.ErrNotFound) || !errors.As(err, &lerr) || lerr.Name != "js/gone.js" || !strings.Contains(err.Error(), `"gone"`) {
			t.Errorf("ImportMap() = %q, %v; want an error naming gone and wrapping a *LookupError for js/gone.js", got, err)
		}
		if _, err := r.ImportMapJSON(); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("ImportMapJSON() error = %v, want ErrNotFound", err)
		}
	})
}

func TestNewRefusesImports(t *testing.T) {
	tests := []struct {
		name, bare, path string
		errIs            error
	}{
		{"Empty", "", "js/app.js", nil},
		{"RootPath", "/js/app.js", "js/app.js", nil},
		{"DotPath", "./app", "js/app.js", nil},
		{"DotDotPath", "../app", "js/app.js", nil},
		{"URL", "https://cdn.example.com/app.js", "js/app.js", nil},
		{"Scheme", "node:fs", "js/app.js", nil},
		{"Prefix", "lib/", "js/app.js", nil},
		{"Control", "app\n", "js/app.js", nil},
		{"NotUTF8", "app\xff", "js/app.js", nil},
		{"EscapingPath", "app", "../etc/passwd", core.ErrInvalidPath},
		{"EmptyPath", "app", "", core.ErrInvalidPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := core.New(moduleManifest(), core.Options{Imports: map[string]string{tt.bare: tt.path}})
			switch {
			case err == nil:
				m, _ := r.ImportMap()
				t.Errorf("New with import %q: %q succeeded, import map %s; want an error", tt.bare, tt.path, m)
			case !strings.Contains(err.Error(), "import "+strconv.Quote(tt.bare)):
				t.Errorf("New error %q does not name the import %q", err, tt.bare)
			case tt.errIs != nil && !errors.Is(err, tt.errIs):
				t.Errorf("New error %q does not wrap %v", err, tt.errIs)
			}
		})
	}
}

// Swap builds the import map of the new manifest; the old one is not
// served again.
func TestImportMapSwap(t *testing.T) {
	r := newResolver(t, moduleManifest(), core.Options{Imports: map[string]string{"app": "js/app.js"}})
	before, err := r.ImportMap()
	if err != nil {
		t.Fatal(err)
	}
	m := moduleManifest()
	m.Assets["js/app.js"] = core.Asset{File: "js/app-0123456789ab.js", Hash: "0123456789ab" + strings.Repeat("0", 52)}
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	after, err := r.ImportMap()
	if err != nil {
		t.Fatal(err)
	}
	if after == before || !strings.Contains(after, `"app":"/static/js/app-0123456789ab.js"`) || strings.Contains(after, "sha384-AAAA") {
		t.Errorf("ImportMap() after Swap = %s; want js/app.js at its new URL, without the old integrity value", after)
	}
}

// After the first call, ImportMap costs no allocation.
func TestImportMapAllocs(t *testing.T) {
	r := newResolver(t, moduleManifest(), core.Options{Imports: map[string]string{"app": "js/app.js"}})
	if _, err := r.ImportMap(); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { r.ImportMap() }); n != 0 {
		t.Errorf("ImportMap() allocates %v times a call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { r.ImportMapJSON() }); n != 0 {
		t.Errorf("ImportMapJSON() allocates %v times a call, want 0", n)
	}
}

// BenchmarkImportMap compares a call of ImportMap, after the first, with a
// call of URL for an asset in the manifest, over a manifest of 1000
// modules.
func BenchmarkImportMap(b *testing.B) {
	m := moduleManifest()
	for i := range 1000 {
		name := "js/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".js"
		m.Assets[name] = core.Asset{File: name, Hash: m.Assets["js/app.js"].Hash}
	}
	r, err := core.New(m, core.Options{Imports: map[string]string{"app": "js/app.js"}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.ImportMap(); err != nil {
		b.Fatal(err)
	}
	b.Run("URLBaseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.URL("js/app.js")
		}
	})
	b.Run("ImportMap", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.ImportMap()
		}
	})
}

// FuzzImportMap checks, for any bare name, that New refuses it or that the
// import map maps it, parses, and holds no byte that could end the script
// element or open another state of the HTML parser.
func FuzzImportMap(f *testing.F) {
	for _, s := range []string{"app", "</script>", "<!--", "<script", "@acme/ui", "\u2028", `\"`, "a&b", "lib/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, bare string) {
		r, err := core.New(moduleManifest(), core.Options{Imports: map[string]string{bare: "js/app.js"}})
		if err != nil {
			return
		}
		got, err := r.ImportMap()
		if err != nil {
			t.Fatal(err)
		}
		inner, ok := strings.CutPrefix(got, `<script type="importmap">`)
		if inner, ok = strings.CutSuffix(inner, "</script>"); !ok {
			t.Fatalf("ImportMap() = %s, not one script element", got)
		}
		if i := strings.IndexAny(inner, "<>&\u2028\u2029"); i >= 0 {
			t.Fatalf("import map JSON holds a raw %q: %s", inner[i], inner)
		}
		var im struct{ Imports map[string]string }
		if err := json.Unmarshal([]byte(inner), &im); err != nil {
			t.Fatalf("import map JSON does not parse: %v\n%s", err, inner)
		}
		if u := im.Imports[bare]; u != "/static/js/app-6f4c113f5974.js" {
			t.Fatalf("imports[%q] = %q, want the URL of js/app.js", bare, u)
		}
	})
}

// Concurrent first calls build the import map once and agree, while Swap
// replaces the manifest; run with -race.
func TestImportMapConcurrent(t *testing.T) {
	r := newResolver(t, moduleManifest(), core.Options{Imports: map[string]string{"app": "js/app.js"}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if s, err := r.ImportMap(); err != nil || !strings.Contains(s, `"app":"/static/js/app-6f4c113f5974.js"`) {
					t.Errorf("ImportMap() = %s, %v", s, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			if err := r.Swap(moduleManifest()); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
}

// TestImportMapKeysAsBrowsersSerialize checks that the key of a module's
// plain URL is spelled as a browser's URL parser (WHATWG) serializes the
// URL of an import of it: "@", "+" and other printable characters as
// written, only the path percent-encode set escaped (and "%", a character
// of the name). A key spelled otherwise never matches, and the browser
// loads the plain file.
func TestImportMapKeysAsBrowsersSerialize(t *testing.T) {
	const hash = "6f4c113f597494422a7a98c570a40307c74039f30cf5d7cb7bcfa1b5ed50c178"
	tests := []struct{ name, key string }{
		{"@scope/pkg/index.js", "/static/@scope/pkg/index.js"},
		{"odd/a+b.js", "/static/odd/a+b.js"},
		{"odd/a=b,c;d!$'()*[]|^~.js", "/static/odd/a=b,c;d!$'()*[]|^~.js"},
		{"odd/a b.js", "/static/odd/a%20b.js"},
		{"odd/ü.js", "/static/odd/%C3%BC.js"},
		{"odd/a#b?c.js", "/static/odd/a%23b%3Fc.js"},
		{"odd/a{b}`c\".js", "/static/odd/a%7Bb%7D%60c%22.js"},
		{"odd/a<b>.js", "/static/odd/a%3Cb%3E.js"},
		{"odd/100%.js", "/static/odd/100%25.js"},
		{"odd/tab\t.js", "/static/odd/tab%09.js"},
	}
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Length: 12, Assets: map[string]core.Asset{}}
	for _, tt := range tests {
		m.Assets[tt.name] = core.Asset{File: strings.TrimSuffix(tt.name, ".js") + "-6f4c113f5974.js", Hash: hash, Size: 1}
	}
	r := newResolver(t, m, core.Options{})
	js, err := r.ImportMapJSON()
	if err != nil {
		t.Fatal(err)
	}
	var im struct{ Imports map[string]string }
	if err := json.Unmarshal([]byte(js), &im); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		u, ok := im.Imports[tt.key]
		if want, _ := r.URL(tt.name); !ok || u != want {
			t.Errorf("import map key %q (asset %q): maps to %q (present: %v), want %q; imports %q", tt.key, tt.name, u, ok, want, im.Imports)
		}
	}
	if len(im.Imports) != len(tests) {
		t.Errorf("import map has %d keys, want %d: %q", len(im.Imports), len(tests), im.Imports)
	}
}
