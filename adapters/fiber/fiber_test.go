package fiber_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	fiberv2 "github.com/gofiber/fiber/v2"
	fiberv3 "github.com/gofiber/fiber/v3"
	"github.com/gofiber/template/django/v3"
	"github.com/gofiber/template/html/v2"
	fiberjet "github.com/gofiber/template/jet/v2"

	cbfiber "github.com/cachebust/cachebust/adapters/fiber"
	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
)

// viewEngine is what the tests need of a gofiber/template engine.
type viewEngine interface {
	cbfiber.Engine
	Load() error
	Render(out io.Writer, name string, binding any, layout ...string) error
}

// kind is one gofiber/template engine and its syntax.
type kind struct {
	name   string
	ext    string
	new    func(fs http.FileSystem, ext string) viewEngine
	unwrap bool // whether render errors wrap the function's

	literal  func(a, b string) string
	call     func(fn string, args ...string) string
	filter   func(fn, arg string, params ...string) string
	variable func(string) string
}

func quote(s string) string { return strconv.Quote(s) }

var kinds = []kind{
	{
		name: "django", ext: ".django",
		new:     func(fs http.FileSystem, ext string) viewEngine { return django.NewFileSystem(fs, ext) },
		literal: func(s, _ string) string { return `"` + s + `"` },
		call: func(fn string, args ...string) string {
			return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}"
		},
		filter: func(fn, arg string, params ...string) string {
			if len(params) > 0 {
				fn += ":" + params[0]
			}
			return "{{ " + arg + "|" + fn + " }}"
		},
		variable: func(name string) string { return name },
	},
	{
		name: "jet", ext: ".jet", unwrap: true,
		new:     func(fs http.FileSystem, ext string) viewEngine { return fiberjet.NewFileSystem(fs, ext) },
		literal: func(s, _ string) string { return quote(s) },
		call: func(fn string, args ...string) string {
			return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}"
		},
		filter: func(fn, arg string, params ...string) string {
			if len(params) > 0 {
				fn += "(" + strings.Join(params, ", ") + ")"
			}
			return "{{ " + arg + " | " + fn + " }}"
		},
		variable: func(name string) string { return name },
	},
	{
		name: "html", ext: ".html", unwrap: true,
		new:     func(fs http.FileSystem, ext string) viewEngine { return html.NewFileSystem(fs, ext) },
		literal: func(s, _ string) string { return quote(s) },
		call: func(fn string, args ...string) string {
			return "{{ " + strings.Join(append([]string{fn}, args...), " ") + " }}"
		},
		filter: func(fn, arg string, params ...string) string {
			return "{{ " + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + " }}"
		},
		variable: func(name string) string { return "." + name },
	},
}

// engine renders each source through a gofiber engine of its own, loaded
// from an in-memory file system on first use.
type engine struct {
	kind
	r *core.Resolver

	mu      sync.Mutex
	engines map[string]viewEngine
}

var _ conformance.UnwrappingEngine = (*engine)(nil)

func (e *engine) Literal(s string) string                   { return e.kind.literal(s, "") }
func (e *engine) Var(name string) string                    { return e.variable(name) }
func (e *engine) Call(fn string, args ...string) string     { return e.call(fn, args...) }
func (e *engine) Bare(fn string) string                     { return "{{ " + fn + " }}" }
func (e *engine) ErrorsUnwrap() bool                        { return e.unwrap }
func (e *engine) Filter(fn, arg string, p ...string) string { return e.filter(fn, arg, p...) }

func (e *engine) Render(src string, data map[string]any) (string, error) {
	v, err := e.load(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = v.Render(&b, "t", data)
	return b.String(), err
}

func (e *engine) load(src string) (viewEngine, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if v, ok := e.engines[src]; ok {
		return v, nil
	}
	v := e.new(http.FS(fstest.MapFS{"t" + e.ext: {Data: []byte(src)}}), e.ext)
	if err := cbfiber.Register(v, e.r); err != nil {
		return nil, err
	}
	if err := v.Load(); err != nil {
		return nil, err
	}
	e.engines[src] = v
	return v, nil
}

func TestConformance(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
				if k.name == "django" {
					// The pipe filter is pongo2's, process-wide.
					if err := cbpongo2.SetDefault(r); err != nil {
						t.Fatal(err)
					}
				}
				return &engine{kind: k, r: r, engines: map[string]viewEngine{}}
			})
		})
	}
}

func newResolver(tb testing.TB) *core.Resolver {
	tb.Helper()
	fsys := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	m, err := core.Build(context.Background(), fsys, core.BuildOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// Each engine renders busted URLs in a Fiber v2 and a Fiber v3 app, with
// functions registered before fiber.New and a plain map as binding.
func TestFiberApps(t *testing.T) {
	r := newResolver(t)
	if err := cbpongo2.SetDefault(r); err != nil {
		t.Fatal(err)
	}
	const want = `<link href="/static/css/app-7cf8afb02638.css"> <link href="/static/css/app-7cf8afb02638.css">`
	for _, k := range kinds {
		src := `<link href="` + k.call("asset_url", k.variable("css")) + `"> <link href="` + k.filter("asset_url", k.literal("css/app.css", "")) + `">`
		newViews := func(t *testing.T) viewEngine {
			v := k.new(http.FS(fstest.MapFS{"index" + k.ext: {Data: []byte(src)}}), k.ext)
			if err := cbfiber.Register(v, r); err != nil {
				t.Fatal(err)
			}
			return v
		}
		bind := map[string]any{"css": "css/app.css"}
		t.Run(k.name+"/v2", func(t *testing.T) {
			app := fiberv2.New(fiberv2.Config{Views: newViews(t)})
			app.Get("/", func(c *fiberv2.Ctx) error { return c.Render("index", bind) })
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/", nil))
			checkResponse(t, resp, err, want)
		})
		t.Run(k.name+"/v3", func(t *testing.T) {
			app := fiberv3.New(fiberv3.Config{Views: newViews(t)})
			app.Get("/", func(c fiberv3.Ctx) error { return c.Render("index", bind) })
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/", nil))
			checkResponse(t, resp, err, want)
		})
	}
}

func checkResponse(t *testing.T, resp *http.Response, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != want {
		t.Errorf("GET / = %d %q, want 200 %q", resp.StatusCode, body, want)
	}
}
