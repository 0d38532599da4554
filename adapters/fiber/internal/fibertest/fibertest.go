// Package fibertest holds the tests every cachebust package for a
// gofiber/template engine runs, so that each package states only its
// engine's syntax: the conformance suite rendered through the engine
// (Conformance), a page rendered by Fiber v2 and v3 apps (Apps), alone and
// inside a layout (Layouts) and with the functions registered after
// fiber.New (RegisterAfterNew), and the check that the package links no
// other engine (LinksOnly).
//
// Rendering through the gofiber engine, not through the template library
// underneath, is the point: it is the engine that copies functions at Load,
// converts them, or panics on ones it does not take.
package fibertest

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	fiberv2 "github.com/gofiber/fiber/v2"
	fiberv3 "github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
)

// Views is what the tests need of a gofiber/template engine: the Views
// interface of Fiber v2 and v3.
type Views interface {
	Load() error
	Render(out io.Writer, name string, binding any, layout ...string) error
}

// Syntax is how one engine writes the templates of the tests.
type Syntax struct {
	// Ext is the template file extension the engine is made with.
	Ext string
	// Literal, Var and Call are conformance.Engine's methods.
	Literal func(s string) string
	Var     func(name string) string
	Call    func(fn string, args ...string) string
	// Filter is conformance.Engine's method, or nil for an engine with no
	// filter or pipe syntax. Its filter actions are then written as calls,
	// so that the cases that mix both syntaxes still run, and its test
	// skips the suite's filter subtests with NoFilter.
	Filter func(fn, arg string, params ...string) string
	// Bare is conformance.Engine's method; nil means "{{ fn }}".
	Bare func(fn string) string
	// Template, if set, turns a page of HTML with actions into the
	// engine's source, for engines whose templates are not HTML.
	Template func(page string) (string, error)
	// Output, if set, turns what the engine renders back into HTML as
	// the page was written, such as by dropping the newline an engine ends
	// every line with.
	Output func(out string) string
	// Unwrap reports whether render errors wrap the functions' errors,
	// as conformance.UnwrappingEngine.
	Unwrap bool
	// Layout is the source, in the engine's syntax, of a layout that
	// prints the view rendered inside it in a <main> element, as
	// <main>{{ embed }}</main> in html.
	Layout string
}

// NoFilter is the Skip pattern of the conformance suite's filter
// subtests, for engines with no filter syntax, in TestConformance and in
// TestConformanceViews, which runs it through the Views a package's Register returns.
const NoFilter = "^TestConformance(Views)?$/./^filter$"

// Skip leaves out of the package's tests those whose names match one of
// patterns, as go test -skip does, in addition to what -skip says. Call it
// from TestMain, before m.Run; the patterns are those of -skip, and the
// conformance suite's are TestConformance/<case>/<syntax>/<context>.
func Skip(patterns ...string) {
	if !flag.Parsed() {
		flag.Parse()
	}
	if v := flag.Lookup("test.skip").Value.String(); v != "" {
		patterns = append([]string{v}, patterns...)
	}
	// Of alternatives, go test takes the first that matches a name, even
	// as a prefix of a longer pattern: shorter patterns come first, so
	// that one naming a whole case is not hidden by one naming subtests.
	slices.SortStableFunc(patterns, func(a, b string) int {
		return strings.Count(a, "/") - strings.Count(b, "/")
	})
	if err := flag.Set("test.skip", strings.Join(patterns, "|")); err != nil {
		panic(err)
	}
}

// PipedText returns page as text lines, each starting with "| ", the way
// pug, ace and amber write verbatim text.
func PipedText(page string) (string, error) {
	return "| " + strings.ReplaceAll(page, "\n", "\n| "), nil
}

// engine is a conformance.Engine rendering each source through a
// gofiber engine of its own, loaded from an in-memory file system on
// first use.
type engine[V Views] struct {
	s        Syntax
	newViews func(fs http.FileSystem, ext string) V
	register func(V, *core.Resolver) error
	// app, if set, turns the engine into the Views that renders.
	app func(V) Views
	r   *core.Resolver

	mu     sync.Mutex
	loaded map[string]Views
}

