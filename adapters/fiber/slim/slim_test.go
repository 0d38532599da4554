package slim_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/slim/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	cbslim "github.com/cachebust/cachebust/adapters/fiber/slim"
	"github.com/cachebust/cachebust/core"
)

func TestMain(m *testing.M) {
	fibertest.Skip(
		// Slim has no filter or pipe syntax, so the suite's filter
		// subtests cannot be written; the cases that mix both syntaxes
		// run with calls.
		fibertest.NoFilter,
		// go-slim panics calling any function with a nil value, before
		// the function runs (reflect.Value.Call with a zero Value), and the
		// panic escapes the engine's Render; the Views return it as an
		// error, which TestConformanceViews checks.
		"^TestConformance$/^non-string-nil$",
		// The test's translation of HTML pages into slim elements cannot
		// write an unquoted attribute, a script's text or a style
		// attribute with an action inside it.
		"^TestConformance(Views)?$/./^call$/^(attr-unquoted|script|style)$",
		// Slim reads name=value in the text after an element's name as an
		// attribute, so the test's translation cannot write a literal
		// holding one, as these cases' names do, in element text;
		// entry-hostile-value passes such a name in the render data.
		"^TestConformance(Views)?$/^(entry-hostile-names|entry-hostile-missing)$",
		// go-slim prints a function named alone as its address.
		"^TestConformance(Views)?$/^no-arguments$/./^bare$",
		"^TestConformance(Views)?$/^importmap-bare$",
	)
	os.Exit(m.Run())
}

var syntax = fibertest.Syntax{
	Ext: ".slim",
	// go-slim's string literals take no escapes; the suite's have no
	// quote or backslash.
	Literal:  func(s string) string { return `"` + s + `"` },
	Var:      func(name string) string { return name },
	Call:     func(fn string, args ...string) string { return "#{" + fn + "(" + strings.Join(args, ", ") + ")}" },
	Bare:     func(fn string) string { return "#{" + fn + "}" },
	Template: toSlim,
	// go-slim ends every element with a newline and closes void ones
	// with "/>".
	Output: func(out string) string { return strings.ReplaceAll(strings.ReplaceAll(out, "\n", ""), "/>", ">") },
	Unwrap: true,
	Layout: `main == embed`,
}

// tag is an HTML start or end tag of the suite's pages; an attribute
// value may hold #{...} with quotes inside.
var tag = regexp.MustCompile(`<(/?)([a-z]+)((?:\s+[a-z-]+="(?:#\{[^}]*\}|[^"])*")*)>`)

var voidElements = []string{"img", "link", "meta"}

// toSlim writes a page of HTML elements side by side, each holding text at
// most, as Slim lines: one element a line, its attributes and text after
// its name.
func toSlim(page string) (string, error) {
	var lines []string
	open := "" // the element whose end tag comes next
	rest := page
	for rest != "" {
		loc := tag.FindStringSubmatchIndex(rest)
		if loc == nil || loc[0] > 0 && open == "" {
			return "", fmt.Errorf("text outside an element: %q", rest)
		}
		if loc[0] > 0 {
			lines[len(lines)-1] += " " + rest[:loc[0]]
		}
		end, name, attrs := rest[loc[2]:loc[3]] == "/", rest[loc[4]:loc[5]], rest[loc[6]:loc[7]]
		rest = rest[loc[1]:]
		switch {
		case end && name == open:
			open = ""
		case end || open != "":
			return "", errors.New("nested elements")
		default:
			lines = append(lines, name+attrs)
			if !slices.Contains(voidElements, name) {
				open = name
			}
		}
	}
	return strings.Join(lines, "\n"), nil
}

func TestToSlim(t *testing.T) {
	tests := []struct{ page, want string }{
		{`<p>#{f("x")}</p>`, `p #{f("x")}`},
		{`<link rel="stylesheet" href="#{f("x")}">`, `link rel="stylesheet" href="#{f("x")}"`},
		{`<link href="a"><p>t</p><script src="b"></script>`, "link href=\"a\"\np t\nscript src=\"b\""},
	}
	for _, tt := range tests {
		if got, err := toSlim(tt.page); got != tt.want || err != nil {
			t.Errorf("toSlim(%q) = %q, %v; want %q", tt.page, got, err, tt.want)
		}
	}
	for _, page := range []string{`text`, `<p><b>x</b></p>`, `<p>x</p> y`} {
		if got, err := toSlim(page); err == nil {
			t.Errorf("toSlim(%q) = %q, want an error", page, got)
		}
	}
}

