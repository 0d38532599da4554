package rewrite_test

import (
	"path"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// manifest maps logical paths to hashed logical paths, as a build would.
var manifest = map[string]string{
	"css/a.png":                        "css/a-1a2b.png",
	"img/a.png":                        "img/a-1a2b.png",
	"img/g.png":                        "img/g-1a2b.png",
	"fonts/icons.eot":                  "fonts/icons-1a2b.eot",
	"css/fonts/bootstrap-icons.woff2":  "css/fonts/bootstrap-icons-1a2b.woff2",
	"css/x.css":                        "css/x-1a2b.css",
	"css/app.css.map":                  "css/app-1a2b.css.map",
	"js/app.js.map":                    "js/app-1a2b.js.map",
	"css/odd.png":                      "css/o d(1)'\"\\*.png",
	"css/hex.png":                      "css/abc.png",
	"fonts/my font.woff":               "fonts/my font.woff", // unchanged name
	"css/icons.svg":                    "css/icons-1a2b.svg",
	"css/b.png":                        "css/b-1a2b.png",
	"css/" + "\u00fc.png":              "css/\u00fc-1a2b.png",
	"css/img/sprite.png":               "css/img/sprite-1a2b.png",
	"css/bootstrap.min.css.map":        "css/bootstrap.min-1a2b.css.map",
	"css/fonts/bootstrap-icons.woff":   "css/fonts/bootstrap-icons-1a2b.woff",
	"css/fonts/bootstrap-icons.woff2x": "unused",
	"js/util.js":                       "js/util-1a2b.js",
	"js/hex.js":                        "js/abc.js",
	"js/app.js":                        "js/app-1a2b.js",
	"js/odd.js":                        "js/o d(1)'\"\\*`${}.js",
	"img/logo.png":                     "img/logo-1a2b.png",
}

// hashedName returns the callback a build would pass to Rewrite for the
// file from, served under /static/.
func hashedName(from string) func(rewrite.Ref) (string, bool) {
	return func(r rewrite.Ref) (string, bool) {
		target, _, ok, err := r.Resolve(from, "/static/")
		if err != nil || !ok {
			return "", false
		}
		hashed, ok := manifest[target]
		if !ok {
			return "", false
		}
		return path.Base(hashed), true
	}
}

func TestRewrite(t *testing.T) {
	tests := []struct {
		name     string
		from     string
		in, want string
	}{
		{"unquoted parent", "css/app.css", `a{b:url(../img/a.png)}`, `a{b:url(../img/a-1a2b.png)}`},
		{"double quoted same dir", "css/app.css", `a{b:url("a.png")}`, `a{b:url("a-1a2b.png")}`},
		{"single quoted spaces", "css/app.css", `a{b:url( './a.png' )}`, `a{b:url( './a-1a2b.png' )}`},
		{"root relative", "css/app.css", `a{b:URL(/static/img/a.png)}`, `a{b:URL(/static/img/a-1a2b.png)}`},
		{"query fragment kept", "css/app.css", `a{src:url(../fonts/icons.eot?#iefix)}`, `a{src:url(../fonts/icons-1a2b.eot?#iefix)}`},
		{"fragment kept", "css/app.css", `a{b:url(icons.svg#icon)}`, `a{b:url(icons-1a2b.svg#icon)}`},
		{
			"bootstrap-icons",
			"css/app.css",
			`@font-face{src:url("./fonts/bootstrap-icons.woff2?dd67030699838ea613ee6dbda90effa6") format("woff2")}`,
			`@font-face{src:url("./fonts/bootstrap-icons-1a2b.woff2?dd67030699838ea613ee6dbda90effa6") format("woff2")}`,
		},
		{"import string", "css/app.css", `@import "x.css" screen;`, `@import "x-1a2b.css" screen;`},
		{"import url", "css/app.css", `@IMPORT url(x.css) layer(a);`, `@IMPORT url(x-1a2b.css) layer(a);`},
		{"image-set", "css/app.css", `a{b:image-set("a.png" 1x, url('b.png') 2x)}`, `a{b:image-set("a-1a2b.png" 1x, url('b-1a2b.png') 2x)}`},
		{"css sourcemap", "css/app.css", "a{}\n/*# sourceMappingURL=app.css.map */\n", "a{}\n/*# sourceMappingURL=app-1a2b.css.map */\n"},
		{"js sourcemap", "js/app.js", "f()\n//# sourceMappingURL=app.js.map", "f()\n//# sourceMappingURL=app-1a2b.js.map"},
		{"escaped name", "css/app.css", `a{b:url(\61.png)}`, `a{b:url(a-1a2b.png)}`},
		{"escaped dir kept", "css/app.css", `a{b:url(\2e\2e/img/a.png)}`, `a{b:url(\2e\2e/img/a-1a2b.png)}`},
		{"escaped slash before a name", "css/app.css", `a{b:url(..\2fimg\2fg.png)}`, `a{b:url(..\2fimg\2fg-1a2b.png)}`},
		{"hex escape ended before hex digit", "css/app.css", `a{b:url(.\2fhex.png)}`, `a{b:url(.\2f abc.png)}`},
		{"hex escape ended in string", "css/app.css", `a{b:url(".\2fhex.png")}`, `a{b:url(".\2f abc.png")}`},
		{"hex escape with space", "css/app.css", `a{b:url(.\2f hex.png)}`, `a{b:url(.\2f abc.png)}`},
		{"six digit hex escape", "css/app.css", `a{b:url(.\00002fhex.png)}`, `a{b:url(.\00002fabc.png)}`},
		{"unquoted odd name", "css/app.css", `a{b:url(odd.png)}`, `a{b:url(o%20d%281%29%27%22%5C%2A.png)}`},
		{"quoted odd name", "css/app.css", `a{b:url('odd.png?v')}`, `a{b:url('o%20d%281%29%27%22%5C%2A.png?v')}`},
		{"unicode name", "css/app.css", `a{b:url(ü.png)}`, `a{b:url(%C3%BC-1a2b.png)}`},
		{"same name kept", "css/app.css", `a{b:url(../fonts/my%20font.woff)}`, `a{b:url(../fonts/my%20font.woff)}`},
		{"same name differently encoded kept", "css/app.css", `a{b:url(../fonts/my\20 font.woff)}`, `a{b:url(../fonts/my\20 font.woff)}`},
		{"missing kept", "css/app.css", `a{b:url(nothere.png)}`, `a{b:url(nothere.png)}`},
		{"outside root kept", "css/app.css", `a{b:url(../../a.png)}`, `a{b:url(../../a.png)}`},
		{"outside prefix kept", "css/app.css", `a{b:url(/other/img/a.png)}`, `a{b:url(/other/img/a.png)}`},
		{"absolute kept", "css/app.css", `a{b:url(https://x.example/css/a.png) c:url(//cdn/a.png)}`, `a{b:url(https://x.example/css/a.png) c:url(//cdn/a.png)}`},
		{"fragment only kept", "css/app.css", `a{filter:url(#a)}`, `a{filter:url(#a)}`},
		{
			"data uri kept",
			"css/app.css",
			`a{b:url("data:image/svg+xml,%3csvg fill='url(%23a)'%3e%3c/svg%3e"),url(a.png)}`,
			`a{b:url("data:image/svg+xml,%3csvg fill='url(%23a)'%3e%3c/svg%3e"),url(a-1a2b.png)}`,
		},
		{"module", "js/app.js", `import { u } from "./util.js"; export * from '../js/util.js';`, `import { u } from "./util-1a2b.js"; export * from '../js/util-1a2b.js';`},
		{"dynamic module", "js/app.js", `import("./util.js?v=1#x")`, `import("./util-1a2b.js?v=1#x")`},
		{"new URL", "js/app.js", `new URL("../img/logo.png", import.meta.url)`, `new URL("../img/logo-1a2b.png", import.meta.url)`},
		{"root-relative module", "js/app.js", `import "/static/js/util.js"`, `import "/static/js/util-1a2b.js"`},
		{"bare module kept", "js/app.js", `import "util.js"; import "js/util.js"`, `import "util.js"; import "js/util.js"`},
		{"new URL without dot", "js/app.js", `new URL("util.js", import.meta.url)`, `new URL("util-1a2b.js", import.meta.url)`},
		{"js escaped name", "js/app.js", `import "./\u0075til.js"`, `import "./util-1a2b.js"`},
		{"js escaped slash, no space before a hex digit", "js/app.js", `import ".\x2fhex.js"; import ".\u002fhex.js"`, `import ".\x2fabc.js"; import ".\u002fabc.js"`},
		{"js odd name in either quote", "js/app.js", `import "./odd.js"; import './odd.js'`, "import \"./o%20d%281%29%27%22%5C%2A%60%24%7B%7D.js\"; import './o%20d%281%29%27%22%5C%2A%60%24%7B%7D.js'"},
		{"js sourcemap not at line start", "js/app.js", "var x = 1; //# sourceMappingURL=app.js.map", "var x = 1; //# sourceMappingURL=app-1a2b.js.map"},
		{"js sourcemap in a string kept", "js/app.js", `var s = "//# sourceMappingURL=app.js.map"`, `var s = "//# sourceMappingURL=app.js.map"`},
		{"map file", "js/app.js.map", `{"version":3,"file":"app.js","sources":["app.js"]}`, `{"version":3,"file":"app-1a2b.js","sources":["app.js"]}`},
		{"map file escaped", "js/app.js.map", `{"file":"\u0061pp.js"}`, `{"file":"app-1a2b.js"}`},
		{
			"comments and strings kept",
			"css/app.css",
			`/* url(a.png) @import "x.css"; */a::before{content:"url(a.png)"}.a\(url\(a\.png\){}`,
			`/* url(a.png) @import "x.css"; */a::before{content:"url(a.png)"}.a\(url\(a\.png\){}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.in)
			got := string(rewrite.Rewrite(src, rewrite.Find(tt.from, src), hashedName(tt.from)))
			if got != tt.want {
				t.Errorf("Rewrite(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRewriteBadInput(t *testing.T) {
	src := []byte(`a{b:url(a.png) c:url(b.png)}`)
	refs := rewrite.FindCSS(src)
	rename := func(rewrite.Ref) (string, bool) { return "z.png", true }
	tests := []struct {
		name string
		refs []rewrite.Ref
		want string
	}{
		{"nil refs", nil, string(src)},
		{"reversed", []rewrite.Ref{refs[1], refs[0]}, `a{b:url(a.png) c:url(z.png)}`},
		{"duplicate", []rewrite.Ref{refs[0], refs[0]}, `a{b:url(z.png) c:url(b.png)}`},
		{"out of range", []rewrite.Ref{{Start: 20, End: 200, Raw: "x"}}, string(src)},
		{"negative", []rewrite.Ref{{Start: -1, End: 2, Raw: "x"}}, string(src)},
		{"stale raw", []rewrite.Ref{{Start: refs[0].Start, End: refs[0].End, Raw: "q.png"}}, string(src)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(rewrite.Rewrite(src, tt.refs, rename)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if got := string(rewrite.Rewrite(src, refs, nil)); got != string(src) {
		t.Errorf("nil newName: got %s, want the input", got)
	}
	for _, name := range []string{"", ".", "..", "a/b.png"} {
		keep := func(rewrite.Ref) (string, bool) { return name, true }
		if got := string(rewrite.Rewrite(src, refs, keep)); got != string(src) {
			t.Errorf("new name %q: got %s, want the input", name, got)
		}
	}
}
