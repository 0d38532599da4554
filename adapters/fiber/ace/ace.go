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
//
// asset_importmap, without arguments, gives the resolver's whole
// <script type="importmap"> element as a template.HTML, which
// html/template prints as it is.
//
// They resolve with the resolver given to Register; nothing is global.
// Errors fail the render with an error that wraps the resolver's, so
// errors.Is(err, core.ErrNotFound) holds.
//
// The engine copies its functions when it loads, and fiber.New loads the
// Views engine: Register may come before fiber.New, or after it, when it
// loads the engine again.
package ace

import (
	"github.com/gofiber/template/ace/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity and asset_importmap resolving
// with r to engine, and loads it again if it has loaded. It fails if engine
// or r is nil, or if that load fails.
func Register(engine *ace.Engine, r *core.Resolver) error {
	if err := views.Check("ace", engine == nil, r); err != nil {
		return err
	}
	return views.Add("ace", &engine.Engine, engine.Load, htmltemplate.Funcs(r))
}