func newViews(fs http.FileSystem, ext string) *slim.Engine { return slim.NewFileSystem(fs, ext) }

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, register, viewsOf)
}

// Through Views, a nil value passed to asset_url fails the request with
// 500, layout or not, rather than panicking out of Render.
func TestViewsNil(t *testing.T) {
	e := newViews(http.FS(fstest.MapFS{
		"index.slim":        {Data: []byte("p = asset_url(v)")},
		"layouts/main.slim": {Data: []byte("main == embed")},
	}), ".slim")
	pages, err := cbslim.Register(e, fibertest.Resolver(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range fibertest.Versions {
		for _, layout := range []string{"", "layouts/main"} {
			status, body := fibertest.Get(t, version, pages, map[string]any{"v": nil}, layout)
			if status != http.StatusInternalServerError || !strings.Contains(body, "panicked") {
				t.Errorf("%s, layout %q: GET / with v nil = %d %q, want 500 saying go-slim panicked", version, layout, status, body)
			}
		}
	}
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "slim")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, register)
}

// A call with no argument, or two, is an error saying how many.
func TestArguments(t *testing.T) {
	for src, want := range map[string]string{
		`p = asset_url()`:                   "asset_url: 0 arguments, want 1",
		`p = asset_url("css/app.css", "x")`: "asset_url: 2 arguments, want 1",
	} {
		if out, err := render(t, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Render(%s) = %q, %v; want an error saying %q", src, out, err, want)
		}
	}
}

// render renders the Slim template src with the functions of
// fibertest.Resolver.
func render(t *testing.T, src string) (string, error) {
	t.Helper()
	e := newViews(http.FS(fstest.MapFS{"t.slim": {Data: []byte(src)}}), ".slim")
	if _, err := cbslim.Register(e, fibertest.Resolver(t)); err != nil {
		t.Fatal(err)
	}
	if err := e.Load(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err := e.Render(&b, "t", nil)
	return b.String(), err
}

// asset_importmap prints unescaped through #{} and ==, as the package
// documentation says, and escaped through =, which it warns against.
func TestImportMapSyntax(t *testing.T) {
	const element = `<script type="importmap">{"imports":{}}</script>`
	for src, want := range map[string]string{
		`head #{asset_importmap()}`: "<head>" + element + "</head>\n",
		`head == asset_importmap()`: "<head>" + element + "</head>\n",
		`head = asset_importmap()`:  "<head>&lt;script type=&#34;importmap&#34;&gt;{&#34;imports&#34;:{}}&lt;/script&gt;</head>\n",
	} {
		if out, err := render(t, src); err != nil || out != want {
			t.Errorf("Render(%s) = %q, %v; want %q", src, out, err, want)
		}
	}
}

func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, register, nil)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, register)
}

// go-slim prints a function named without a call as its address, as the
// package documentation says.
func TestBareIsAddress(t *testing.T) {
	out, err := fibertest.Render(t, syntax, newViews, register, "p #{asset_url}", nil)
	if !regexp.MustCompile(`^<p>0x[0-9a-f]+</p>$`).MatchString(strings.TrimSpace(out)) || err != nil {
		t.Errorf("Render(p #{asset_url}) = %q, %v; want an address and no error", out, err)
	}
}

// registered holds the Views Register returned for each engine.
var registered sync.Map

// register is Register for the suite, which takes an error alone; viewsOf
// gives the Views it returned.
func register(e *slim.Engine, r *core.Resolver) error {
	v, err := cbslim.Register(e, r)
	if err == nil {
		registered.Store(e, v)
	}
	return err
}

// viewsOf returns the Views Register returned for e.
func viewsOf(e *slim.Engine) fibertest.Views {
	v, _ := registered.Load(e)
	return v.(*cbslim.Views)
}
