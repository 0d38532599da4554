package fingerprint_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// moduleAssets are the files the scripts of the module tests import.
var moduleAssets = map[string]string{
	"js/util.js":     "export const u = 1;",
	"js/lib/x.mjs":   "export default 2;",
	"js/worker.js":   "onmessage = () => {};",
	"js/data.json":   `{"a":1}`,
	"vendor/v.js":    "export const v = 3;",
	"img/logo.png":   "PNG logo",
	"css/widget.css": ":host{color:red}",
}

// TestRewriteModules builds one script at a time, in memory, and checks its
// served copy: module specifiers and new URL(..., import.meta.url) strings
// that name files of the build point at their renamed files, with quotes,
// directory, query and fragment as written; bare specifiers, full URLs,
// computed specifiers and everything else are left byte for byte. In want,
// «name» stands for the base name of the file that serves the asset name.
func TestRewriteModules(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"import from", `import { u } from "./util.js";`, `import { u } from "./«js/util.js»";`},
		{"import side effect", `import './lib/x.mjs'`, `import './lib/«js/lib/x.mjs»'`},
		{"export from", `export * from "../vendor/v.js"; export { u } from './util.js';`, `export * from "../vendor/«vendor/v.js»"; export { u } from './«js/util.js»';`},
		{"minified", `import{u as a}from"./util.js";export*from"./lib/x.mjs";`, `import{u as a}from"./«js/util.js»";export*from"./lib/«js/lib/x.mjs»";`},
		{"dynamic", `const m = await import("./util.js"); import('./lib/x.mjs').then(f);`, `const m = await import("./«js/util.js»"); import('./lib/«js/lib/x.mjs»').then(f);`},
		{"attributes", `import d from "./data.json" with { type: "json" }; import s from "../css/widget.css" with { type: "css" };`, `import d from "./«js/data.json»" with { type: "json" }; import s from "../css/«css/widget.css»" with { type: "css" };`},
		{"new URL", `new Worker(new URL("./worker.js", import.meta.url), { type: "module" }); img.src = new URL('../img/logo.png', import.meta.url).href;`, `new Worker(new URL("./«js/worker.js»", import.meta.url), { type: "module" }); img.src = new URL('../img/«img/logo.png»', import.meta.url).href;`},
		{"new URL without dot", `new URL("util.js", import.meta.url)`, `new URL("«js/util.js»", import.meta.url)`},
		{"root-relative under prefix", `import "/static/js/util.js";`, `import "/static/js/«js/util.js»";`},
		{"query and fragment", `import "./util.js?v=2#x";`, `import "./«js/util.js»?v=2#x";`},
		{"escapes", `import "./\u0075til.js"; import ".\x2futil.js";`, `import "./«js/util.js»"; import ".\x2f«js/util.js»";`},
		{"bare", `import { html } from "lit"; import "util.js"; import "@scope/pkg/x.js";`, `import { html } from "lit"; import "util.js"; import "@scope/pkg/x.js";`},
		{"full URLs", `import "https://cdn.example/js/util.js"; import "//cdn.example/util.js"; import "data:text/javascript,export{}";`, `import "https://cdn.example/js/util.js"; import "//cdn.example/util.js"; import "data:text/javascript,export{}";`},
		{"outside prefix", `import "/other/js/util.js";`, `import "/other/js/util.js";`},
		{"computed", "import(name); import(`./${n}.js`); import(\"./util\" + \".js\"); new URL(x, import.meta.url);", "import(name); import(`./${n}.js`); import(\"./util\" + \".js\"); new URL(x, import.meta.url);"},
		{"comments strings regexps", "// import \"./util.js\"\nconst s = \"import './util.js'\", r = /import\\(\"\\.\\/util\\.js\"\\)/, t = `import(\"./util.js\")`;", "// import \"./util.js\"\nconst s = \"import './util.js'\", r = /import\\(\"\\.\\/util\\.js\"\\)/, t = `import(\"./util.js\")`;"},
		{"require", `const u = require("./util.js");`, `const u = require("./util.js");`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := mapFS(withFiles(moduleAssets, map[string]string{"js/app.js": tt.js}))
			mTree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{StrictRefs: true})
			if err != nil {
				t.Fatal(err)
			}
			m := mTree.Manifest()
			out := mTree
			got, err := fs.ReadFile(out, m.Assets["js/app.js"].File)
			if err != nil {
				t.Fatal(err)
			}
			if want := expand(m, tt.want); string(got) != want {
				t.Errorf("served copy\n got %s\nwant %s", got, want)
			}
			checkOutside(t, "js/app.js", []byte(tt.js), got)
			checkServedRefs(t, out, m, core.DefaultPrefix)
		})
	}
}

// buildFiles builds files in memory, strictly, and returns the manifest.
func buildFiles(t *testing.T, files map[string]string) *core.Manifest {
	t.Helper()
	return buildTree(t, files).Manifest()
}