var _ conformance.UnwrappingEngine = (*engine[Views])(nil)

func (e *engine[V]) Literal(s string) string               { return e.s.Literal(s) }
func (e *engine[V]) Var(name string) string                { return e.s.Var(name) }
func (e *engine[V]) Call(fn string, args ...string) string { return e.s.Call(fn, args...) }
func (e *engine[V]) ErrorsUnwrap() bool                    { return e.s.Unwrap }

func (e *engine[V]) Filter(fn, arg string, params ...string) string {
	if e.s.Filter == nil {
		return e.s.Call(fn, append([]string{arg}, params...)...)
	}
	return e.s.Filter(fn, arg, params...)
}

func (e *engine[V]) Bare(fn string) string {
	if e.s.Bare == nil {
		return "{{ " + fn + " }}"
	}
	return e.s.Bare(fn)
}

func (e *engine[V]) Render(src string, data map[string]any) (string, error) {
	v, err := e.load(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = v.Render(&b, "t", data)
	return e.s.output(b.String()), err
}

func (e *engine[V]) load(src string) (Views, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if v, ok := e.loaded[src]; ok {
		return v, nil
	}
	v, err := newLoaded(e.s, e.newViews, e.register, e.r, "t", src)
	if err != nil {
		return nil, err
	}
	views := Views(v)
	if e.app != nil {
		views = e.app(v)
	}
	e.loaded[src] = views
	return views, nil
}

// newLoaded returns an engine holding the one template name, made from
// page, with the functions of r registered, and loaded.
func newLoaded[V Views](s Syntax, newViews func(http.FileSystem, string) V, register func(V, *core.Resolver) error, r *core.Resolver, name, page string) (V, error) {
	v, err := newViewsOf(s, newViews, register, r, map[string]string{name: page})
	if err == nil {
		err = v.Load()
	}
	return v, err
}

// newViewsOf is newLoaded without the Load, which fiber.New does, of
// templates named by the keys of pages.
func newViewsOf[V Views](s Syntax, newViews func(http.FileSystem, string) V, register func(V, *core.Resolver) error, r *core.Resolver, pages map[string]string) (V, error) {
	v, err := newUnregistered(s, newViews, pages, nil)
	if err == nil {
		err = register(v, r)
	}
	return v, err
}

// newUnregistered returns an engine, without cachebust's functions, of
// the templates named by the keys of pages, made from their values, and of
// those named by the keys of sources, already in the engine's syntax.
func newUnregistered[V Views](s Syntax, newViews func(http.FileSystem, string) V, pages, sources map[string]string) (V, error) {
	fsys := fstest.MapFS{}
	for name, src := range sources {
		fsys[name+s.Ext] = &fstest.MapFile{Data: []byte(src)}
	}
	for name, page := range pages {
		src := page
		if s.Template != nil {
			var err error
			if src, err = s.Template(page); err != nil {
				var zero V
				return zero, fmt.Errorf("writing the page %q in the engine's syntax: %w", page, err)
			}
		}
		fsys[name+s.Ext] = &fstest.MapFile{Data: []byte(src)}
	}
	return newViews(http.FS(fsys), s.Ext), nil
}

func (s Syntax) output(out string) string {
	if s.Output == nil {
		return out
	}
	return s.Output(out)
}

// Conformance runs conformance.Run, as the test TestConformance, through
// engines made by newViews with the functions installed by register.
func Conformance[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error) {
	ConformanceOf(t, s, newViews, register, nil)
}

// ConformanceOf is Conformance rendering through app(engine), such as a
// Views its Register returned, rather than through the engine itself.
func ConformanceOf[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error, app func(V) Views) {
	conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
		return &engine[V]{s: s, newViews: newViews, register: register, app: app, r: r, loaded: map[string]Views{}}
	})
}

