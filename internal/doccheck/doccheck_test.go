package doccheck

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository root, relative to this package.
const root = "../.."

// snippet is one ```go block of a Markdown file.
type snippet struct {
	doc    string // Markdown file, relative to root
	line   int    // line of the opening fence
	file   string // Go file named by the marker, relative to root
	fn     string // function named by the marker, or ""
	lines  []string
	marker bool
}

const markerPrefix = "<!-- snippet: "

// snippets returns the Go blocks of the Markdown file doc.
func snippets(t *testing.T, doc string) []snippet {
	t.Helper()
	f, err := os.Open(filepath.Join(root, doc))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		out  []snippet
		cur  *snippet
		prev string // the last non-blank line before a fence
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(l) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		case strings.TrimSpace(l) == "```go":
			cur = &snippet{doc: doc, line: n}
			if m, ok := strings.CutPrefix(strings.TrimSpace(prev), strings.TrimSpace(markerPrefix)); ok {
				ref := strings.Fields(strings.TrimSuffix(m, "-->"))
				cur.marker = len(ref) > 0
				if len(ref) > 0 {
					cur.file = ref[0]
				}
				if len(ref) > 1 {
					cur.fn = ref[1]
				}
			}
		case strings.TrimSpace(l) != "":
			prev = l
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// source returns the text of the function fn in the Go file, or the whole
// file when fn is empty.
func source(file, fn string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return "", err
	}
	if fn == "" {
		return string(data), nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, data, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn {
			start := fset.Position(fd.Pos()).Offset
			if fd.Doc != nil {
				start = fset.Position(fd.Doc.Pos()).Offset
			}
			return string(data[start:fset.Position(fd.End()).Offset]), nil
		}
	}
	return "", fmt.Errorf("no function %s in %s", fn, file)
}

// normalize drops blank lines and the indentation of every line.
func normalize(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// contains reports whether want appears in have as a contiguous run.
func contains(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func TestSnippetsAreTestedCode(t *testing.T) {
	docs := []string{"README.md"}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		rel, _ := filepath.Rel(root, m)
		docs = append(docs, filepath.ToSlash(rel))
	}
	n := 0
	for _, doc := range docs {
		for _, s := range snippets(t, doc) {
			n++
			where := fmt.Sprintf("%s:%d", s.doc, s.line)
			if !s.marker {
				t.Errorf("%s: Go snippet has no %s FILE [FUNC] --> marker line before it", where, strings.TrimSpace(markerPrefix))
				continue
			}
			src, err := source(s.file, s.fn)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if !contains(normalize(strings.Split(src, "\n")), normalize(s.lines)) {
				t.Errorf("%s: the snippet is not in %s %s, line for line (blank lines and indentation aside):\n%s",
					where, s.file, s.fn, strings.Join(s.lines, "\n"))
			}
		}
	}
	if n == 0 {
		t.Error("no Go snippets found: is the root right?")
	}
	t.Logf("%d Go snippets checked", n)
}

func TestContains(t *testing.T) {
	have := []string{"a", "b", "c", "d"}
	for _, tc := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"b", "c"}, true},
		{[]string{"a"}, true},
		{[]string{"c", "b"}, false},
		{[]string{"d", "e"}, false},
		{nil, true},
	} {
		if got := contains(have, tc.want); got != tc.ok {
			t.Errorf("contains(%q, %q) = %v, want %v", have, tc.want, got, tc.ok)
		}
	}
}
