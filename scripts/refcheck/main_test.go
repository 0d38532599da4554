package main

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

var tree = map[string]string{
	"js/app.js":     "import { a } from \"./a.js\";\nimport \"lit\";\nimport(\"https://cdn.example/x.js\");\nimport(name);\nconst u = new URL(\"../img/i.png\", import.meta.url);\n//# sourceMappingURL=app.js.map\n",
	"js/a.js":       `import { b } from "./b.js"; export const a = b;`,
	"js/b.js":       `import "./a.js"; export const b = 1;`,
	"js/app.js.map": `{"version":3,"file":"app.js","mappings":""}`,
	"js/odd.js.map": `{"version":3,"file":"nothing.js","mappings":""}`,
	"js/plain.js":   "console.log(1)",
	"css/app.css":   "a{background:url(../img/i.png)}",
	"img/i.png":     "PNG",
}

// buildTree builds tree in memory and returns its manifest and output tree, in
// a MapFS that a test may change.
func buildTree(t *testing.T) (*core.Manifest, fstest.MapFS) {
	t.Helper()
	src := fstest.MapFS{}
	for name, data := range tree {
		src[name] = &fstest.MapFile{Data: []byte(data)}
	}
	served, err := fingerprint.FS(context.Background(), src, fingerprint.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	m := served.Manifest()
	out := fstest.MapFS{}
	for name, a := range m.Assets {
		for _, file := range []string{name, a.File} {
			data, err := fs.ReadFile(served, file)
			if err != nil {
				t.Fatal(err)
			}
			out[file] = &fstest.MapFile{Data: data}
		}
	}
	return m, out
}

func TestCheck(t *testing.T) {
	m, out := buildTree(t)
	var problems []string
	got, err := check(out, m, "/static/", func(p string) { problems = append(problems, p) })
	if err != nil {
		t.Fatal(err)
	}
	want := counts{
		files: 8, referrers: 7, scripts: 4, modules: 3, checked: 7, external: 3,
		specifiers: 6, rewritten: 4, bare: 1, urls: 1, computed: 1,
	}
	if got != want || problems != nil {
		t.Errorf("check = %+v, problems %q\nwant %+v and none", got, problems, want)
	}
}

func TestCheckProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *core.Manifest, out fstest.MapFS)
		want   string
	}{
		{"byte outside a reference", func(m *core.Manifest, out fstest.MapFS) {
			f := out[m.Assets["js/a.js"].File]
			f.Data = []byte(strings.Replace(string(f.Data), "export const a", "export const A", 1))
		}, "bytes after the last reference differ"},
		{"specifier left as written", func(m *core.Manifest, out fstest.MapFS) {
			out[m.Assets["js/app.js"].File] = &fstest.MapFile{Data: []byte(tree["js/app.js"])}
		}, `reference "./a.js": resolves to js/a.js, which is not a renamed file`},
		{"stale target", func(m *core.Manifest, out fstest.MapFS) {
			out[m.Assets["img/i.png"].File] = &fstest.MapFile{Data: []byte("PNG 2")}
		}, "manifest says"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, out := buildTree(t)
			tt.change(m, out)
			var problems []string
			c, err := check(out, m, "/static/", func(p string) { problems = append(problems, p) })
			if err != nil {
				t.Fatal(err)
			}
			if c.problems == 0 || !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", problems, tt.want)
			}
		})
	}
}

func TestCrossCheck(t *testing.T) {
	meta := []byte(`{"inputs":{
		"js/app.js":{"imports":[{"path":"./a.js","kind":"import-statement","external":true},{"path":"lit","kind":"import-statement","external":true},{"path":"https://cdn.example/x.js","kind":"dynamic-import","external":true}]},
		"js/a.js":{"imports":[{"path":"./b.js","kind":"import-statement","external":true},{"path":"<runtime>","kind":"import-statement","external":true}]},
		"js/b.js":{"imports":[{"path":"./a.js","kind":"import-statement"},{"path":"./c.js","kind":"require-call"}]},
		"js/plain.js":{"imports":[{"path":"./missed.js","kind":"import-statement","external":true}]}
	}}`)
	imports, err := esbuildImports(meta)
	if err != nil {
		t.Fatal(err)
	}
	_, out := buildTree(t)
	var problems []string
	files, specifiers, differ, err := crossCheck(out, imports, func(p string) { problems = append(problems, p) })
	if err != nil {
		t.Fatal(err)
	}
	if files != 4 || specifiers != 6 || differ != 1 || len(problems) != 1 || !strings.Contains(problems[0], "js/plain.js") {
		t.Errorf("crossCheck = %d files, %d specifiers, %d differ, problems %q; want 4, 6, 1 about js/plain.js", files, specifiers, differ, problems)
	}
}
