package pug_test

import (
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/template/pug/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	cbpug "github.com/cachebust/cachebust/adapters/fiber/pug"
	"github.com/cachebust/cachebust/core"
)

var prettyBreak = regexp.MustCompile(`\n\s*`)

var syntax = fibertest.Syntax{
	Ext:     ".pug",
	Literal: strconv.Quote,
	Var:     func(name string) string { return "." + name },
	Call: func(fn string, args ...string) string {
		return "#{" + strings.Join(append([]string{fn}, args...), " ") + "}"
	},
	Filter: func(fn, arg string, params ...string) string {
		return "#{" + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + "}"
	},
	Bare:     func(fn string) string { return "#{" + fn + "}" },
	Template: fibertest.PipedText,
	// The engine pretty-prints the HTML it makes (github.com/Joker/hpp),
	// breaking and indenting lines between tags; the suite's pages are one
	// line each.
	Output: func(out string) string { return prettyBreak.ReplaceAllString(out, "") },
	Unwrap: true,
	Layout: `| <main>#{embed}</main>`,
}

func newViews(fs http.FileSystem, ext string) *pug.Engine { return pug.NewFileSystem(fs, ext) }

func TestMain(m *testing.M) {
	fibertest.Skip(
		// Pug concatenates the two arguments of a call written
		// #{asset_url "a" "b"} into one string before the function sees
		// them, so a call with two arguments cannot be written.
		"^TestConformance(Views)?$/^two-arguments$/./^call$",
	)
	os.Exit(m.Run())
}

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, register, viewsOf)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "pug")
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

// Pug joins adjacent string literals before the function sees them, as the
// package documentation says.
func TestLiteralsJoined(t *testing.T) {
	const src = `| #{asset_url "css/" "app.css"} #{asset_url "a" "b"}`
	const want = "/static/css/app-7cf8afb02638.css /static/ab"
	out, err := fibertest.Render(t, syntax, newViews, register, src, nil)
	if strings.TrimSpace(out) != want || err != nil {
		t.Errorf("Render(%s) = %q, %v; want %q, nil", src, out, err, want)
	}
}

// registered holds the Views Register returned for each engine.
var registered sync.Map

// register is Register for the suite, which takes an error alone; viewsOf
// gives the Views it returned.
func register(e *pug.Engine, r *core.Resolver) error {
	v, err := cbpug.Register(e, r)
	if err == nil {
		registered.Store(e, v)
	}
	return err
}

// viewsOf returns the Views Register returned for e.
func viewsOf(e *pug.Engine) fibertest.Views {
	v, _ := registered.Load(e)
	return v.(*cbpug.Views)
}

// The engine itself, registered but given to Fiber in place of the Views,
// refuses layouts rather than answer 200 with a view's error in the page.
func TestBareEngineLayout(t *testing.T) {
	fibertest.BareLayout(t, syntax, newViews, register)
}
