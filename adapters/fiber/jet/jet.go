// Package jet installs cachebust's template functions in the jet engine
// of github.com/gofiber/template (jet/v2, github.com/CloudyKit/jet/v6),
// for Fiber v2 and v3 apps alike.
//
// Register adds asset_url, asset_integrity, asset_entry and asset_preload,
// each usable as a call or in a pipe, and asset_importmap, without
// arguments:
//
//	{{ asset_url("css/app.css") }}        {{ "css/app.css" | asset_url }}
//	{{ asset_integrity("css/app.css") }}  {{ "css/app.css" | asset_integrity }}
//	{{ asset_importmap() }}
//	{{ asset_entry("js/main.js") }}       {{ "js/main.js" | asset_entry }}
//	{{ asset_preload("fonts/inter.woff2") }}
//
// They are the functions of package
// github.com/cachebust/cachebust/adapters/jet, which check their argument
// (asset_importmap prints the resolver's whole <script type="importmap">
// element unescaped, asset_entry and asset_preload an entry's and a
// preload's elements) and fail the render with an error that wraps the resolver's, so
// errors.Is(err, core.ErrNotFound) holds. They resolve with the resolver
// given to Register; nothing is global.
//
// The engine copies its functions when it loads, and fiber.New loads the
// Views engine: Register may come before fiber.New, or after it, when it
// loads the engine again.
//
// Two notes on the engine itself. It wants template files named *.jet,
// *.html.jet or *.jet.html, and its New and NewFileSystem end the program
// with log.Fatalf on another extension. With Fiber v3 it ignores a
// fiber.Map passed to Ctx.Render: pass a map[string]any.
package jet

import (
	"github.com/gofiber/template/jet/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	cbjet "github.com/cachebust/cachebust/adapters/jet"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to engine, and loads it again if it has loaded. It fails if engine
// or r is nil, or if that load fails.
func Register(engine *jet.Engine, r *core.Resolver) error {
	if err := views.Check("jet", engine == nil, r); err != nil {
		return err
	}
	return views.Add("jet", &engine.Engine, engine.Load, cbjet.Funcs(r))
}
