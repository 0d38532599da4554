package rewrite_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// checkRefs checks that refs are sorted, non-overlapping, within src, match
// src and carry the right line numbers.
func checkRefs(t *testing.T, src []byte, refs []rewrite.Ref) {
	t.Helper()
	prev := 0
	for i, r := range refs {
		if r.Start < prev || r.End < r.Start || r.End > len(src) {
			t.Fatalf("ref %d: range [%d, %d) after %d in %d bytes", i, r.Start, r.End, prev, len(src))
		}
		if got := string(src[r.Start:r.End]); got != r.Raw {
			t.Fatalf("ref %d: src[Start:End] = %q, Raw = %q", i, got, r.Raw)
		}
		if got, want := r.Line, lineOf(src, r.Start); got != want {
			t.Fatalf("ref %d (%q): Line = %d, want %d", i, r.Raw, got, want)
		}
		if r.Kind < rewrite.URL || r.Kind > rewrite.MapFile {
			t.Fatalf("ref %d: Kind = %d", i, r.Kind)
		}
		if r.Kind >= rewrite.Module {
			// A string literal, always closed.
			if r.Quote == 0 || r.Start == 0 || r.End >= len(src) || src[r.Start-1] != r.Quote || src[r.End] != r.Quote {
				t.Fatalf("ref %d (%s %q): not inside quotes %q", i, r.Kind, r.Raw, r.Quote)
			}
		}
		prev = r.End
	}
}

// lineOf counts lines the slow way: \n, \r\n and a lone \r end a line.
func lineOf(src []byte, off int) int {
	s := strings.ReplaceAll(string(src[:off]), "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r")
}

// splitURL splits a decoded reference into directory, name and suffix.
func splitURL(u string) (dir, name, suffix string) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u, suffix = u[:i], u[i:]
	}
	i := strings.LastIndexByte(u, '/') + 1
	return u[:i], u[i:], suffix
}

// keepAll is a newName that keeps every reference.
func keepAll(rewrite.Ref) (string, bool) { return "", false }

// sameName is a newName that returns the current name of every reference
// that resolves.
func sameName(r rewrite.Ref) (string, bool) {
	target, _, ok, _ := r.Resolve("css/app.css", "/static/")
	return path.Base(target), ok
}

// checkRewrite checks the byte-preservation properties of Rewrite on src:
// keeping every name, or giving every name back, returns src; renaming every
// reference to name changes only the references' names, and a second pass
// finds the same references and changes nothing more.
func checkRewrite(t *testing.T, find func([]byte) []rewrite.Ref, src []byte, name string) {
	t.Helper()
	refs := find(src)
	checkRefs(t, src, refs)
	if got := rewrite.Rewrite(src, refs, keepAll); !bytes.Equal(got, src) {
		t.Fatalf("Rewrite keeping all names\n got %q\nwant %q", got, src)
	}
	if got := rewrite.Rewrite(src, refs, sameName); !bytes.Equal(got, src) {
		t.Fatalf("Rewrite with the same names\n got %q\nwant %q", got, src)
	}

	rename := func(rewrite.Ref) (string, bool) { return name, true }
	out := rewrite.Rewrite(src, refs, rename)
	refs2 := find(out)
	checkRefs(t, out, refs2)
	if len(refs2) != len(refs) {
		t.Fatalf("renaming to %q: found %d refs in\n%q\nwant %d as in\n%q", name, len(refs2), out, len(refs), src)
	}
	valid := name != "" && name != "." && name != ".." && !strings.Contains(name, "/")
	prev, prev2 := 0, 0
	for i, r := range refs {
		r2 := refs2[i]
		if got, want := out[prev2:r2.Start], src[prev:r.Start]; !bytes.Equal(got, want) {
			t.Fatalf("renaming to %q changed bytes before ref %d\n got %q\nwant %q", name, i, got, want)
		}
		if r2.Kind != r.Kind || r2.Quote != r.Quote {
			t.Fatalf("ref %d: kind, quote %v %q, want %v %q", i, r2.Kind, r2.Quote, r.Kind, r.Quote)
		}
		dir, _, suffix := splitURL(r.URL)
		dir2, name2, suffix2 := splitURL(r2.URL)
		if dir2 != dir || suffix2 != suffix {
			t.Fatalf("ref %d: renaming %q to %q gave %q", i, r.URL, name, r2.URL)
		}
		if valid && r2.Raw != r.Raw {
			if got, err := url.PathUnescape(name2); err != nil || got != name {
				t.Fatalf("ref %d: renaming %q gave name %q (%q, %v), want %q", i, r.URL, name2, got, err, name)
			}
		}
		prev, prev2 = r.End, r2.End
	}
	if got, want := out[prev2:], src[prev:]; !bytes.Equal(got, want) {
		t.Fatalf("renaming to %q changed the tail\n got %q\nwant %q", name, got, want)
	}
	if again := rewrite.Rewrite(out, refs2, rename); !bytes.Equal(again, out) {
		t.Fatalf("second pass renaming to %q\n got %q\nwant %q", name, again, out)
	}
}

// testNames are new names that exercise encoding.
var testNames = []string{"x-1a2b3c4d.png", "abc.png", `o d(1)'"\*.png`, "ü-0.css", "", "a/b"}

