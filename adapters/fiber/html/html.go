// Package html installs cachebust's template functions in the html
// engine of github.com/gofiber/template (html/v2, Go's html/template), for
// Fiber v2 and v3 apps alike.
//
// Register adds asset_url and asset_integrity, usable as a call or in a
// pipe, and asset_importmap, without arguments:
//
//	{{ asset_url "css/app.css" }}        {{ "css/app.css" | asset_url }}
//	{{ asset_integrity "css/app.css" }}  {{ "css/app.css" | asset_integrity }}
//	{{ asset_importmap }}
//
// asset_importmap gives the resolver's whole <script type="importmap">
// element as a template.HTML, which html/template prints as it is.
//
// They are the functions of package
// github.com/cachebust/cachebust/adapters/htmltemplate, resolving with the
// resolver given to Register; nothing is global. Errors, such as a missing
// asset in strict mode, fail the render with an error that wraps the
// resolver's, so errors.Is(err, core.ErrNotFound) holds.
//
// The engine copies its functions when it loads, and fiber.New loads the
// Views engine: Register may come before fiber.New, or after it, when it
// loads the engine again.
package html

import (
	"github.com/gofiber/template/html/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity and asset_importmap resolving
// with r to engine, and loads it again if it has loaded. It fails if engine
// or r is nil, or if that load fails.
func Register(engine *html.Engine, r *core.Resolver) error {
	if err := views.Check("html", engine == nil, r); err != nil {
		return err
	}
	return views.Add("html", &engine.Engine, engine.Load, htmltemplate.Funcs(r))
}