// RegisterNil checks that register fails, rather than panics, with a nil
// engine and with a nil resolver.
func RegisterNil[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error) {
	var none V
	if err := register(none, Resolver(t)); err == nil {
		t.Error("Register(nil, r) = nil, want an error")
	}
	if err := register(newViews(http.FS(fstest.MapFS{}), s.Ext), nil); err == nil {
		t.Error("Register(engine, nil) = nil, want an error")
	}
}

// Resolver returns a resolver of the manifest built from css/app.css
// holding "body{color:#c00}\n", whose URL is
// /static/css/app-7cf8afb02638.css.
func Resolver(tb testing.TB) *core.Resolver {
	tb.Helper()
	return adaptertest.Resolver(tb, core.Options{})
}

// Apps renders a page linking css/app.css with asset_url, by the call
// syntax on a render variable and by the filter syntax (or a second call)
// on a literal, and a page with the elements of asset_entry and
// asset_preload of css/app.css in its head, in a Fiber v2 and a Fiber v3
// app whose Views is an engine made by newViews, registered before
// fiber.New and never loaded by hand.
func Apps[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error) {
	r := Resolver(t)
	e := &engine[V]{s: s}
	pages := []struct{ name, page, want string }{
		{
			"url",
			`<link href="` + s.Call("asset_url", s.Var("css")) + `"><link href="` + e.Filter("asset_url", s.Literal("css/app.css")) + `">`,
			`<link href="/static/css/app-7cf8afb02638.css"><link href="/static/css/app-7cf8afb02638.css">`,
		},
		{
			"entry",
			`<head>` + s.Call("asset_entry", s.Var("css")) + `</head><p>` + s.Call("asset_preload", s.Literal("css/app.css")) + `</p>`,
			`<head><link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"></head><p><link rel="preload" href="/static/css/app-7cf8afb02638.css" as="style"></p>`,
		},
	}
	for _, version := range Versions {
		for _, p := range pages {
			t.Run(version+"/"+p.name, func(t *testing.T) {
				views, err := newViewsOf(s, newViews, register, r, map[string]string{"index": p.page})
				if err != nil {
					t.Fatalf("Register: %v", err)
				}
				status, body := Get(t, version, views, map[string]any{"css": "css/app.css"})
				if got := strings.TrimSpace(s.output(body)); status != http.StatusOK || got != p.want {
					t.Errorf("GET / = %d %q, want 200 %q\ntemplate: %s", status, got, p.want, p.page)
				}
			})
		}
	}
}

