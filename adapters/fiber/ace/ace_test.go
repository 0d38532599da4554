package ace_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/template/ace/v2"

	cbace "github.com/cachebust/cachebust/adapters/fiber/ace"
	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	"github.com/cachebust/cachebust/core"
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
	fibertest.Conformance(t, syntax, newViews, register)
}

func TestConformanceViews(t *testing.T) {
	fibertest.ConformanceOf(t, syntax, newViews, register, viewsOf)
}

func TestFiberApps(t *testing.T) {
	fibertest.Apps(t, syntax, newViews, register)
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "ace")
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

// registered holds the Views Register returned for each engine.
var registered sync.Map

// register is Register for the suite, which takes an error alone; viewsOf
// gives the Views it returned.
func register(e *ace.Engine, r *core.Resolver) error {
	v, err := cbace.Register(e, r)
	if err == nil {
		registered.Store(e, v)
	}
	return err
}

// viewsOf returns the Views Register returned for e.
func viewsOf(e *ace.Engine) fibertest.Views {
	v, _ := registered.Load(e)
	return v.(*cbace.Views)
}

// The engine itself, registered but given to Fiber in place of the Views,
// refuses layouts rather than answer 200 with a view's error in the page.
func TestBareEngineLayout(t *testing.T) {
	fibertest.BareLayout(t, syntax, newViews, register)
}