// syntaxes are the finders whose output the property tests check, with
// the table inputs, testdata files and random pieces of each.
var syntaxes = []struct {
	name   string
	find   func([]byte) []rewrite.Ref
	table  func() []string
	glob   string
	pieces []string
}{
	{"css", rewrite.FindCSS, func() []string { return tableInputs(cssTests) }, "testdata/*.css", cssPieces},
	{"js", rewrite.FindJS, func() []string { return tableInputs(jsTests) }, "testdata/*.*js", jsPieces},
	{"map", rewrite.FindSourceMap, func() []string { return tableInputs(sourceMapTests) }, "testdata/*.map", mapPieces},
}

func tableInputs(tests []findTest) []string {
	var in []string
	for _, tt := range tests {
		in = append(in, tt.in)
	}
	return in
}

func TestRewritePreservesBytes(t *testing.T) {
	for _, syn := range syntaxes {
		var inputs [][]byte
		for _, in := range syn.table() {
			inputs = append(inputs, []byte(in))
		}
		files, _ := filepath.Glob(syn.glob)
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, src)
		}
		for i, src := range inputs {
			for _, name := range testNames {
				t.Run(fmt.Sprintf("%s%d/%s", syn.name, i, name), func(t *testing.T) {
					checkRewrite(t, syn.find, src, name)
				})
			}
		}
	}
}

// cssPieces, jsPieces and mapPieces are the fragments random inputs are
// made of.
var (
	cssPieces = []string{
		"url(", "URL(", "u\\72l(", "image-set(", "-webkit-image-set(", "@import ", "@IMPORT", "type(",
		`"`, "'", "\\", ")", "(", "{", "}", "[", "]", ";", ",", " ", "\n", "\r", "\r\n", "\f", "\t", "\x00",
		"/*", "*/", "/*# sourceMappingURL=", "//# sourceMappingURL=", "//@ sourceMappingURL=",
		"a.png", "../", "./", "/static/", "img/", "?#iefix", "#x", "?v=1", "data:image/svg+xml,", "https://",
		"//cdn/", "%20", "%2", "\\2f", "\\2f ", "\\31 ", "\\\"", "\\)", "\\\n", "ü", "1x", "1", "#", "@", ".", "-", "b",
	}
	jsPieces = []string{
		"import ", "import(", "import", "export ", "from ", "from", "* as ns ", "{ a }", "new URL(", "new ", "URL",
		", import.meta.url)", "import.meta.url", ".", "?.", "...", "=>", "++", "--", "return ", "typeof ", "if (", "x",
		`"`, "'", "`", "${", "}", "{", "(", ")", "[", "]", ";", ",", ":", "?", "=", "+", " ", "\n", "\r", "\r\n", "\u2028",
		"/", "/*", "*/", "//", "//# sourceMappingURL=", "/*# sourceMappingURL=", "#!", "#x", "[/]", "\\", "\\u0061", "\\x2f",
		"\\u{1F600}", "\\\n", "./a.js", "../", "./", "/static/", "a.js", "lit", "https://", "?v=1", "#x", "%20", "1", ".5", "1e+5", "ü", "\u00a0",
	}
	mapPieces = []string{
		"{", "}", "[", "]", ":", ",", `"`, `"file"`, `"file":`, `"sources":`, `"version":3`, "\\", `\"`, `\u002f`,
		"app.js", "../", "./", "/", "?v", "#x", " ", "\n", ")]}'\n", "null", "1", "ü",
	}
)

func randomInput(r *rand.Rand, pieces []string) []byte {
	var b []byte
	for n := r.IntN(40); n > 0; n-- {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return b
}

func TestRewritePreservesBytesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, syn := range syntaxes {
		for i := range 3000 {
			src := randomInput(r, syn.pieces)
			name := testNames[i%len(testNames)]
			checkRewrite(t, syn.find, src, name)
		}
	}
}

// TestGolden rewrites the files in testdata as a build would, with every
// local asset present except those named "missing", and compares the output
// and the warnings with testdata/golden. Run with -update to refresh them.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, f := range files {
		name := filepath.Base(f)
		from := "css/" + name
		if !strings.HasSuffix(name, ".css") {
			from = "js/" + name
		}
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			out := rewrite.Rewrite(src, rewrite.Find(from, src), func(r rewrite.Ref) (string, bool) {
				target, _, ok, err := r.Resolve(from, "/static/")
				switch {
				case err != nil:
					fmt.Fprintf(&log, "%s:%d: %v\n", from, r.Line, err)
					return "", false
				case !ok:
					return "", false
				case strings.Contains(target, "missing"):
					fmt.Fprintf(&log, "%s:%d: missing reference %s (resolved %s)\n", from, r.Line, r.Raw, target)
					return "", false
				}
				sum := sha256.Sum256([]byte(target))
				base := path.Base(target)
				ext := path.Ext(base)
				return fmt.Sprintf("%s-%x%s", strings.TrimSuffix(base, ext), sum[:4], ext), true
			})
			compareGolden(t, filepath.Join("testdata", "golden", name), out)
			compareGolden(t, filepath.Join("testdata", "golden", name+".log"), []byte(log.String()))
		})
	}
}

func compareGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs\n got %s\nwant %s", file, got, want)
	}
}