// Layouts checks, in Fiber v2 and v3 apps, a view calling asset_url
// rendered alone and inside the layout "layouts/main": with an asset of
// the manifest the page holds its URL, and with an asset missing in strict
// mode the request fails, layout or not. The app's Views is the engine
// made by newViews and registered before fiber.New, as app turns it into
// Fiber's Views; app nil means the engine itself.
func Layouts[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error, app func(V) Views) {
	r := adaptertest.Resolver(t, core.Options{Strict: true})
	pages := map[string]string{"index": `<link href="` + s.Call("asset_url", s.Var("css")) + `">`}
	layouts := map[string]string{"layouts/main": s.Layout}
	const link = `<link href="/static/css/app-7cf8afb02638.css">`
	for _, version := range Versions {
		for _, layout := range []string{"", "layouts/main"} {
			name, want := "alone", link
			if layout != "" {
				name, want = "layout", "<main>"+link+"</main>"
			}
			t.Run(version+"/"+name, func(t *testing.T) {
				engine, err := newUnregistered(s, newViews, pages, layouts)
				if err != nil {
					t.Fatal(err)
				}
				if err := register(engine, r); err != nil {
					t.Fatalf("Register: %v", err)
				}
				views := Views(engine)
				if app != nil {
					views = app(engine)
				}
				status, body := Get(t, version, views, map[string]any{"css": "css/app.css"}, layout)
				// Engines end lines of layouts where their views do not.
				if got := strings.ReplaceAll(s.output(body), "\n", ""); status != http.StatusOK || got != want {
					t.Errorf("GET / with css/app.css = %d %q, want 200 %q\ntemplates: %q %q", status, got, want, pages, layouts)
				}
				status, body = Get(t, version, views, map[string]any{"css": "css/missing.css"}, layout)
				if status != http.StatusInternalServerError {
					t.Errorf("GET / with css/missing.css, missing in strict mode = %d %q, want 500\ntemplates: %q %q", status, body, pages, layouts)
				}
			})
		}
	}
	t.Run("concurrent", func(t *testing.T) {
		engine, err := newUnregistered(s, newViews, pages, layouts)
		if err != nil {
			t.Fatal(err)
		}
		if err := register(engine, r); err != nil {
			t.Fatalf("Register: %v", err)
		}
		views := Views(engine)
		if app != nil {
			views = app(engine)
		}
		if err := views.Load(); err != nil {
			t.Fatal(err)
		}
		// Renders alone and inside the layout, of an asset found and of
		// one missing, at once: each gives its own page or error.
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				for j := range 20 {
					layout, want := "", link
					if (i+j)%2 == 1 {
						layout, want = "layouts/main", "<main>"+link+"</main>"
					}
					var b strings.Builder
					if (i+j)%3 == 0 {
						if err := views.Render(&b, "index", map[string]any{"css": "css/missing.css"}, layout); err == nil {
							t.Errorf("Render(index with css/missing.css, layout %q) = %q, nil; want an error", layout, b.String())
							return
						}
						continue
					}
					err := views.Render(&b, "index", map[string]any{"css": "css/app.css"}, layout)
					if got := strings.ReplaceAll(s.output(b.String()), "\n", ""); err != nil || got != want {
						t.Errorf("Render(index, layout %q) = %q, %v; want %q", layout, got, err, want)
						return
					}
				}
			})
		}
		wg.Wait()
	})
}

// RegisterAfterNew checks that an engine made by newViews and registered
// only after fiber.New, which loads it, renders a page with asset_url in
// Fiber v2 and v3 apps.
func RegisterAfterNew[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error) {
	r := Resolver(t)
	page := `<link href="` + s.Call("asset_url", s.Literal("css/app.css")) + `">`
	const want = `<link href="/static/css/app-7cf8afb02638.css">`
	for _, version := range Versions {
		t.Run(version, func(t *testing.T) {
			engine, err := newUnregistered(s, newViews, map[string]string{"index": page}, nil)
			if err != nil {
				t.Fatal(err)
			}
			status, body := get(t, version, engine, map[string]any{}, nil, func() {
				if err := register(engine, r); err != nil {
					t.Errorf("Register after fiber.New: %v", err)
				}
			})
			if got := strings.TrimSpace(s.output(body)); status != http.StatusOK || got != want {
				t.Errorf("GET / = %d %q, want 200 %q\ntemplate: %s", status, got, want, page)
			}
		})
	}
}

// Render renders src, a template in the engine's syntax, with data
// through an engine made by newViews with the functions of Resolver
// registered, and returns the output and the error of Render.
func Render[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error, src string, data map[string]any) (string, error) {
	t.Helper()
	v, err := newUnregistered(s, newViews, nil, map[string]string{"t": src})
	if err == nil {
		err = register(v, Resolver(t))
	}
	if err == nil {
		err = v.Load()
	}
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err = v.Render(&b, "t", data)
	return b.String(), err
}

// Versions are the Fiber versions Get serves with.
var Versions = []string{"v2", "v3"}

