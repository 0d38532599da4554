package html_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/html/v2"

	cbhtml "github.com/cachebust/cachebust/adapters/fiber/html"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	"github.com/cachebust/cachebust/core"
)

var syntax = fibertest.Syntax{
	Ext:     ".html",
	Literal: strconv.Quote,
	Var:     func(name string) string { return "." + name },
	Call: func(fn string, args ...string) string {
		return "{{ " + strings.Join(append([]string{fn}, args...), " ") + " }}"
	},
	Filter: func(fn, arg string, params ...string) string {
		return "{{ " + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + " }}"
	},
	Unwrap: true,
	Layout: `<main>{{ embed }}</main>`,
}

func newViews(fs http.FileSystem, ext string) *html.Engine { return html.NewFileSystem(fs, ext) }

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, register, viewsOf)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, register)
}

// An app using the html engine links neither pongo2 nor Jet nor any
// other engine.
func TestLinksOnlyHTML(t *testing.T) {
	fibertest.LinksOnly(t, "html")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, register)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, register)
}

// Through Views, a view that fails inside a layout fails the request.
func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, register, viewsOf)
}

// Register on a loaded engine loads it again, and returns the error of
// that load, naming the engine.
func TestRegisterAfterLoadFails(t *testing.T) {
	e := newViews(http.FS(fstest.MapFS{"index.html": {Data: []byte(`{{ if }}`)}}), ".html")
	if err := e.Load(); err == nil {
		t.Fatal("Load of {{ if }} = nil, want an error")
	}
	_, err := cbhtml.Register(e, fibertest.Resolver(t))
	if err == nil || !strings.Contains(err.Error(), "html engine") || !strings.Contains(err.Error(), "missing value for if") {
		t.Errorf("Register after a failed Load = %v, want the load's error naming the html engine", err)
	}
}

// registered holds the Views Register returned for each engine.
var registered sync.Map

// register is Register for the suite, which takes an error alone; viewsOf
// gives the Views it returned.
func register(e *html.Engine, r *core.Resolver) error {
	v, err := cbhtml.Register(e, r)
	if err == nil {
		registered.Store(e, v)
	}
	return err
}

// viewsOf returns the Views Register returned for e.
func viewsOf(e *html.Engine) fibertest.Views {
	v, _ := registered.Load(e)
	return v.(*cbhtml.Views)
}

// The engine itself, registered but given to Fiber in place of the Views,
// refuses layouts rather than answer 200 with a view's error in the page.
func TestBareEngineLayout(t *testing.T) {
	fibertest.BareLayout(t, syntax, newViews, register)
}
