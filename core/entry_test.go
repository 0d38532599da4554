package core_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// graphManifest is a build with a module graph: app.js imports a.js and
// b.js, both import c.js (a diamond), c.js imports app.js back (a cycle);
// lazy.js is imported dynamically only, so it is in no list. main.css
// @imports base.css, which @imports reset.css and uses a font.
func graphManifest() *core.Manifest {
	asset := func(file, integrity string, imports ...string) core.Asset {
		return core.Asset{File: file, Hash: "00", Size: 1, Integrity: integrity, Imports: imports}
	}
	return &core.Manifest{
		Version: core.ManifestVersion, Form: "rename",
		Assets: map[string]core.Asset{
			"js/app.js":      asset("js/app.1.js", "sha384-APP", "js/a.js", "js/b.js"),
			"js/a.js":        asset("js/a.1.js", "sha384-A", "js/c.js"),
			"js/b.js":        asset("js/b.1.js", "", "js/c.js"),
			"js/c.js":        asset("js/c.1.js", "sha384-C", "js/app.js"),
			"js/lazy.js":     asset("js/lazy.1.js", ""),
			"js/withcss.mjs": {File: "js/withcss.1.mjs", Imports: []string{"js/a.js"}, CSS: []string{"css/main.css"}},
			"css/main.css":   {File: "css/main.1.css", Integrity: "sha384-MAIN", Imports: []string{"css/base.css"}},
			"css/base.css":   {File: "css/base.1.css", Imports: []string{"css/reset.css"}, Refs: []string{"fonts/f.woff2"}},
			"css/reset.css":  {File: "css/reset.1.css", Integrity: "sha384-RESET"},
			"fonts/f.woff2":  {File: "fonts/f.1.woff2", Integrity: "sha384-FONT"},
			"img/hero.webp":  {File: "img/hero.1.webp", Integrity: "sha384-IMG"},
			"data/x.json":    {File: "data/x.1.json", Integrity: "sha384-JSON"},
			"ext/lib.js":     {ExternalURL: "https://cdn.example.com/lib.js?v=1", Integrity: "sha384-EXT"},
		},
	}
}

func entryResolver(t *testing.T, opts core.Options) *core.Resolver {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return newResolver(t, graphManifest(), opts)
}

