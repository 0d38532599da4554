package handlebars_test

import (
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/handlebars/v2"

	cbhandlebars "github.com/cachebust/cachebust/adapters/fiber/handlebars"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
)

func TestMain(m *testing.M) {
	// Handlebars has no filter or pipe syntax, so the suite's filter
	// subtests cannot be written; the cases that mix both syntaxes run
	// with calls.
	fibertest.Skip(fibertest.NoFilter)
	os.Exit(m.Run())
}

// Every case of the suite has a resolver of its own: register unbinds the
// previous one first, as no app may.
var syntax = fibertest.Syntax{
	Ext:     ".hbs",
	Literal: strconv.Quote,
	Var:     func(name string) string { return name },
	Call: func(fn string, args ...string) string {
		return "{{" + strings.Join(append([]string{fn}, args...), " ") + "}}"
	},
	Bare:   func(fn string) string { return "{{" + fn + "}}" },
	Unwrap: true,
	Layout: `<main>{{embed}}</main>`,
}

// register returns Register for the cases of t, each with a resolver of
// its own, and unbinds the last one when t ends.
func register(t *testing.T) func(*handlebars.Engine, *core.Resolver) error {
	t.Cleanup(cbhandlebars.Unbind)
	return func(e *handlebars.Engine, r *core.Resolver) error {
		cbhandlebars.Unbind()
		return cbhandlebars.Register(e, r)
	}
}

func newViews(fs http.FileSystem, ext string) *handlebars.Engine {
	return handlebars.NewFileSystem(fs, ext)
}

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, register(t))
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, register(t))
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "handlebars")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, register(t))
}

// An engine with a function of the helpers' name would panic at Load.
func TestRegisterTakenName(t *testing.T) {
	t.Cleanup(cbhandlebars.Unbind)
	r := fibertest.Resolver(t)
	e := handlebars.New("views", ".hbs")
	e.AddFunc("asset_url", func(string) string { return "" })
	if err := cbhandlebars.Register(e, r); err == nil || !strings.Contains(err.Error(), "asset_url") {
		t.Errorf("Register(engine with its own asset_url, r) = %v, want an error naming asset_url", err)
	}
}

// A call with no argument is an error saying so, not a URL made from
// raymond's options.
func TestNoArgument(t *testing.T) {
	t.Cleanup(cbhandlebars.Unbind)
	e := newViews(http.FS(fstest.MapFS{"t.hbs": {Data: []byte(`{{asset_url}}`)}}), ".hbs")
	if err := cbhandlebars.Register(e, fibertest.Resolver(t)); err != nil {
		t.Fatal(err)
	}
	if err := e.Load(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err := e.Render(&b, "t", nil)
	if err == nil || !strings.Contains(err.Error(), "asset_url: 0 arguments, want 1") {
		t.Errorf("Render({{asset_url}}) = %q, %v; want an error saying 0 arguments", b.String(), err)
	}
}

func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, register(t), nil)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, register(t))
}

// A second Register with another resolver is refused, and the helpers go
// on resolving with the first; the same resolver again is accepted.
func TestRegisterOtherResolver(t *testing.T) {
	t.Cleanup(cbhandlebars.Unbind)
	cbhandlebars.Unbind()
	first := fibertest.Resolver(t)
	second := adaptertest.Resolver(t, core.Options{Prefix: "https://cdn.example.com/"})
	page := fstest.MapFS{"t.hbs": {Data: []byte(`{{asset_url "css/app.css"}}`)}}
	a, b := newViews(http.FS(page), ".hbs"), newViews(http.FS(page), ".hbs")
	if err := cbhandlebars.Register(a, first); err != nil {
		t.Fatal(err)
	}
	if err := cbhandlebars.Register(b, first); err != nil {
		t.Errorf("Register(another engine, same resolver) = %v; want nil", err)
	}
	if err := cbhandlebars.Register(b, second); !errors.Is(err, cbhandlebars.ErrOtherResolver) {
		t.Errorf("Register(engine, another resolver) = %v; want ErrOtherResolver", err)
	}
	want, err := first.URL("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range map[string]*handlebars.Engine{"first": a, "second": b} {
		if err := e.Load(); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := e.Render(&out, "t", nil); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("%s engine renders %q; want %q, the first resolver's", name, out.String(), want)
		}
	}
}
