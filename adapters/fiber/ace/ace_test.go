package ace_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/template/ace/v2"

	cbace "github.com/cachebust/cachebust/adapters/fiber/ace"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
)

var syntax = fibertest.Syntax{
	Ext:     ".ace",
	Literal: strconv.Quote,
	Var:     func(name string) string { return "." + name },
	Call: func(fn string, args ...string) string {
		return "{{ " + strings.Join(append([]string{fn}, args...), " ") + " }}"
	},
	Filter: func(fn, arg string, params ...string) string {
		return "{{ " + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + " }}"
	},
	Template: fibertest.PipedText,

	Unwrap: true,
	Layout: `| <main>{{ embed }}</main>`,
}

func newViews(fs http.FileSystem, ext string) *ace.Engine { return ace.NewFileSystem(fs, ext) }

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, cbace.Register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, cbace.Register, func(e *ace.Engine) fibertest.Views { return cbace.NewViews(e) })
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbace.Register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "ace")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbace.Register)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbace.Register)
}

// Through Views, a view that fails inside a layout fails the request.
func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, cbace.Register, func(e *ace.Engine) fibertest.Views { return cbace.NewViews(e) })
}
