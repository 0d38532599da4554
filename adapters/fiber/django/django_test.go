package django_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/template/django/v3"

	cbdjango "github.com/cachebust/cachebust/adapters/fiber/django"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
)

// Nothing in this package's tests calls adapters/pongo2's SetDefault:
// every filter subtest of the suite, each with a resolver of its own,
// passes only because Register made that resolver the filters'.
var syntax = fibertest.Syntax{
	Ext:     ".django",
	Literal: func(s string) string { return `"` + s + `"` },
	Var:     func(name string) string { return name },
	Call:    func(fn string, args ...string) string { return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}" },
	Filter: func(fn, arg string, params ...string) string {
		if len(params) > 0 {
			fn += ":" + params[0]
		}
		return "{{ " + arg + "|" + fn + " }}"
	},
	Layout: `<main>{{ embed }}</main>`,
}

func newViews(fs http.FileSystem, ext string) *django.Engine { return django.NewFileSystem(fs, ext) }

func TestConformance(t *testing.T) {
	fibertest.Conformance(t, syntax, newViews, cbdjango.Register)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, cbdjango.Register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "django")
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, syntax, newViews, cbdjango.Register)
}

func TestLayouts(t *testing.T) {
	fibertest.Layouts(t, syntax, newViews, cbdjango.Register, nil)
}

func TestRegisterAfterNew(t *testing.T) {
	fibertest.RegisterAfterNew(t, syntax, newViews, cbdjango.Register)
}