// BareLayout checks that an engine made by newViews and registered, given
// to Fiber itself rather than the Views register returned, fails every
// request rendered inside a layout, with an error saying to give Fiber the
// Views, and still renders a view alone.
func BareLayout[V Views](t *testing.T, s Syntax, newViews func(fs http.FileSystem, ext string) V, register func(V, *core.Resolver) error) {
	r := adaptertest.Resolver(t, core.Options{Strict: true})
	pages := map[string]string{"index": `<link href="` + s.Call("asset_url", s.Var("css")) + `">`}
	layouts := map[string]string{"layouts/main": s.Layout}
	for _, version := range Versions {
		t.Run(version, func(t *testing.T) {
			engine, err := newUnregistered(s, newViews, pages, layouts)
			if err != nil {
				t.Fatal(err)
			}
			if err := register(engine, r); err != nil {
				t.Fatalf("Register: %v", err)
			}
			if status, body := Get(t, version, engine, map[string]any{"css": "css/app.css"}); status != http.StatusOK {
				t.Errorf("GET / alone = %d %q, want 200", status, body)
			}
			for _, css := range []string{"css/app.css", "css/missing.css"} {
				status, body := Get(t, version, engine, map[string]any{"css": css}, "layouts/main")
				if status != http.StatusInternalServerError || !strings.Contains(body, "Views that Register returned") {
					t.Errorf("GET / with %s in a layout, through the engine = %d %q, want 500 saying to give Fiber the Views", css, status, body)
				}
			}
		})
	}
}

// Get makes a Fiber app of version "v2" or "v3" with views as its Views
// (fiber.New loads it) and a handler rendering the template "index" with
// bind, inside layouts if any, and returns the status and body of a GET
// request to it. bind is a plain map, which every engine takes with both
// Fiber versions.
func Get(t *testing.T, version string, views Views, bind map[string]any, layouts ...string) (int, string) {
	t.Helper()
	return get(t, version, views, bind, layouts, nil)
}

// get is Get, calling afterNew, if set, between fiber.New and the
// request.
func get(t *testing.T, version string, views Views, bind map[string]any, layouts []string, afterNew func()) (int, string) {
	t.Helper()
	var resp *http.Response
	var err error
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	switch version {
	case "v2":
		app := fiberv2.New(fiberv2.Config{Views: views})
		app.Get("/", func(c *fiberv2.Ctx) error { return c.Render("index", bind, layouts...) })
		if afterNew != nil {
			afterNew()
		}
		resp, err = app.Test(req)
	case "v3":
		app := fiberv3.New(fiberv3.Config{Views: views})
		app.Get("/", func(c fiberv3.Ctx) error { return c.Render("index", bind, layouts...) })
		if afterNew != nil {
			afterNew()
		}
		resp, err = app.Test(req)
	default:
		t.Fatalf("unknown Fiber version %q", version)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// families are the import path prefixes of each gofiber/template engine
// and of the template library it wraps.
var families = map[string][]string{
	"ace":        {"github.com/gofiber/template/ace/", "github.com/yosssi/ace"},
	"amber":      {"github.com/gofiber/template/amber/", "github.com/eknkc/amber"},
	"django":     {"github.com/gofiber/template/django/", "github.com/flosch/pongo2/"},
	"handlebars": {"github.com/gofiber/template/handlebars/", "github.com/mailgun/raymond/"},
	"html":       {"github.com/gofiber/template/html/"},
	"jet":        {"github.com/gofiber/template/jet/", "github.com/CloudyKit/jet/"},
	"mustache":   {"github.com/gofiber/template/mustache/", "github.com/cbroglie/mustache"},
	"pug":        {"github.com/gofiber/template/pug/", "github.com/Joker/jade"},
	"slim":       {"github.com/gofiber/template/slim/", "github.com/mattn/go-slim"},
}

// LinksOnly checks, with go list -deps, that the package in the current
// directory links the gofiber/template engine named engine and no package
// of another engine or of the template library another one wraps.
func LinksOnly(t *testing.T, engine string) {
	t.Helper()
	if _, ok := families[engine]; !ok {
		t.Fatalf("unknown engine %q", engine)
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	own := false
	for _, dep := range deps {
		for family, prefixes := range families {
			for _, p := range prefixes {
				if !strings.HasPrefix(dep, p) {
					continue
				}
				if family == engine {
					own = true
				} else {
					t.Errorf("links %s, of the %s engine", dep, family)
				}
			}
		}
	}
	if !own {
		t.Errorf("go list -deps lists no package of the %s engine among %d", engine, len(deps))
	}
}
