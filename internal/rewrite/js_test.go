package rewrite_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// jsTests are the table of FindJS cases; they also seed the fuzzers. In
// the inputs, "'" inside a regular expression or after a division is a
// trap: read as the start of a string it would hide what follows.
var jsTests = []findTest{
	// Import and export declarations.
	{"import side effect", `import "./a.js";`, []string{`module:./a.js "`}},
	{"import default", `import a from './a.js'`, []string{"module:./a.js '"}},
	{"import namespace", `import * as ns from "../lib/a.mjs";`, []string{`module:../lib/a.mjs "`}},
	{"import named", `import { a, b as c } from "./a.js";`, []string{`module:./a.js "`}},
	{"import default and named", `import a, { b } from "./a.js"; import d, * as e from "./b.js"`, []string{`module:./a.js "`, `module:./b.js "`}},
	{"import multi-line", "import {\n  a,\n  b,\n} from \"./a.js\";\n", []string{`module:./a.js "`}},
	{"import attributes", `import data from "./data.json" with { type: "json" }; import s from "./a.css" assert { type: "css" };`, []string{`module:./data.json "`, `module:./a.css "`}},
	{"import string names", `import { "a-b" as ab } from "./a.js"; export { x as "y-z" } from "./b.js";`, []string{`module:./a.js "`, `module:./b.js "`}},
	{"export star", `export * from "./a.js"; export * as ns from "./b.js";`, []string{`module:./a.js "`, `module:./b.js "`}},
	{"export named", `export { a, b as c } from "./a.js"; export { default } from "./b.js";`, []string{`module:./a.js "`, `module:./b.js "`}},
	{"minified", `import{a as b}from"./a.js";import"./b.js";export*from"./c.js";export{d}from"./d.js";`, []string{`module:./a.js "`, `module:./b.js "`, `module:./c.js "`, `module:./d.js "`}},
	{"comments between", `import /* "./x.js" */ a /* y */ from /* z */ "./a.js" // "./w.js"`, []string{`module:./a.js "`}},
	{"from as a name", `import { from } from "./a.js"; import from from "./b.js";`, []string{`module:./a.js "`, `module:./b.js "`}},
	{"bare and full URLs are found", `import { LitElement } from "lit"; import "@lit/reactive-element"; import "https://cdn.example/x.js";`, []string{`module:lit "`, `module:@lit/reactive-element "`, `module:https://cdn.example/x.js "`}},
	{"root-relative", `import "/static/js/a.js";`, []string{`module:/static/js/a.js "`}},
	{"query and fragment", `import "./a.js?v=1#x";`, []string{`module:./a.js?v=1#x "`}},

	// Dynamic import.
	{"dynamic", `const m = import("./a.js"); await import('./b.js'); import ( "./c.js" )`, []string{`dynamic module:./a.js "`, "dynamic module:./b.js '", `dynamic module:./c.js "`}},
	{"dynamic with options", `import("./a.json", { with: { type: "json" } }); import("./b.js",)`, []string{`dynamic module:./a.json "`, `dynamic module:./b.js "`}},
	{"dynamic in template", "`${import(\"./a.js\")}` + `${`${import('./b.js')}`}`", []string{`dynamic module:./a.js "`, "dynamic module:./b.js '"}},
	{"dynamic in arrow", `const load = () => import("./a.js"); routes = { a: () => import("./b.js") };`, []string{`dynamic module:./a.js "`, `dynamic module:./b.js "`}},
	{"dynamic computed", "import(name); import(\"./a\" + \".js\"); import(`./a.js`); import(`./${x}.js`); import((\"./a.js\")); import(x ? \"./a.js\" : \"./b.js\")", nil},
	{"method named import", `obj.import("./a.js"); obj?.import("./b.js"); class A { import(x) {} }`, nil},
	{"import.meta", `console.log(import.meta.url, import.meta.resolve("./a.js"))`, nil},

	// new URL(..., import.meta.url).
	{"new URL", `const u = new URL("./a.png", import.meta.url);`, []string{`newurl:./a.png "`}},
	{"new URL no dot", `new URL('img/a.png', import.meta.url).href`, []string{"newurl:img/a.png '"}},
	{"new URL worker", `new Worker(new URL("./w.js", import.meta.url), { type: "module" })`, []string{`newurl:./w.js "`}},
	{"new URL spread out", "new URL(\n  \"../img/a.png\",\n  import . meta . url,\n)", []string{`newurl:../img/a.png "`}},
	{"new URL other base", `new URL("./a.png"); new URL("./a.png", base); new URL("./a.png", location.href); URL("./a.png", import.meta.url)`, nil},
	{"new URL computed", `new URL(name, import.meta.url); new URL("./a" + x, import.meta.url); new URL(` + "`./${x}.png`" + `, import.meta.url)`, nil},
	{"new URL property", `new x.URL("./a.png", import.meta.url); new URL("./a.png", x.import.meta.url)`, nil},

	// sourceMappingURL comments, wherever a comment may stand.
	{"sourcemap line", "f();\n//# sourceMappingURL=app.js.map\n", []string{"sourcemap:app.js.map"}},
	{"sourcemap legacy", "f();\n//@ sourceMappingURL=app.js.map", []string{"sourcemap:app.js.map"}},
	{"sourcemap block", "f();\n/*# sourceMappingURL=app.js.map */", []string{"sourcemap:app.js.map"}},
	{"sourcemap indented crlf", "f();\r\n  //# sourceMappingURL=maps/app.js.map\r\n", []string{"sourcemap:maps/app.js.map"}},
	{"sourcemap not at line start", "var x = 1; //# sourceMappingURL=x.js.map", []string{"sourcemap:x.js.map"}},
	{"sourcemap block after code", "f() /*# sourceMappingURL=x.js.map */ ;g()", []string{"sourcemap:x.js.map"}},
	{"sourcemap after division", "a = b / c //# sourceMappingURL=x.js.map", []string{"sourcemap:x.js.map"}},
	{"sourcemap after hashbang", "#!/usr/bin/env node\n//# sourceMappingURL=x.js.map", []string{"sourcemap:x.js.map"}},
	{"sourcemap in string", `var s = "//# sourceMappingURL=x.map";`, nil},
	{"sourcemap in template", "var s = `\n//# sourceMappingURL=x.map\n`;", nil},
	{"sourcemap in regexp", `var r = /\/\/# sourceMappingURL=x.map/;`, nil},
	{"sourcemap no space", "//#sourceMappingURL=x.map", nil},
	{"sourcemap other comment", "// see sourceMappingURL=x.map", nil},

	// Never references: comments, strings, templates, regular expressions.
	{"in comments", "// import \"./a.js\"\n/* import(\"./b.js\") export * from './c.js' */", nil},
	{"in strings", `x = "import './a.js'"; y = 'import("./b.js")'; z = "new URL('./c.png', import.meta.url)"`, nil},
	{"in template text", "x = `import \"./a.js\" ${1} import(\"./b.js\") \\` import('./c.js')`", nil},
	{"object in substitution", "x = `a${ {b: \"}\"} }import(\"./no.js\")`; import(\"./a.js\")", []string{`dynamic module:./a.js "`}},
	{"dollar in template", "x = `$x $ {y} \\${import(\"./no.js\")} ${import(\"./a.js\")}`", []string{`dynamic module:./a.js "`}},
	{"no url() in js", `fetch("url(x.png)"); // url(y.png)`, nil},

	// Regular expression or division.
	{"regexp after =", `x = /["']/g; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after (", `s.replace(/'/g, ""); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after ,", `f(a, /'/); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after arrow", `f = x => /'/.test(x); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp class with slash", `/[/'"]/.test(s); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp escaped slash", `x = /\/'/; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp flags", `x = /'/gimsuyd.test(s); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp keywords", `return /'/; typeof /'/; case /'/: ; do /'/; else /'/; in /'/; of /'/; new /'/; delete /'/; void /'/; throw /'/; instanceof /'/; yield /'/; await /'/; default /'/; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after if", `if (a) /'/.test(c); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after while and for", `while (x) /'/.exec(y); for (;;) /'/; for await (x of y) /'/; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after block", `if (a) { b() } /'/.test(c); function f() {} /'/; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp after blocks", `{ x() } { y() } /'/.test(c); import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"regexp in substitution", "x = `${/'/.test(y) ? \"a\" : \"b\"}`; import(\"./a.js\")", []string{`dynamic module:./a.js "`}},
	{"regexp cut by line end", "x = /'\nimport(\"./a.js\")", []string{`dynamic module:./a.js "`}},
	{"division after name", `a = b / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after paren", `a = (b) / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after bracket", `a = c[0] / b / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after number", `1 / 2 / "'"; 1e+5/2/"'"; .5/2/"'"; 0x1e/2/"'"; 10n/2n/"'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after string", `"a" / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after template", "`a` / 2 / \"'\"; `${b}` / 2 / \"'\"; import(\"./a.js\")", []string{`dynamic module:./a.js "`}},
	{"division after regexp", `/a/ / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after object", `x = {a: 1} / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after keyword property", `a.return / 2 / "'"; a?.typeof / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after increment", `x++ / 2 / "'"; y-- / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division after this", `this / 2 / "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"division assignment", `a /= 2; b /= "'"; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"optional chaining or number", `a?.5:/'/; import("./a.js")`, []string{`dynamic module:./a.js "`}},
	{"private name", `class A { #import() {} m() { this.#import("./no.js"); return /'/ } } import("./a.js")`, []string{`dynamic module:./a.js "`}},

	// Strings.
	{"escapes", `import "./\u0061.js"; import './it\'s.js'; import "./a\x2fb.js"; import "./\u{1F600}.js"`, []string{`module:./\u0061.js=./a.js "`, `module:./it\'s.js=./it's.js '`, `module:./a\x2fb.js=./a/b.js "`, `module:./\u{1F600}.js=./` + "\U0001F600" + `.js "`}},
	{"surrogate pair", `import "./\uD83D\uDE00.js"`, []string{`module:./\uD83D\uDE00.js=./` + "\U0001F600" + `.js "`}},
	{"line continuation", "import \"./a\\\nb.js\"", []string{"module:./a\\\nb.js=./ab.js \""}},
	{"unterminated string", "import \"./a.js\nimport \"./b.js\"", []string{`module:./b.js "`}},
	{"unterminated at end", `import "./a.js`, nil},
	{"non-ASCII", "let ü = \"x\"; import(\"./ü.js\"); x\u00a0/ 2 / \"'\"; import('./b.js')", []string{`dynamic module:./ü.js "`, "dynamic module:./b.js '"}},
	{"from without declaration", `from "./a.js"; x = from "./b.js"`, nil},
}

