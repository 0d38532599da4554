// Package ace installs cachebust's template functions in the ace engine
// of github.com/gofiber/template (ace/v2, github.com/yosssi/ace), for
// Fiber v2 and v3 apps alike.
//
// Ace compiles to Go's html/template, and its actions are Go template
// actions, so Register adds the html/template functions of package
// github.com/cachebust/cachebust/adapters/htmltemplate, usable as a call
// or in a pipe, in element text, in attributes and in piped text:
//
//	link rel=stylesheet href={{ asset_url "css/app.css" }}
//	script src={{ "js/app.js" | asset_url }}
//	| <img src="{{ asset_url "img/logo.png" }}">
//	| {{ asset_importmap }}
//	| {{ asset_entry "js/main.js" }}
//	| {{ asset_preload "fonts/inter.woff2" }}
//
// asset_importmap, without arguments, gives the resolver's whole
// <script type="importmap"> element, and asset_entry and asset_preload the
// elements of an entry (module script, modulepreloads, stylesheets) and of
// one asset's preload, as a template.HTML, which html/template prints as
// it is.
//
// They resolve with the resolver given to Register; nothing is global.
// Errors fail the render with an error that wraps the resolver's, so
// errors.Is(err, core.ErrNotFound) holds.
//
// # Layouts
//
// The engine renders a view inside a layout through the layout's embed
// function, which prints the view's error into the page and succeeds, so
// that a missing asset in strict mode would answer 200. Give Fiber
// the Views that Register returns instead of the engine: it renders the view
// first and fails the request with its error, layout or not.
//
// The engine copies its functions when it loads. Register comes before
// fiber.New, which takes the Views it returns and loads them; on an engine
// that has loaded, Register loads it again.
package ace

import (
	"html/template"
	"io"

	"github.com/gofiber/template/ace/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to engine, and loads it again if it has loaded, and returns the
// Views to give Fiber in place of the engine. The engine's own Render then
// fails every render inside a layout, with an error saying to give Fiber
// the Views: through the engine, a view that fails inside a layout would
// print its error into the page and answer 200. Register fails if engine
// or r is nil, or if that load fails. Set the engine's layout name, if
// not embed, before Register.
func Register(engine *ace.Engine, r *core.Resolver) (*Views, error) {
	if err := views.Check("ace", engine == nil, r); err != nil {
		return nil, err
	}
	name := views.Bind("ace", &engine.Engine)
	if err := views.Add("ace", &engine.Engine, engine.Load, htmltemplate.Funcs(r)); err != nil {
		return nil, err
	}
	return &Views{views.Layouts{
		Engine: &engine.Engine,
		Name:   name,
		Load:   engine.Load,
		Lookup: func(name string) *template.Template { return engine.Templates.Lookup(name) },
	}}, nil
}

// Views is an ace engine as the Views of a Fiber app, rendering each
// template as the engine does, except that a view that fails inside a
// layout fails the render.
//
// The engine's own Render executes a view inside a layout through the
// layout's {{ embed }} function, which prints the view's error, such as
// a missing asset in strict mode, into the page and succeeds. Views
// executes the view first, returns its error, and executes the layout
// around what the view gave. Register returns it; give it to Fiber in
// place of the engine:
//
//	views, err := cbace.Register(engine, r)
//	...
//	app := fiber.New(fiber.Config{Views: views})
type Views struct {
	layouts views.Layouts
}

// Load loads the engine's templates, as fiber.New does.
func (v *Views) Load() error { return v.layouts.Load() }

// Render renders the template name with binding, inside the layouts
// named by layout, if any, each inside the next, as Fiber's Ctx.Render
// asks. A view that fails fails the render, inside a layout or not.
func (v *Views) Render(out io.Writer, name string, binding any, layout ...string) error {
	return v.layouts.Render(out, name, binding, layout...)
}
