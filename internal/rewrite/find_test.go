package rewrite_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// show formats refs as "kind:raw", adding "=url" when the decoded URL differs
// and the quote when there is one.
func show(refs []rewrite.Ref) []string {
	var s []string
	for _, r := range refs {
		kind := r.Kind.String()
		if r.Dynamic {
			kind = "dynamic " + kind
		}
		v := fmt.Sprintf("%s:%s", kind, r.Raw)
		if r.URL != r.Raw {
			v += "=" + r.URL
		}
		if r.Quote != 0 {
			v += " " + string(r.Quote)
		}
		s = append(s, v)
	}
	return s
}

// findTest is a case of the FindCSS, FindJS and FindSourceMap tables.
type findTest struct {
	name string
	in   string
	want []string
}

// cssTests are the table of FindCSS cases; they also seed the fuzzers.
var cssTests = []findTest{
	// url() forms.
	{"url unquoted", `a{b:url(img/a.png)}`, []string{"url:img/a.png"}},
	{"url double quoted", `a{b:url("img/a.png")}`, []string{`url:img/a.png "`}},
	{"url single quoted", `a{b:url('img/a.png')}`, []string{"url:img/a.png '"}},
	{"url spaces unquoted", "a{b:url(  img/a.png \t)}", []string{"url:img/a.png"}},
	{"url spaces quoted", "a{b:url( \n 'img/a.png'  )}", []string{"url:img/a.png '"}},
	{"url upper case", `a{b:URL(a.png) c:Url("b.png")}`, []string{"url:a.png", `url:b.png "`}},
	{"url escaped name", `a{b:u\72l(a.png)}`, []string{"url:a.png"}},
	{"url several", `a{background:url(a.png),url(b.png) no-repeat}`, []string{"url:a.png", "url:b.png"}},
	{"url query fragment", `@font-face{src:url(../fonts/i.eot?#iefix) format("embedded-opentype")}`, []string{"url:../fonts/i.eot?#iefix"}},
	{"url hex escape", `a{b:url(\31 .png)}`, []string{`url:\31 .png=1.png`}},
	{"url escaped paren", `a{b:url(a\).png)}`, []string{`url:a\).png=a).png`}},
	{"string escaped quote", `a{b:url("a\".png")}`, []string{`url:a\".png=a".png "`}},
	{"string line continuation", "a{b:url(\"a\\\nb.png\")}", []string{"url:a\\\nb.png=ab.png \""}},
	{"url empty", `a{b:url()}`, []string{"url:"}},
	{"url unterminated", `a{b:url(a.png`, []string{"url:a.png"}},
	{"url nul", "a{b:url(a\x00.png)}", []string{"url:a\x00.png=a\uFFFD.png"}},
	{"url percent", `a{b:url(my%20font.woff)}`, []string{"url:my%20font.woff"}},
	{"url after plus", `a{b:+url(a.png)}`, []string{"url:a.png"}},
	{"url after dot", `a{b:1.url(a.png)}`, []string{"url:a.png"}},

	// image-set().
	{"image-set url", `a{b:image-set(url("a.png") 1x, url(b.png) 2x)}`, []string{`url:a.png "`, "url:b.png"}},
	{"image-set strings", `a{b:image-set("a.png" 1x, 'b.png' 2x)}`, []string{`url:a.png "`, "url:b.png '"}},
	{"webkit image-set", `a{b:-webkit-image-set("a.png" 1x,"b.png" 2x)}`, []string{`url:a.png "`, `url:b.png "`}},
	{"image-set upper case", `a{b:IMAGE-SET("a.png" 1x)}`, []string{`url:a.png "`}},
	{"image-set type", `a{b:image-set("a.avif" type("image/avif"), "a.jpg" type('image/jpeg'))}`, []string{`url:a.avif "`, `url:a.jpg "`}},
	{"image-set nested", `a{b:image-set(linear-gradient(red,blue) 1x, "a.png" 2x) c:"x"}`, []string{`url:a.png "`}},

	// @import.
	{"import string", `@import "x.css";`, []string{`import:x.css "`}},
	{"import single", `@import 'x.css'`, []string{"import:x.css '"}},
	{"import url", `@import url(x.css);`, []string{"import:x.css"}},
	{"import url quoted", `@import url("x.css");`, []string{`import:x.css "`}},
	{"import media", `@import url("fineprint.css") print, screen and (orientation:landscape);`, []string{`import:fineprint.css "`}},
	{"import supports", `@import "grid.css" supports(display: grid) screen;`, []string{`import:grid.css "`}},
	{"import layer", `@import url(theme.css) layer(theme);@import "b.css" layer;`, []string{"import:theme.css", `import:b.css "`}},
	{"import upper case", `@IMPORT "x.css";@Import URL(y.css);`, []string{`import:x.css "`, "import:y.css"}},
	{"import comment before", `@import /* c */ "x.css";`, []string{`import:x.css "`}},
	{"import newline", "@import\n'x.css';", []string{"import:x.css '"}},
	{"import escaped", `@\69mport "x.css";`, []string{`import:x.css "`}},

	// sourceMappingURL.
	{"sourcemap", "a{}\n/*# sourceMappingURL=app.css.map */", []string{"sourcemap:app.css.map"}},
	{"sourcemap legacy", "/*@ sourceMappingURL=app.css.map*/", []string{"sourcemap:app.css.map"}},
	{"sourcemap unclosed", "/*# sourceMappingURL=app.css.map", []string{"sourcemap:app.css.map"}},
	{"sourcemap data", "/*# sourceMappingURL=data:application/json;base64,eyJ9 */", []string{"sourcemap:data:application/json;base64,eyJ9"}},

	// Never touched.
	{"comment with url", `/* background: url(a.png) */ a{}`, nil},
	{"comment with import", `/* @import "x.css"; */ a{}`, nil},
	{"comment not sourcemap", `/* sourceMappingURL=a.map */`, nil},
	{"string with url", `a::before{content:"url(x.png)"}`, nil},
	{"string with import", `a::before{content:'@import "x.css"'}`, nil},
	{"plain strings", `a{font-family:"a.png";quotes:"«" "»"}`, nil},
	{"escaped selector", `.a\(url\(x\){color:red}`, nil},
	{"escaped selector 2", `.url\(x\.png\){}`, nil},
	{"hash url", `#url(x.png){}`, nil},
	{"dimension url", `a{b:1url(x.png)}`, nil},
	{"ident ending url", `a{b:my-url(x.png) c:xurl(y.png)}`, nil},
	{"space before paren", `a{b:url (x.png)}`, nil},
	{"bad url quote", `a{b:url(a'b.png)}`, nil},
	{"bad url space", `a{b:url(a b.png)}`, nil},
	{"bad url paren", `a{b:url(a(b).png)}`, nil},
	{"bad string", "a{b:url(\"a.png\n\")}", nil},
	{"at-rule not import", `@charset "UTF-8";@namespace svg "x";`, nil},
	{"import after token", `@import; "x.css";`, nil},
	{"string after image-set", `a{b:image-set("a.png" 1x) "b.png"}`, []string{`url:a.png "`}},
	{"local font", `@font-face{src:local("Foo"),url(f.woff2) format("woff2")}`, []string{"url:f.woff2"}},
	{
		"data uri with url and quotes",
		`a{b:url("data:image/svg+xml,%3csvg%3e%3cpath fill='url(%23g)' d='M0)'/%3e%3c/svg%3e") c:url(x.png)}`,
		[]string{`url:data:image/svg+xml,%3csvg%3e%3cpath fill='url(%23g)' d='M0)'/%3e%3c/svg%3e "`, "url:x.png"},
	},
	{
		"data uri single quoted with url(",
		`a{b:url('data:image/svg+xml;utf8,<svg><use href="url(#a)"/></svg>') c:url(y.png)}`,
		[]string{`url:data:image/svg+xml;utf8,<svg><use href="url(#a)"/></svg> '`, "url:y.png"},
	},
	{"fragment only", `a{filter:url(#shadow)}`, []string{"url:#shadow"}},
	{"absolute", `a{b:url(https://example.com/a.png) c:url("//cdn.example.com/b.png")}`, []string{"url:https://example.com/a.png", `url://cdn.example.com/b.png "`}},
	{"scheme-like names", `a{b:url(database.jpg) c:url(http-diagram.png)}`, []string{"url:database.jpg", "url:http-diagram.png"}},
	{"comment inside url", `a{b:url(/*x*/a.png)}`, []string{"url:/*x*/a.png"}},
}

