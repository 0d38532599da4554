package jet_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/template/jet/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	cbjet "github.com/cachebust/cachebust/adapters/fiber/jet"
)

var syntax = fibertest.Syntax{
	Ext:     ".jet",
	Literal: strconv.Quote,
	Var:     func(name string) string { return name },
	Call:    func(fn string, args ...string) string { return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}" },
	Filter: func(fn, arg string, params ...string) string {
		if len(params) > 0 {
			fn += "(" + strings.Join(params, ", ") + ")"
		}
		return "{{ " + arg + " | " + fn + " }}"
	},
	Unwrap: true,
	Layout: `<main>{{ embed() }}</main>`,
}

func newViews(fs http.FileSystem, ext string) *jet.Engine { return jet.NewFileSystem(fs, ext) }

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, cbjet.Register)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbjet.Register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "jet")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbjet.Register)
}

func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, cbjet.Register, nil)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbjet.Register)
}
