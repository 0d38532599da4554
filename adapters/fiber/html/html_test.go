package html_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/html/v2"

	cbhtml "github.com/cachebust/cachebust/adapters/fiber/html"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
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
	fibertest.Conformance(t, syntax, newViews, cbhtml.Register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, cbhtml.Register, func(e *html.Engine) fibertest.Views { return cbhtml.NewViews(e) })
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbhtml.Register)
}

// An app using the html engine links neither pongo2 nor Jet nor any
// other engine.
func TestLinksOnlyHTML(t *testing.T) {
	fibertest.LinksOnly(t, "html")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbhtml.Register)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbhtml.Register)
}

// Through Views, a view that fails inside a layout fails the request.
func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, cbhtml.Register, func(e *html.Engine) fibertest.Views { return cbhtml.NewViews(e) })
}

// Register on a loaded engine loads it again, and returns the error of
// that load, naming the engine.
func TestRegisterAfterLoadFails(t *testing.T) {
	e := newViews(http.FS(fstest.MapFS{"index.html": {Data: []byte(`{{ if }}`)}}), ".html")
	if err := e.Load(); err == nil {
		t.Fatal("Load of {{ if }} = nil, want an error")
	}
	err := cbhtml.Register(e, fibertest.Resolver(t))
	if err == nil || !strings.Contains(err.Error(), "html engine") || !strings.Contains(err.Error(), "missing value for if") {
		t.Errorf("Register after a failed Load = %v, want the load's error naming the html engine", err)
	}
}
