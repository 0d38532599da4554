package jet_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/gofiber/template/jet/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	cbjet "github.com/cachebust/cachebust/adapters/fiber/jet"
)

var syntax = fibertest.Syntax{
	Ext:     ".jet",
	Literal: strconv.Quote,
	Var:     func(name string) string { return name },
	Call:    func(fn, arg string) string { return "{{ " + fn + "(" + arg + ") }}" },
	Filter:  func(fn, arg string) string { return "{{ " + arg + " | " + fn + " }}" },
	Unwrap:  true,
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