func TestFindJS(t *testing.T) {
	for _, tt := range jsTests {
		t.Run(tt.name, func(t *testing.T) {
			got := show(rewrite.FindJS([]byte(tt.in)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindJS(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFindJSLines(t *testing.T) {
	src := "import \"./a.js\";\r\nimport(\r'./b.js')\n\n/*\n*/ new URL(\"./c.png\", import.meta.url) //# sourceMappingURL=d.map"
	refs := rewrite.FindJS([]byte(src))
	want := []struct {
		raw  string
		line int
	}{{"./a.js", 1}, {"./b.js", 3}, {"./c.png", 6}, {"d.map", 6}}
	if len(refs) != len(want) {
		t.Fatalf("got %d refs %q, want %d", len(refs), show(refs), len(want))
	}
	for i, r := range refs {
		if got := src[r.Start:r.End]; got != r.Raw || got != want[i].raw || r.Line != want[i].line {
			t.Errorf("ref %d: src[Start:End] = %q, Raw = %q, Line = %d; want %q on line %d", i, got, r.Raw, r.Line, want[i].raw, want[i].line)
		}
	}
}

func TestComputedImports(t *testing.T) {
	tests := []struct {
		in   string
		want []string // the source from each offset, up to the next space
	}{
		{`import(name)`, []string{"import(name)"}},
		{`a; import("./a" + ".js")`, []string{`import("./a"`}},
		{"x = import(`./${lang}.js`, opts)", []string{"import(`./${lang}.js`,"}},
		{`new URL(name, import.meta.url)`, []string{"new"}},
		{`f(new URL("./a" + b, import.meta.url))`, []string{"new"}},
		{`import(import("./a.js").then(f))`, []string{`import(import("./a.js").then(f))`}},
		{`import("./a.js"); new URL("./a.png", import.meta.url); new URL(x); new URL(x, base)`, nil},
		{`obj.import(x); import()`, nil},
		{`// import(x)` + "\n" + `"import(x)"`, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, off := range rewrite.ComputedImports([]byte(tt.in)) {
			s := tt.in[off:]
			if i := strings.IndexByte(s, ' '); i >= 0 {
				s = s[:i]
			}
			got = append(got, s)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ComputedImports(%q) at %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBare(t *testing.T) {
	tests := []struct {
		spec string
		bare bool
	}{
		{"lit", true},
		{"@lit/reactive-element", true},
		{"lit/decorators.js", true},
		{"util.js", true},
		{".util.js", true},
		{`.\util.js`, true},
		{"./util.js", false},
		{"../util.js", false},
		{"/static/util.js", false},
		{"//cdn.example/util.js", false},
		{"https://cdn.example/util.js", false},
		{"data:text/javascript,export default 1", false},
		{"node:fs", false},
	}
	for _, tt := range tests {
		r := rewrite.Ref{Kind: rewrite.Module, URL: tt.spec, Raw: tt.spec}
		if got := r.Bare(); got != tt.bare {
			t.Errorf("Ref{Module, %q}.Bare() = %v, want %v", tt.spec, got, tt.bare)
		}
		_, _, ok, err := r.Resolve("js/app.js", "/static/")
		if tt.bare && (ok || err != nil) {
			t.Errorf("Ref{Module, %q}.Resolve = ok %v, %v; want not local", tt.spec, ok, err)
		}
		// Anything but a module specifier is an ordinary URL.
		for _, k := range []rewrite.Kind{rewrite.NewURL, rewrite.URL, rewrite.MapFile} {
			if (rewrite.Ref{Kind: k, URL: tt.spec}).Bare() {
				t.Errorf("Ref{%s, %q}.Bare() = true, want false", k, tt.spec)
			}
		}
	}
	target, _, ok, err := rewrite.Ref{Kind: rewrite.NewURL, URL: "util.js"}.Resolve("js/app.js", "/static/")
	if target != "js/util.js" || !ok || err != nil {
		t.Errorf("Ref{NewURL, util.js}.Resolve = %q, %v, %v; want js/util.js", target, ok, err)
	}
}
