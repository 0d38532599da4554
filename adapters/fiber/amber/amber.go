// Package amber installs cachebust's template functions in the amber
// engine of github.com/gofiber/template (amber/v2, github.com/eknkc/amber),
// for Fiber v2 and v3 apps alike.
//
// Amber compiles to Go's html/template; its expressions call functions
// with parentheses, in interpolations and attribute values:
//
//	link[rel="stylesheet"][href=asset_url("css/app.css")]
//	p #{asset_url("css/app.css")}
//	| <img src="#{asset_url("img/logo.png")}">
//	| #{asset_importmap()}
//
// asset_importmap, without arguments, gives the resolver's whole
// <script type="importmap"> element as a template.HTML, which
// html/template prints as it is. Amber prints a function named without a
// call as nothing: write the parentheses.
//
// Amber has no filter or pipe syntax. Register adds the html/template
// functions of package github.com/cachebust/cachebust/adapters/htmltemplate,
// resolving with the resolver given to Register. Errors fail the render with
// an error that wraps the resolver's, so errors.Is(err, core.ErrNotFound)
// holds.
//
// # What is global
//
// At every Load the gofiber amber engine merges its functions into amber's
// process-wide amber.FuncMap, without a lock, and compiles its templates
// with that map. Each engine's templates therefore call the functions of
// the resolver given to its own Register, but two amber engines must not
// Load at the same time, as parallel tests might. fiber.New loads the Views
// engine: Register may come before fiber.New, or after it, when it loads
// the engine again.
package amber

import (
	"github.com/gofiber/template/amber/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity and asset_importmap resolving
// with r to engine, and loads it again if it has loaded. It fails if engine
// or r is nil, or if that load fails.
func Register(engine *amber.Engine, r *core.Resolver) error {
	if err := views.Check("amber", engine == nil, r); err != nil {
		return err
	}
	return views.Add("amber", &engine.Engine, engine.Load, htmltemplate.Funcs(r))
}