// buildTree builds files in memory, failing on a missing reference.
func buildTree(t *testing.T, files map[string]string) *fingerprint.Tree {
	t.Helper()
	tree, err := fingerprint.FS(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// checkRenamed checks which of names got a new file from before to after.
func checkRenamed(t *testing.T, change string, before, after *core.Manifest, names []string, changed map[string]bool) {
	t.Helper()
	for _, name := range names {
		b, a := before.Assets[name].File, after.Assets[name].File
		if got, want := b != a, changed[name]; got != want {
			t.Errorf("after changing %s: %s renamed %s -> %s: changed = %v, want %v", change, name, b, a, got, want)
		}
	}
}

// TestModuleHashesFollowImports changes a leaf module and checks that
// exactly the modules that import it, statically or dynamically, directly
// or not, get new names.
func TestModuleHashesFollowImports(t *testing.T) {
	files := map[string]string{
		"js/leaf.js":      "export const leaf = 1;",
		"js/mid.js":       `import { leaf } from "./leaf.js"; export const mid = leaf;`,
		"js/lazy.js":      `export * from "./leaf.js";`,
		"js/app.js":       `import { mid } from "./mid.js"; import("./lazy.js"); import { html } from "lit";`,
		"js/other.js":     "export const other = 1;",
		"js/unrelated.js": `import "./other.js"; import "lit";`,
		"js/asset.js":     `export const logo = new URL("../img/logo.png", import.meta.url);`,
		"img/logo.png":    "PNG 1",
	}
	names := []string{"js/leaf.js", "js/mid.js", "js/lazy.js", "js/app.js", "js/other.js", "js/unrelated.js", "js/asset.js", "img/logo.png"}
	beforeTree := buildTree(t, files)
	before := beforeTree.Manifest()
	after := buildFiles(t, withFiles(files, map[string]string{"js/leaf.js": "export const leaf = 2;"}))
	checkRenamed(t, "js/leaf.js", before, after, names, map[string]bool{"js/leaf.js": true, "js/mid.js": true, "js/lazy.js": true, "js/app.js": true})
	after = buildFiles(t, withFiles(files, map[string]string{"img/logo.png": "PNG 2"}))
	checkRenamed(t, "img/logo.png", before, after, names, map[string]bool{"img/logo.png": true, "js/asset.js": true})

	app, err := fs.ReadFile(beforeTree, before.Assets["js/app.js"].File)
	if err != nil {
		t.Fatal(err)
	}
	want := `import { mid } from "./` + path.Base(before.Assets["js/mid.js"].File) + `"; import("./` + path.Base(before.Assets["js/lazy.js"].File) + `"); import { html } from "lit";`
	if string(app) != want {
		t.Errorf("js/app.js copy = %s, want %s", app, want)
	}
}

// TestModuleCycles checks the documented outcome for modules that import
// each other, as module graphs often do: a 2-cycle and a 3-cycle build the
// same way in every directory, every specifier points at the final name,
// and a change to any member renames every member of its cycle and the
// modules that import it, and nothing else.
func TestModuleCycles(t *testing.T) {
	files := map[string]string{
		"js/a.js":     `import { b } from "./b.js"; export const a = () => b;`,
		"js/b.js":     `import { a } from "./a.js"; export const b = () => a;`,
		"js/x.js":     `import "./y.js"; export const x = 1;`,
		"js/y.js":     `import "./sub/z.js"; export const y = 1;`,
		"js/sub/z.js": `export const z = () => import("../x.js"); import "../leaf.js";`,
		"js/leaf.js":  "export const leaf = 1;",
		"js/main.js":  `import "./a.js"; import "./x.js";`,
		"js/solo.js":  `import "./b.js";`,
	}
	two := []string{"js/a.js", "js/b.js"}
	three := []string{"js/x.js", "js/y.js", "js/sub/z.js"}
	names := append(append([]string{"js/leaf.js", "js/main.js", "js/solo.js"}, two...), three...)

	m := buildFiles(t, files)
	dir1, dir2 := t.TempDir(), t.TempDir()
	var manifests [][]byte
	for _, dir := range []string{dir1, dir2} {
		writeTree(t, dir, files)
		res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: fingerprint.Options{StrictRefs: true}})
		if err != nil {
			t.Fatal(err)
		}
		if err := fingerprint.Verify(os.DirFS(dir), res.Manifest); err != nil {
			t.Error(err)
		}
		if n := checkServedRefs(t, os.DirFS(dir), res.Manifest, core.DefaultPrefix); n != 9 {
			t.Errorf("checked %d references, want 9", n)
		}
		data, _ := res.Manifest.Marshal()
		manifests = append(manifests, data)
	}
	if want, _ := m.Marshal(); !bytes.Equal(manifests[0], manifests[1]) || !bytes.Equal(manifests[0], want) {
		t.Errorf("builds differ:\n%s\n%s\nin memory:\n%s", manifests[0], manifests[1], want)
	}

	for _, tt := range []struct {
		change  string
		renamed []string
	}{
		{"js/a.js", append([]string{"js/main.js", "js/solo.js"}, two...)},
		{"js/b.js", append([]string{"js/main.js", "js/solo.js"}, two...)},
		{"js/y.js", append([]string{"js/main.js"}, three...)},
		{"js/sub/z.js", append([]string{"js/main.js"}, three...)},
		{"js/leaf.js", append([]string{"js/main.js", "js/leaf.js"}, three...)},
	} {
		changed := make(map[string]bool)
		for _, name := range tt.renamed {
			changed[name] = true
		}
		changed[tt.change] = true
		after := buildFiles(t, withFiles(files, map[string]string{tt.change: files[tt.change] + "\n// 2"}))
		checkRenamed(t, tt.change, m, after, names, changed)
	}
}