func TestFindCSS(t *testing.T) {
	for _, tt := range cssTests {
		t.Run(tt.name, func(t *testing.T) {
			got := show(rewrite.FindCSS([]byte(tt.in)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindCSS(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	css := []byte("a{b:url(a.png)}\n/*# sourceMappingURL=a.map */")
	js := []byte("//# sourceMappingURL=a.js.map")
	tests := []struct {
		name string
		src  []byte
		want int
	}{
		{"css/app.css", css, 2},
		{"css/APP.CSS", css, 2},
		{"js/app.js", js, 1},
		{"js/app.mjs", js, 1},
		{"js/app.cjs", js, 1},
		{"js/app.js", css, 1}, // only the block sourcemap comment
		{"index.html", css, 0},
		{"css/app.css.map", css, 0},
		{"css/app.css.map", []byte(`{"file":"app.css"}`), 1},
		{"js/app.js.MAP", []byte(`{"file":"app.js"}`), 1},
		{"js/app.json", []byte(`{"file":"app.js"}`), 0},
	}
	for _, tt := range tests {
		if got := len(rewrite.Find(tt.name, tt.src)); got != tt.want {
			t.Errorf("len(Find(%q)) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestScans(t *testing.T) {
	for _, name := range []string{"a.css", "A.CSS", "js/a.js", "a.mjs", "a.cjs", "a.js.map", "a.css.map", "a.MAP"} {
		if !rewrite.Scans(name) {
			t.Errorf("Scans(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"a.html", "a.ts", "a.json", "a.svg", "css", "a.css.gz", ""} {
		if rewrite.Scans(name) {
			t.Errorf("Scans(%q) = true, want false", name)
		}
	}
}

func TestFindOffsetsAndLines(t *testing.T) {
	src := "a {\n  b: url( 'x.png' );\r\n  c: url(y.png)\r}\n/*# sourceMappingURL=a.map */"
	refs := rewrite.FindCSS([]byte(src))
	want := []struct {
		raw  string
		line int
	}{{"x.png", 2}, {"y.png", 3}, {"a.map", 5}}
	if len(refs) != len(want) {
		t.Fatalf("got %d refs, want %d", len(refs), len(want))
	}
	for i, r := range refs {
		if got := src[r.Start:r.End]; got != r.Raw || got != want[i].raw {
			t.Errorf("ref %d: src[Start:End] = %q, Raw = %q, want %q", i, got, r.Raw, want[i].raw)
		}
		if r.Line != want[i].line {
			t.Errorf("ref %d (%s): Line = %d, want %d", i, r.Raw, r.Line, want[i].line)
		}
	}
}
