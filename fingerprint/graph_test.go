package fingerprint_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// graphFiles is a tree with a module graph and a stylesheet graph: every
// kind of reference a build finds.
var graphFiles = map[string]string{
	"js/app.js": `import { a } from "./a.js"; import "./side.mjs"; export * from "../vendor/v.js";
import("./lazy.js"); import { html } from "lit"; import "https://cdn.example/x.js";
const w = new URL("./worker.js", import.meta.url); import "./a.js?v=2";
//# sourceMappingURL=app.js.map`,
	"js/app.js.map":     `{"version":3,"file":"app.js","sources":[],"mappings":""}`,
	"js/a.js":           `import "./b.js"; export const a = 1;`,
	"js/b.js":           `import "./a.js"; export const b = 1;`,
	"js/side.mjs":       `export {}`,
	"js/lazy.js":        `import "./b.js";`,
	"js/worker.js":      `onmessage = () => {};`,
	"vendor/v.js":       `export const v = 1;`,
	"css/main.css":      `@import "base.css"; @import url("/static/css/print.css") print; body { background: url(../img/bg.png) }`,
	"css/base.css":      `@font-face { src: url("../fonts/f.woff2") format("woff2"), url(../fonts/f.woff) } h1 { background: url(../img/bg.png#x) }`,
	"css/print.css":     `/*# sourceMappingURL=print.css.map */`,
	"css/print.css.map": `{"version":3,"file":"print.css","sources":[],"mappings":""}`,
	"fonts/f.woff2":     "woff2",
	"fonts/f.woff":      "woff",
	"img/bg.png":        "png",
}

// wantGraph is the graph of graphFiles: static imports and @imports in
// Imports, url() and new URL() in Refs, each sorted and once; never a
// dynamic import, a source map, a bare specifier or another host.
var wantGraph = map[string][2][]string{
	"js/app.js":    {{"js/a.js", "js/side.mjs", "vendor/v.js"}, {"js/worker.js"}},
	"js/a.js":      {{"js/b.js"}, nil},
	"js/b.js":      {{"js/a.js"}, nil},
	"js/lazy.js":   {{"js/b.js"}, nil},
	"css/main.css": {{"css/base.css", "css/print.css"}, {"img/bg.png"}},
	"css/base.css": {nil, {"fonts/f.woff", "fonts/f.woff2", "img/bg.png"}},
}

// Every form records the same graph: the renamed one, the query form,
// which rewrites nothing, and a build with NoRewrite. The manifest is the
// same bytes build after build, and a Resolver's Entry follows it.
func TestBuildRecordsGraph(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts fingerprint.Options
	}{
		{"rename", fingerprint.Options{StrictRefs: true}},
		{"query", fingerprint.Options{Form: strategy.Query{}}},
		{"norewrite", fingerprint.Options{NoRewrite: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			tt.opts.Logger = slog.New(slog.NewTextHandler(&log, nil))
			build := func() *core.Manifest {
				tree, err := fingerprint.FS(context.Background(), mapFS(graphFiles), tt.opts)
				if err != nil {
					t.Fatal(err)
				}
				return tree.Manifest()
			}
			m := build()
			for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
				a, want := m.Assets[name], wantGraph[name]
				if !slices.Equal(a.Imports, want[0]) || !slices.Equal(a.Refs, want[1]) || a.CSS != nil {
					t.Errorf("%s: imports %q, refs %q, css %q; want %q, %q, none", name, a.Imports, a.Refs, a.CSS, want[0], want[1])
				}
			}
			if log.Len() > 0 {
				t.Errorf("warnings:\n%s", log.String())
			}
			first, err := m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if again, _ := build().Marshal(); !bytes.Equal(first, again) {
					t.Fatalf("the manifest differs from one build to the next:\n%s\n%s", first, again)
				}
			}
			parsed, err := core.ParseManifest(first)
			if err != nil {
				t.Fatal(err)
			}
			r, err := core.New(parsed, core.Options{})
			if err != nil {
				t.Fatal(err)
			}
			html, err := r.EntryHTML("js/app.js")
			if err != nil {
				t.Fatal(err)
			}
			// The script, then a.js, b.js, side.mjs and v.js, never lazy.js.
			if n := strings.Count(html, "modulepreload"); n != 4 || strings.Contains(html, "lazy") {
				t.Errorf("EntryHTML(js/app.js) =\n%s\nwant 4 modulepreloads and no lazy.js", html)
			}
		})
	}
}

// A query build warns of no missing reference, as before it recorded the
// graph; a rename build still does.
func TestQueryGraphSilent(t *testing.T) {
	files := map[string]string{"css/a.css": `body { background: url(gone.png) }`}
	for _, tt := range []struct {
		form  strategy.Form
		warns bool
	}{{strategy.Query{}, false}, {strategy.Rename{}, true}} {
		var log bytes.Buffer
		m, err := buildManifest(context.Background(), mapFS(files), fingerprint.Options{Form: tt.form, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(log.String(), "gone.png"); got != tt.warns {
			t.Errorf("%s: warned %v, want %v:\n%s", tt.form.Name(), got, tt.warns, log.String())
		}
		if a := m.Assets["css/a.css"]; a.Refs != nil {
			t.Errorf("%s: refs %q, want none", tt.form.Name(), a.Refs)
		}
	}
}

// The modulepreloads of Entry name the very URLs the browser resolves
// from the renamed entry's imports: a browser keys modules by URL as
// written, never decoding "%2B" to "+", so a preload of another spelling
// is a wasted fetch, and a module loaded under two spellings runs twice.
// The names hold every byte the resolver percent-encodes and a URL path
// may hold as it is.
func TestEntryPreloadsWhatImportsFetch(t *testing.T) {
	names := []string{"a+b.js", "x,y.js", "p;q=r.js", "at@x.js", "w!$&'()*.js", "sp ace.js"}
	app := ""
	files := map[string]string{}
	for _, n := range names {
		app += "import \"./" + strings.ReplaceAll(n, `"`, `\"`) + "\";\n"
		files["js/"+n] = "export {};"
	}
	files["js/app.js"] = app
	tree, err := fingerprint.FS(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
	if err != nil {
		t.Fatal(err)
	}
	m := tree.Manifest()
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := r.Entry("js/app.js")
	if err != nil {
		t.Fatal(err)
	}
	var preloads []string
	for _, tag := range tags {
		if tag.Rel == "modulepreload" {
			preloads = append(preloads, tag.URL)
		}
	}
	src, err := fs.ReadFile(tree, m.Assets["js/app.js"].File)
	if err != nil {
		t.Fatal(err)
	}
	var fetched []string
	for _, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		spec := strings.TrimSuffix(strings.TrimPrefix(line, `import "./`), `";`)
		fetched = append(fetched, "/static/js/"+spec)
	}
	slices.Sort(preloads)
	slices.Sort(fetched)
	if !slices.Equal(preloads, fetched) {
		t.Errorf("Entry(js/app.js) preloads\n%q\nthe renamed app.js imports\n%s\nwhich fetch\n%q", preloads, src, fetched)
	}
}