// TestSourceMapPairing checks how a script and its source map name each
// other: the served script's sourceMappingURL names the served map, wherever
// the comment stands, and the served map's "file" names the served script.
// The two form a reference cycle, so a change to either renames both. A map
// whose "file" names no file of the build keeps it, without a warning.
func TestSourceMapPairing(t *testing.T) {
	files := map[string]string{
		"js/app.js":      "var x = 1; //# sourceMappingURL=app.js.map",
		"js/app.js.map":  `{"version":3,"file":"app.js","sources":["../src/app.ts"],"mappings":"AAAA"}`,
		"js/lone.js":     "var y = 2;",
		"js/lone.js.map": `{"version":3,"file":"lone.js","mappings":""}`,
		"js/odd.js.map":  `{"version":3,"file":"out/odd.js","mappings":""}`,
		"css/a.css":      "a{}\n/*# sourceMappingURL=a.css.map */",
		"css/a.css.map":  `{"version":3,"file":"a.css","mappings":""}`,
	}
	names := []string{"js/app.js", "js/app.js.map", "js/lone.js", "js/lone.js.map", "js/odd.js.map", "css/a.css", "css/a.css.map"}
	served := buildTree(t, files)
	m := served.Manifest()
	read := func(name string) string {
		t.Helper()
		b, err := fs.ReadFile(served, m.Assets[name].File)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	base := func(name string) string { return path.Base(m.Assets[name].File) }
	for name, want := range map[string]string{
		"js/app.js":      "var x = 1; //# sourceMappingURL=" + base("js/app.js.map"),
		"js/app.js.map":  `{"version":3,"file":"` + base("js/app.js") + `","sources":["../src/app.ts"],"mappings":"AAAA"}`,
		"js/lone.js.map": `{"version":3,"file":"` + base("js/lone.js") + `","mappings":""}`,
		"js/odd.js.map":  files["js/odd.js.map"],
		"css/a.css.map":  `{"version":3,"file":"` + base("css/a.css") + `","mappings":""}`,
	} {
		if got := read(name); got != want {
			t.Errorf("%s served as %s, want %s", name, got, want)
		}
	}
	if n := checkServedRefs(t, served, m, core.DefaultPrefix); n != 5 {
		t.Errorf("checked %d references, want 5", n)
	}

	for _, tt := range []struct {
		change  string
		renamed []string
	}{
		{"js/app.js", []string{"js/app.js", "js/app.js.map"}},
		{"js/app.js.map", []string{"js/app.js", "js/app.js.map"}},
		{"js/lone.js", []string{"js/lone.js", "js/lone.js.map"}},
		{"js/lone.js.map", []string{"js/lone.js.map"}},
		{"css/a.css.map", []string{"css/a.css", "css/a.css.map"}},
	} {
		changed := make(map[string]bool)
		for _, name := range tt.renamed {
			changed[name] = true
		}
		data := files[tt.change] + " "
		after := buildFiles(t, withFiles(files, map[string]string{tt.change: data}))
		checkRenamed(t, tt.change, m, after, names, changed)
	}
}

// TestMissingModules checks that a relative specifier naming no file of the
// build is a missing reference, as for stylesheets, and a bare one is not.
func TestMissingModules(t *testing.T) {
	files := map[string]string{
		"js/app.js": "import \"lit\";\nimport { x } from \"./missing.js\";\nimport(\"util\");\n",
	}
	var log bytes.Buffer
	_, err := buildManifest(context.Background(), mapFS(files), fingerprint.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(log.String(), "level=WARN"); got != 1 || !strings.Contains(log.String(), "js/app.js:2") || !strings.Contains(log.String(), "js/missing.js") {
		t.Errorf("log = %q, want one warning about js/app.js:2 and js/missing.js", log.String())
	}
	_, err = buildManifest(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
	if err == nil || !strings.Contains(err.Error(), `js/app.js:2: reference "./missing.js"`) || strings.Contains(err.Error(), "lit") {
		t.Errorf("strict Build = %v, want an error naming js/app.js:2 and ./missing.js only", err)
	}
}
