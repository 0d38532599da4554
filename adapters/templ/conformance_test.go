package templ_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/a-h/templ"

	cbtempl "github.com/cachebust/cachebust/adapters/templ"
	"github.com/cachebust/cachebust/adapters/templ/internal/cases"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
)

var update = flag.Bool("update", false, "rewrite internal/cases from the conformance suite, and run templ generate there")

// templVersion is the templ release of go.mod, whose generator the
// checked-in code must come from.
const templVersion = "v0.3.1118"

// skipped are the conformance subtests templ cannot express, as -skip
// patterns: templ compiles a template into Go, so each of them is refused
// when it is compiled (see the package doc), not when it renders.
var skipped = []string{
	// No filter or pipe syntax: a call is Go's. The cases that mix both
	// syntaxes run with calls.
	"^TestConformance$/./^filter$",
	// A call with no or two arguments, a non-string argument, a named
	// string type without a conversion, an undefined variable and a
	// function named without a call do not compile.
	"^TestConformance$/^(non-string-int|non-string-nil|non-string-struct|named-string|template-url|template-html|undefined-variable|no-arguments|two-arguments|importmap-bare|importmap-arguments|entry-non-string|entry-named-string)$",
	// Render data are Go values: a path in a variable is a Go string, as
	// a literal is, and the hostile names of the graph still run.
	"^TestConformance$/^(entry-hostile-value|entry-vite-dev-hostile|preload-hostile)$",
	// templ quotes every attribute it writes, and builds an attribute's
	// value from one Go expression, which a call returning (string, error)
	// cannot be part of: no unquoted attribute, and no URL inside a
	// larger value (style="background:url(…)", srcset="… 2x").
	"^TestConformance$/./^call$/^(attr-unquoted|style|srcset)$",
}

func TestMain(m *testing.M) {
	flag.Parse()
	patterns := slices.Clone(skipped)
	if os.Getenv(recordEnv) != "" {
		patterns = nil // the recording run sees every source
	}
	if v := flag.Lookup("test.skip").Value.String(); v != "" {
		patterns = append([]string{v}, patterns...)
	}
	// Of alternatives, go test takes the first that matches a name, even
	// as a prefix of a longer pattern: shorter patterns come first.
	slices.SortStableFunc(patterns, func(a, b string) int {
		return strings.Count(a, "/") - strings.Count(b, "/")
	})
	if err := flag.Set("test.skip", strings.Join(patterns, "|")); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// syntax writes the suite's templates in templ's syntax, as
// internal/cases holds them compiled.
type syntax struct{}

var funcs = map[string]string{
	"asset_url":       "cbtempl.URL",
	"asset_integrity": "cbtempl.Integrity",
}

// components are the functions templ writes as components.
var components = map[string]string{
	"asset_importmap": "cbtempl.ImportMap",
	"asset_entry":     "cbtempl.Entry",
	"asset_preload":   "cbtempl.Preload",
}

func (syntax) Literal(s string) string { return strconv.Quote(s) }
func (syntax) Var(name string) string  { return name }
func (syntax) Bare(fn string) string   { return "{ " + fn + " }" }

func (syntax) Call(fn string, args ...string) string {
	if c, ok := components[fn]; ok {
		return "@" + c + "(" + strings.Join(args, ", ") + ")"
	}
	return "{ " + funcs[fn] + "(" + strings.Join(append([]string{"ctx"}, args...), ", ") + ") }"
}

// Filter writes a call: templ has no filter syntax.
func (s syntax) Filter(fn, arg string, params ...string) string {
	return s.Call(fn, append([]string{arg}, params...)...)
}

// engine renders the components of internal/cases with one resolver in
// the context.
type engine struct {
	syntax
	ctx context.Context
}

var _ conformance.UnwrappingEngine = engine{}

func (engine) ErrorsUnwrap() bool { return true }

// Render renders the component compiled from src, or panics, failing the
// case, if internal/cases has none: it is stale.
func (e engine) Render(src string, data map[string]any) (string, error) {
	c, ok := cases.Components[src]
	if !ok {
		panic(fmt.Sprintf("internal/cases has no component for %q; run go test -run TestGenerated -update", src))
	}
	var b strings.Builder
	err := c.Render(e.ctx, &b)
	return b.String(), err
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
		return engine{ctx: cbtempl.WithResolver(context.Background(), r)}
	})
}

// recordEnv names the file a recording run of the suite writes its
// sources to.
const recordEnv = "CBTEMPL_RECORD"

// recorder collects the sources the suite renders.
type recorder struct {
	syntax
	mu   *sync.Mutex
	srcs map[string]bool
}

func (r recorder) Render(src string, _ map[string]any) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.srcs[src] = true
	return "", fmt.Errorf("recording")
}

// TestRecord runs the suite with a recorder, for TestGenerated, which
// runs it in a subprocess: its cases fail.
func TestRecord(t *testing.T) {
	out := os.Getenv(recordEnv)
	if out == "" {
		t.Skip("run by TestGenerated")
	}
	rec := recorder{mu: &sync.Mutex{}, srcs: map[string]bool{}}
	t.Run("TestConformance", func(t *testing.T) {
		conformance.Run(t, func(*testing.T, *core.Resolver) conformance.Engine { return rec })
	})
	var b strings.Builder
	for _, src := range slices.Sorted(mapKeys(rec.srcs)) {
		b.WriteString(strconv.Quote(src) + "\n")
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// sources returns the sources of the suite's cases templ runs.
func sources(t *testing.T) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sources")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecord$")
	cmd.Env = append(os.Environ(), recordEnv+"="+out)
	_ = cmd.Run() // the recorder fails every case
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("recording the suite's sources: %v", err)
	}
	var srcs []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		s, err := strconv.Unquote(line)
		if err != nil {
			t.Fatal(err)
		}
		if expressible(s) {
			srcs = append(srcs, s)
		}
	}
	return srcs
}

