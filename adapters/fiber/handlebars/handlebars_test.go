package handlebars_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/handlebars/v2"

	cbhandlebars "github.com/cachebust/cachebust/adapters/fiber/handlebars"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
)

func TestMain(m *testing.M) {
	// Handlebars has no filter or pipe syntax, so the suite's filter
	// subtests cannot be written; the cases that mix both syntaxes run
	// with calls.
	fibertest.Skip(fibertest.NoFilter)
	os.Exit(m.Run())
}

// Every case of the suite has a resolver of its own, and passes only
// because its Register made that resolver the helpers'.
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

func newViews(fs http.FileSystem, ext string) *handlebars.Engine {
	return handlebars.NewFileSystem(fs, ext)
}

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, cbhandlebars.Register)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbhandlebars.Register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "handlebars")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbhandlebars.Register)
}

// An engine with a function of the helpers' name would panic at Load.
func TestRegisterTakenName(t *testing.T) {
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
	fibertest.Layouts(t, syntax, newViews, cbhandlebars.Register, nil)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbhandlebars.Register)
}