func TestEntry(t *testing.T) {
	tests := []struct {
		name string
		opts core.Options
		want string
	}{
		{"js/app.js", core.Options{}, `<script type="module" src="/static/js/app.1.js" integrity="sha384-APP"></script>
<link rel="modulepreload" href="/static/js/c.1.js" integrity="sha384-C">
<link rel="modulepreload" href="/static/js/a.1.js" integrity="sha384-A">
<link rel="modulepreload" href="/static/js/b.1.js">`},
		{"/js//app.js", core.Options{Prefix: "https://cdn.example.com/"}, `<script type="module" src="https://cdn.example.com/js/app.1.js" integrity="sha384-APP"></script>
<link rel="modulepreload" href="https://cdn.example.com/js/c.1.js" integrity="sha384-C">
<link rel="modulepreload" href="https://cdn.example.com/js/a.1.js" integrity="sha384-A">
<link rel="modulepreload" href="https://cdn.example.com/js/b.1.js">`},
		{"js/lazy.js", core.Options{}, `<script type="module" src="/static/js/lazy.1.js"></script>`},
		{"js/withcss.mjs", core.Options{}, `<link rel="stylesheet" href="/static/css/main.1.css" integrity="sha384-MAIN">
<script type="module" src="/static/js/withcss.1.mjs"></script>
<link rel="modulepreload" href="/static/js/b.1.js">
<link rel="modulepreload" href="/static/js/app.1.js" integrity="sha384-APP">
<link rel="modulepreload" href="/static/js/c.1.js" integrity="sha384-C">
<link rel="modulepreload" href="/static/js/a.1.js" integrity="sha384-A">`},
		{"css/main.css", core.Options{}, `<link rel="stylesheet" href="/static/css/main.1.css" integrity="sha384-MAIN">
<link rel="preload" href="/static/css/reset.1.css" as="style">
<link rel="preload" href="/static/css/base.1.css" as="style">`},
		{"css/main.css", core.Options{Prefix: "//cdn.example.com/s/"}, `<link rel="stylesheet" href="//cdn.example.com/s/css/main.1.css" integrity="sha384-MAIN" crossorigin>
<link rel="preload" href="//cdn.example.com/s/css/reset.1.css" as="style">
<link rel="preload" href="//cdn.example.com/s/css/base.1.css" as="style">`},
		{"fonts/f.woff2", core.Options{}, `<link rel="preload" href="/static/fonts/f.1.woff2" as="font" type="font/woff2" crossorigin>`},
		{"ext/lib.js", core.Options{}, `<script type="module" src="https://cdn.example.com/lib.js?v=1" integrity="sha384-EXT"></script>`},
		{"js/missing.js", core.Options{}, `<script type="module" src="/static/js/missing.js"></script>`},
		{"css/missing.css", core.Options{}, `<link rel="stylesheet" href="/static/css/missing.css">`},
		{"src/main.ts", core.Options{ViteDevServer: "http://localhost:5173"}, `<script type="module" src="http://localhost:5173/@vite/client"></script>
<script type="module" src="http://localhost:5173/src/main.ts"></script>`},
		{"/src/my app.css", core.Options{ViteDevServer: "https://[::1]:5173/base/"}, `<script type="module" src="https://[::1]:5173/base/@vite/client"></script>
<link rel="stylesheet" href="https://[::1]:5173/base/src/my%20app.css">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := entryResolver(t, tt.opts)
			got, err := r.EntryHTML(tt.name)
			if err != nil {
				t.Fatalf("EntryHTML(%q): %v", tt.name, err)
			}
			if got != tt.want {
				t.Errorf("EntryHTML(%q) =\n%s\nwant\n%s", tt.name, got, tt.want)
			}
		})
	}
}

func TestPreload(t *testing.T) {
	tests := []struct {
		name, prefix string
		want         core.Tag
		link         string
	}{
		{"js/a.js", "", core.Tag{Rel: "modulepreload", URL: "/static/js/a.1.js", Integrity: "sha384-A"},
			`</static/js/a.1.js>; rel=modulepreload; integrity="sha384-A"`},
		{"css/main.css", "", core.Tag{Rel: "preload", URL: "/static/css/main.1.css", As: "style", Integrity: "sha384-MAIN"},
			`</static/css/main.1.css>; rel=preload; as=style; integrity="sha384-MAIN"`},
		{"css/main.css", "https://cdn.example.com/", core.Tag{Rel: "preload", URL: "https://cdn.example.com/css/main.1.css", As: "style", Integrity: "sha384-MAIN", CrossOrigin: true},
			`<https://cdn.example.com/css/main.1.css>; rel=preload; as=style; integrity="sha384-MAIN"; crossorigin`},
		{"css/base.css", "https://cdn.example.com/", core.Tag{Rel: "preload", URL: "https://cdn.example.com/css/base.1.css", As: "style"},
			`<https://cdn.example.com/css/base.1.css>; rel=preload; as=style`},
		{"fonts/f.woff2", "", core.Tag{Rel: "preload", URL: "/static/fonts/f.1.woff2", As: "font", Type: "font/woff2", CrossOrigin: true},
			`</static/fonts/f.1.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin`},
		{"img/hero.webp", "", core.Tag{Rel: "preload", URL: "/static/img/hero.1.webp", As: "image"},
			`</static/img/hero.1.webp>; rel=preload; as=image`},
		{"data/x.json", "", core.Tag{Rel: "preload", URL: "/static/data/x.1.json", As: "fetch", CrossOrigin: true},
			`</static/data/x.1.json>; rel=preload; as=fetch; crossorigin`},
		{"fonts/NEW.TTF", "", core.Tag{Rel: "preload", URL: "/static/fonts/NEW.TTF", As: "font", Type: "font/ttf", CrossOrigin: true},
			`</static/fonts/NEW.TTF>; rel=preload; as=font; type="font/ttf"; crossorigin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := entryResolver(t, core.Options{Prefix: tt.prefix})
			got, err := r.Preload(tt.name)
			if err != nil {
				t.Fatalf("Preload(%q): %v", tt.name, err)
			}
			if got != tt.want {
				t.Errorf("Preload(%q) = %+v, want %+v", tt.name, got, tt.want)
			}
			if l := got.Link(); l != tt.link {
				t.Errorf("Preload(%q).Link() = %s, want %s", tt.name, l, tt.link)
			}
			html, err := r.PreloadHTML(tt.name)
			if err != nil || html != got.HTML() {
				t.Errorf("PreloadHTML(%q) = %q, %v, want %q", tt.name, html, err, got.HTML())
			}
		})
	}
}

// The Link value of every tag of an entry preloads what the tag loads,
// with the same integrity and crossorigin.
func TestEntryLinks(t *testing.T) {
	r := entryResolver(t, core.Options{Prefix: "https://cdn.example.com/"})
	tags, err := r.Entry("js/withcss.mjs")
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, tag := range tags {
		links = append(links, tag.Link())
	}
	want := []string{
		`<https://cdn.example.com/css/main.1.css>; rel=preload; as=style; integrity="sha384-MAIN"; crossorigin`,
		`<https://cdn.example.com/js/withcss.1.mjs>; rel=modulepreload`,
		`<https://cdn.example.com/js/b.1.js>; rel=modulepreload`,
		`<https://cdn.example.com/js/app.1.js>; rel=modulepreload; integrity="sha384-APP"`,
		`<https://cdn.example.com/js/c.1.js>; rel=modulepreload; integrity="sha384-C"`,
		`<https://cdn.example.com/js/a.1.js>; rel=modulepreload; integrity="sha384-A"`,
	}
	if strings.Join(links, "\n") != strings.Join(want, "\n") {
		t.Errorf("links =\n%s\nwant\n%s", strings.Join(links, "\n"), strings.Join(want, "\n"))
	}
}

// Tags made by hand print their values escaped, in the element and in the
// header, and a tag of no known kind prints nothing.
func TestTagEscaping(t *testing.T) {
	tag := core.Tag{Rel: "preload", URL: `/a"><script>x.js`, As: `font" onload="x`, Type: `font/"woff2`, Integrity: `sha384-"x`, CrossOrigin: true}
	if got, want := tag.HTML(), `<link rel="preload" href="/a&#34;&gt;&lt;script&gt;x.js" as="font&#34; onload=&#34;x" type="font/&#34;woff2" integrity="sha384-&#34;x" crossorigin>`; got != want {
		t.Errorf("HTML() =\n%s\nwant\n%s", got, want)
	}
	if got, want := tag.Link(), `</a%22%3E%3Cscript%3Ex.js>; rel=preload; as=fontonloadx; type="font/woff2"; integrity="sha384-x"; crossorigin`; got != want {
		t.Errorf("Link() =\n%s\nwant\n%s", got, want)
	}
	script := core.Tag{Rel: "script", URL: "/x.js?a=1&b=2"}
	if got, want := script.HTML(), `<script type="module" src="/x.js?a=1&amp;b=2"></script>`; got != want {
		t.Errorf("HTML() = %s, want %s", got, want)
	}
	for _, rel := range []string{"", "icon", `stylesheet"`} {
		if tag := (core.Tag{Rel: rel, URL: "/x"}); tag.HTML() != "" || tag.Link() != "" {
			t.Errorf("Tag{Rel: %q}: HTML() = %q, Link() = %q, want empty", rel, tag.HTML(), tag.Link())
		}
	}
}

// A missing asset follows the resolver's rules: its plain URL and one
// warning, or in strict mode a *LookupError; a path that escapes the root
// is refused in every mode.
func TestEntryMissing(t *testing.T) {
	var log bytes.Buffer
	r := entryResolver(t, core.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	for range 2 {
		if tag, err := r.Preload("img/gone.png"); err != nil || tag.URL != "/static/img/gone.png" {
			t.Errorf("Preload(missing) = %+v, %v", tag, err)
		}
	}
	if n := strings.Count(log.String(), "not in manifest"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, log.String())
	}
	strict := entryResolver(t, core.Options{Strict: true})
	var lerr *core.LookupError
	if _, err := strict.Entry("js/gone.js"); !errors.As(err, &lerr) || !errors.Is(err, core.ErrNotFound) {
		t.Errorf("strict Entry(missing): %v, want a *LookupError wrapping ErrNotFound", err)
	}
	if _, err := strict.PreloadHTML("js/gone.js"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("strict PreloadHTML(missing): %v, want ErrNotFound", err)
	}
	for _, r := range []*core.Resolver{r, strict, entryResolver(t, core.Options{ViteDevServer: "http://localhost:5173/"})} {
		if _, err := r.EntryHTML("../x.js"); !errors.Is(err, core.ErrInvalidPath) {
			t.Errorf("EntryHTML(../x.js): %v, want ErrInvalidPath", err)
		}
		if _, err := r.Preload("a\x00.js"); !errors.Is(err, core.ErrInvalidPath) {
			t.Errorf("Preload(NUL): %v, want ErrInvalidPath", err)
		}
	}
}

// New refuses a dev server URL that is not a safe http or https URL.
func TestViteDevServerRefused(t *testing.T) {
	for _, u := range []string{
		"javascript:alert(1)//", "localhost:5173", "/dev/", "//localhost:5173/", "ftp://localhost/",
		"http://user@localhost:5173/", `http://localhost:5173/"><script>`, "http://localhost:5173/?x", "http://local host/",
	} {
		if _, err := core.New(graphManifest(), core.Options{ViteDevServer: u}); !errors.Is(err, core.ErrUnsafeURL) {
			t.Errorf("New with ViteDevServer %q: %v, want ErrUnsafeURL", u, err)
		}
	}
	r := entryResolver(t, core.Options{ViteDevServer: "HTTP://localhost:5173"})
	if tag, err := r.Preload("src/fonts/a.woff2"); err != nil || tag.URL != "http://localhost:5173/src/fonts/a.woff2" || !tag.CrossOrigin {
		t.Errorf("dev Preload = %+v, %v", tag, err)
	}
}

// Every edge of the graph is a clean name of an asset of the same build:
// ParseManifest, New and Swap refuse the same manifests, naming the asset
// and the edge. A kept generation's edges need only be clean.
func TestManifestGraphChecked(t *testing.T) {
	const head = `{"version": 1, "hash": "", "url": "rename", "assets": {"a.js": {"file": "a.js", "hash": "", "size": 0`
	tests := []struct {
		name, doc, err string
	}{
		{"Imports", head + `, "imports": ["b.js"]}}}`, `asset "a.js": imports "b.js" names no asset of the build`},
		{"Refs", head + `, "refs": ["f.woff2"]}}}`, `asset "a.js": refs "f.woff2" names no asset of the build`},
		{"CSS", head + `, "css": ["a.css"]}}}`, `asset "a.js": css "a.css" names no asset of the build`},
		{"NotClean", head + `, "imports": ["../a.js"]}}}`, `asset "a.js": imports "../a.js" is not a clean relative path`},
		{"NotCleanInGeneration", head + `}}, "generations": [{"assets": {"b.js": {"file": "b.js", "hash": "", "size": 0, "refs": ["/x"]}}}]}`, `generation 1: asset "b.js": refs "/x" is not a clean relative path`},
		{"ImportsAGeneration", head + `, "imports": ["b.js"]}}, "generations": [{"assets": {"b.js": {"file": "b.js", "hash": "", "size": 0}}}]}`, `asset "a.js": imports "b.js" names no asset of the build`},
		{"OK", head + `, "imports": ["a.js"], "refs": [], "css": ["a.js"]}}}`, ``},
		{"GenerationOK", head + `}}, "generations": [{"assets": {"b.js": {"file": "b.js", "hash": "", "size": 0, "imports": ["c.js"]}}}]}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, parse := range []func([]byte) (*core.Manifest, error){core.ParseManifest, core.ParseManifestJSON} {
				_, err := parse([]byte(tt.doc))
				if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.HasSuffix(err.Error(), tt.err)) {
					t.Errorf("parsing %s: %v, want %q", tt.doc, err, tt.err)
				}
			}
			var m core.Manifest
			if err := json.Unmarshal([]byte(tt.doc), &m); err != nil {
				t.Fatal(err)
			}
			_, err := core.New(&m, core.Options{})
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.HasSuffix(err.Error(), tt.err)) {
				t.Errorf("New: %v, want %q", err, tt.err)
			}
			r := entryResolver(t, core.Options{})
			before := r.Manifest()
			if err := r.Swap(&m); (err == nil) != (tt.err == "") {
				t.Errorf("Swap: %v, want %q", err, tt.err)
			} else if err != nil && r.Manifest() != before {
				t.Errorf("a refused Swap changed the manifest")
			}
		})
	}
}

// Entry's tags are made once per manifest: a caller that changes the slice
// changes nothing for the next one, and Swap brings the new manifest's.
func TestEntryCachedPerManifest(t *testing.T) {
	r := entryResolver(t, core.Options{})
	first, err := r.Entry("js/a.js")
	if err != nil {
		t.Fatal(err)
	}
	want := first[0]
	first[0].URL = "/changed.js"
	if again, _ := r.Entry("/js/a.js"); again[0] != want {
		t.Errorf("Entry after the caller changed its slice: %+v, want %+v", again[0], want)
	}
	m := graphManifest()
	a := m.Assets["js/a.js"]
	a.File, a.Imports = "js/a.2.js", nil
	m.Assets["js/a.js"] = a
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.EntryHTML("js/a.js"); got != `<script type="module" src="/static/js/a.2.js" integrity="sha384-A"></script>` {
		t.Errorf("EntryHTML after Swap = %s", got)
	}
}

// Entries are safe to ask for while the manifest is swapped.
func TestEntryConcurrentSwap(t *testing.T) {
	r := entryResolver(t, core.Options{})
	done := make(chan bool)
	go func() {
		for range 50 {
			r.Swap(graphManifest())
		}
		close(done)
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		if html, err := r.EntryHTML("js/app.js"); err != nil || !strings.Contains(html, "js/c.1.js") {
			t.Fatalf("EntryHTML = %s, %v", html, err)
		}
	}
}