// An inexpressible source is one of a skipped case: it names a function
// alone, or calls one with a number of arguments other than its own, or a
// variable.
var (
	quotedAttr   = regexp.MustCompile(`="(\{ cbtempl\.[A-Za-z]+\(ctx, "(?:[^"\\]|\\.)*"\) \})"`)
	scriptString = regexp.MustCompile(`(<script>var u = ")\{ (cbtempl\.[A-Za-z]+\(ctx, "(?:[^"\\]|\\.)*"\)) \}(";</script>)`)
	call         = regexp.MustCompile(`\{ cbtempl\.[A-Za-z]+\(ctx, "(?:[^"\\]|\\.)*"\) \}|@cbtempl\.ImportMap\(\)|@cbtempl\.(?:Entry|Preload)\("(?:[^"\\]|\\.)*"\)`)
	anyAction    = regexp.MustCompile(`\{ [^}]*\}|@cbtempl`)
	// The pages of the contexts templ cannot write: an unquoted
	// attribute, and a URL inside a larger attribute value.
	otherContext = regexp.MustCompile(`<a href=\{ |url\(\{ |srcset="\{ `)
)

func expressible(src string) bool {
	rest := call.ReplaceAllString(src, "")
	return !anyAction.MatchString(rest) && !otherContext.MatchString(src)
}

// templSource returns the body of a templ component for src: an
// attribute that is a whole action takes templ's attr={ expression }, and
// an action in a script's string templ's {{ expression }}.
func templSource(src string) string {
	s := scriptString.ReplaceAllString(src, "$1{{ $2 }}$3")
	return quotedAttr.ReplaceAllString(s, "=$1")
}

// generated returns internal/cases/cases.templ and components.go for srcs.
func generated(t *testing.T, srcs []string) (casesTempl, componentsGo []byte) {
	var tb, gb bytes.Buffer
	tb.WriteString("// Code generated by go test -run TestGenerated -update in adapters/templ; DO NOT EDIT.\n\n")
	tb.WriteString("package cases\n\nimport cbtempl \"github.com/cachebust/cachebust/adapters/templ\"\n")
	gb.WriteString("// Code generated by go test -run TestGenerated -update in adapters/templ; DO NOT EDIT.\n\n")
	gb.WriteString("// Package cases holds the conformance suite's templates as templ\n// components, compiled ahead with templ generate.\npackage cases\n\n")
	gb.WriteString("import \"github.com/a-h/templ\"\n\n")
	gb.WriteString("// Components are the components, by the source the suite writes.\nvar Components = map[string]templ.Component{\n")
	for i, src := range srcs {
		fmt.Fprintf(&tb, "\ntempl c%03d() {\n\t%s\n}\n", i, templSource(src))
		fmt.Fprintf(&gb, "%s: c%03d(),\n", strconv.Quote(src), i)
	}
	gb.WriteString("}\n")
	g, err := format.Source(gb.Bytes())
	if err != nil {
		t.Fatalf("formatting components.go: %v\n%s", err, gb.Bytes())
	}
	return tb.Bytes(), g
}

// TestGenerated checks that internal/cases holds the components of the
// suite's current cases, and, where the templ command of go.mod's version
// is on PATH, that cases_templ.go is what it generates from them. With
// -update it rewrites them.
func TestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	dir := filepath.Join("internal", "cases")
	const fromRoot = "adapters/templ/internal/cases"
	casesTempl, componentsGo := generated(t, sources(t))
	templBin, _ := exec.LookPath("templ")
	if *update {
		if templBin == "" {
			t.Fatalf("-update needs the templ command: go install github.com/a-h/templ/cmd/templ@%s", templVersion)
		}
		for name, data := range map[string][]byte{"cases.templ": casesTempl, "components.go": componentsGo} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(templBin, "generate", "-f", filepath.Join(fromRoot, "cases.templ"))
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("templ generate: %v\n%s", err, out)
		}
		return
	}
	for name, want := range map[string][]byte{"cases.templ": casesTempl, "components.go": componentsGo} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (%v): run go test ./adapters/templ -run TestGenerated -update", filepath.Join(dir, name), err)
		}
	}
	if templBin == "" {
		t.Logf("no templ command on PATH: cases_templ.go not checked")
		return
	}
	if v, err := exec.Command(templBin, "version").Output(); err != nil || strings.TrimSpace(string(v)) != templVersion {
		t.Logf("templ command %q is not %s: cases_templ.go not checked", strings.TrimSpace(string(v)), templVersion)
		return
	}
	// The path from the repository root, as -update and templ generate
	// -path . give it: templ writes it into errors.
	tmp := t.TempDir()
	if err := os.MkdirAll(filepath.Join(tmp, fromRoot), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, fromRoot, "cases.templ"), casesTempl, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(templBin, "generate", "-f", filepath.Join(fromRoot, "cases.templ"))
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("templ generate: %v\n%s", err, out)
	}
	want, err := os.ReadFile(filepath.Join(tmp, fromRoot, "cases_templ.go"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "cases_templ.go")); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is not what templ generate writes (%v): run go test ./adapters/templ -run TestGenerated -update", filepath.Join(dir, "cases_templ.go"), err)
	}
}

var _ templ.Component = cbtempl.ImportMap()
