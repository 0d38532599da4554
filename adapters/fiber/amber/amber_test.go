package amber_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/template/amber/v2"

	cbamber "github.com/cachebust/cachebust/adapters/fiber/amber"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
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
	fibertest.Conformance(t, syntax, newViews, cbamber.Register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, cbamber.Register, func(e *amber.Engine) fibertest.Views { return cbamber.NewViews(e) })
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbamber.Register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "amber")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbamber.Register)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbamber.Register)
}

// Through Views, a view that fails inside a layout fails the request.
func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, cbamber.Register, func(e *amber.Engine) fibertest.Views { return cbamber.NewViews(e) })
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
		out, err := fibertest.Render(t, syntax, newViews, cbamber.Register, "p #{asset_url}", tt.data)
		if strings.TrimSpace(out) != tt.want || err != nil {
			t.Errorf("Render(p #{asset_url}) with %v = %q, %v; want %q, nil", tt.data, out, err, tt.want)
		}
	}
}
