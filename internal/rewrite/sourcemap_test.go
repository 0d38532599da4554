package rewrite_test

import (
	"slices"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// sourceMapTests are the table of FindSourceMap cases; they also seed the
// fuzzers.
var sourceMapTests = []findTest{
	{"file", `{"version":3,"file":"app.js","sources":["app.ts"],"mappings":"AAAA"}`, []string{`mapfile:app.js "`}},
	{"file last", `{"version":3,"sources":["../src/a.ts"],"names":[],"mappings":";;AAAA","file":"app.min.js"}`, []string{`mapfile:app.min.js "`}},
	{"spaced", "{\n  \"version\" : 3 ,\n  \"file\" : \"app.css\"\n}\n", []string{`mapfile:app.css "`}},
	{"directory", `{"file":"../dist/app.js"}`, []string{`mapfile:../dist/app.js "`}},
	{"escapes", `{"file":"a\u002fb.js"} `, []string{`mapfile:a\u002fb.js=a/b.js "`}},
	{"escaped quote", `{"file":"a\"b.js"}`, []string{`mapfile:a\"b.js=a"b.js "`}},
	{"escaped key", `{"fi\u006ce":"x.js"}`, []string{`mapfile:x.js "`}},
	{"xssi prefix", ")]}'\n{\"file\":\"x.js\"}", []string{`mapfile:x.js "`}},
	{"nested values first", `{"x":{"file":"no.js","y":[1,{"file":"no.js"}]},"s":"}\"]","file":"yes.js"}`, []string{`mapfile:yes.js "`}},
	{"index map", `{"version":3,"file":"app.js","sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"file":"part.js"}}]}`, []string{`mapfile:app.js "`}},
	{"twice", `{"file":"a.js","file":"b.js"}`, []string{`mapfile:a.js "`, `mapfile:b.js "`}},
	{"not a string", `{"file":null,"sources":["file","x.js"],"names":["file"]}`, nil},
	{"no file", `{"version":3}`, nil},
	{"unterminated", `{"file":"x.js`, nil},
	{"unterminated after escape", `{"file":"x.js\"`, nil},
	{"array", `[{"file":"x.js"}]`, nil},
	{"not json", `a{b:url(x.png)} "file":"x.js"`, nil},
	{"malformed before file", `{"version" 3,"file":"x.js"}`, nil},
	{"empty", ``, nil},
}

func TestFindSourceMap(t *testing.T) {
	for _, tt := range sourceMapTests {
		t.Run(tt.name, func(t *testing.T) {
			got := show(rewrite.FindSourceMap([]byte(tt.in)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindSourceMap(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
