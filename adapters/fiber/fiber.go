// Package fiber installs cachebust's template functions in the view
// engines of github.com/gofiber/template, for Fiber v2 and v3 apps alike:
// the engines do not depend on the Fiber version.
//
// Register adds asset_url and asset_integrity through the engine's AddFunc,
// in the shape the engine needs:
//
//   - django/v3 (pongo2): functions for the call syntax,
//     {{ asset_url("css/app.css") }}, in the engine's template set. The
//     filter syntax, {{ "css/app.css"|asset_url }}, is pongo2's process-wide
//     filter: Register registers it, but it resolves with the default
//     resolver that github.com/cachebust/cachebust/adapters/pongo2.SetDefault
//     sets. See that package for exactly what is global.
//   - jet/v2: adapters/jet.AssetFunc values, for both
//     {{ asset_url("css/app.css") }} and {{ "css/app.css" | asset_url }},
//     with errors that unwrap.
//   - html/v2, and any other engine: functions for html/template's FuncMap,
//     {{ asset_url "css/app.css" }} and {{ "css/app.css" | asset_url }}.
//
// The engines copy their functions when they Load, and fiber.New loads the
// Views engine: call Register before fiber.New, or Load the engine again
// after it.
//
// Two notes on the engines themselves. The jet/v2 engine wants template
// files named *.jet, *.html.jet or *.jet.html, and ends the program with
// log.Fatalf on another extension. With Fiber v3, django/v3 and jet/v2
// ignore a fiber.Map passed to Ctx.Render: pass a map[string]any.
package fiber

import (
	"github.com/gofiber/template"
	"github.com/gofiber/template/django/v3"
	fiberjet "github.com/gofiber/template/jet/v2"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
	cbjet "github.com/cachebust/cachebust/adapters/jet"
	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/core"
)

// Engine is the method every gofiber/template engine has for adding
// template functions.
type Engine interface {
	AddFunc(name string, fn any) template.IEngineCore
}

// Register adds asset_url and asset_integrity resolving with r to e. For a
// django engine it also registers pongo2's process-wide filters, once, and
// fails if another package took their names.
func Register(e Engine, r *core.Resolver) error {
	switch e.(type) {
	case *django.Engine:
		for name, fn := range cbpongo2.Funcs(r) {
			e.AddFunc(name, fn)
		}
		return cbpongo2.RegisterFilters()
	case *fiberjet.Engine:
		for name, fn := range cbjet.Funcs(r) {
			e.AddFunc(name, fn)
		}
	default:
		for name, fn := range htmltemplate.Funcs(r) {
			e.AddFunc(name, fn)
		}
	}
	return nil
}
