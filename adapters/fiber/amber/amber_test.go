package amber_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/template/amber/v2"

	cbamber "github.com/cachebust/cachebust/adapters/fiber/amber"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	"github.com/cachebust/cachebust/core"
)

var syntax = fibertest.Syntax{
	Ext:      ".amber",
	Literal:  strconv.Quote,
	Var:      func(name string) string { return name },
	Call:     func(fn string, args ...string) string { return "#{" + fn + "(" + strings.Join(args, ", ") + ")}" },
	Bare:     func(fn string) string { return "#{" + fn + "}" },
	Filter:   nil,
	Template: fibertest.PipedText,
	Output:   func(out string) string { return strings.TrimSuffix(out, "\n") },
	Unwrap:   true,
	Layout:   `main #{embed()}`,
}

func TestMain(m *testing.M) {
	// Amber has no filter or pipe syntax, so the suite's filter subtests
	// cannot be written; the cases that mix both syntaxes run with calls.
	fibertest.Skip(
		fibertest.NoFilter,
		// Amber prints a function named alone as an empty string, with no
		// error.
		"^TestConformance(Views)?$/^no-arguments$/./^bare$",
		"^TestConformance(Views)?$/^importmap-bare$",
	)
	os.Exit(m.Run())
}

func newViews(fs http.FileSystem, ext string) *amber.Engine { return amber.NewFileSystem(fs, ext) }

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
	fibertest.LinksOnly(t, "amber")
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

// A name without parentheses is a field of the render data, as the package
// documentation says: #{asset_url} prints the data's asset_url, nothing if
// there is none, and calls no function.
func TestBareIsData(t *testing.T) {
	for _, tt := range []struct {
		data map[string]any
		want string
	}{
		{nil, "<p></p>"},
		{map[string]any{"asset_url": "data"}, "<p>data</p>"},
	} {
		out, err := fibertest.Render(t, syntax, newViews, register, "p #{asset_url}", tt.data)
		if strings.TrimSpace(out) != tt.want || err != nil {
			t.Errorf("Render(p #{asset_url}) with %v = %q, %v; want %q, nil", tt.data, out, err, tt.want)
		}
	}
}

// registered holds the Views Register returned for each engine.
var registered sync.Map

// register is Register for the suite, which takes an error alone; viewsOf
// gives the Views it returned.
func register(e *amber.Engine, r *core.Resolver) error {
	v, err := cbamber.Register(e, r)
	if err == nil {
		registered.Store(e, v)
	}
	return err
}

// viewsOf returns the Views Register returned for e.
func viewsOf(e *amber.Engine) fibertest.Views {
	v, _ := registered.Load(e)
	return v.(*cbamber.Views)
}

// The engine itself, registered but given to Fiber in place of the Views,
// refuses layouts rather than answer 200 with a view's error in the page.
func TestBareEngineLayout(t *testing.T) {
	fibertest.BareLayout(t, syntax, newViews, register)
}
