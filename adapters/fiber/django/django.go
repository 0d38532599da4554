// Package django installs cachebust's template functions in the django
// engine of github.com/gofiber/template (django/v3, pongo2
// github.com/flosch/pongo2/v6), for Fiber v2 and v3 apps alike.
//
// After Register, templates can call the functions or apply them as
// filters, with no other call:
//
//	{{ asset_url("css/app.css") }}        {{ "css/app.css"|asset_url }}
//	{{ asset_integrity("css/app.css") }}  {{ "css/app.css"|asset_integrity }}
//	{{ asset_importmap() }}
//	{{ asset_entry("js/main.js") }}       {{ "js/main.js"|asset_entry }}
//	{{ asset_preload("fonts/inter.woff2") }}
//
// asset_importmap is a function only, without arguments, and per engine:
// it gives the resolver's whole <script type="importmap"> element as a
// safe value, which autoescape leaves as it is. asset_entry and
// asset_preload give the elements of an entry (module script,
// modulepreloads, stylesheets) and of one asset's preload as safe values
// too.
//
// # What is global
//
// pongo2 keeps filters in one process-wide table and never tells a filter
// which template set or render it runs in, so the two syntaxes differ:
//
//   - The call syntax is per engine: Register adds functions resolving with
//     its resolver to the engine, which puts them in the Globals of its
//     pongo2 template set when it loads.
//   - The filters asset_url, asset_integrity, asset_entry and
//     asset_preload are pongo2's, process-wide.
//     The first Register, or the first call of
//     github.com/cachebust/cachebust/adapters/pongo2's RegisterFilters,
//     SetDefault or Register, registers them. Make that call before any
//     pongo2 template is parsed: pongo2 looks filters up as it parses, and
//     writing its table while another goroutine parses is a data race.
//   - The filters resolve with pongo2's default resolver, one per process:
//     Register makes its resolver the default, as adapters/pongo2's
//     SetDefault does; the latest of those calls wins. An app with one
//     resolver, or with one app at a time (as tests that each make an app
//     usually are), needs nothing more. With two resolvers in use at once,
//     the filters resolve with the latest one in every engine: write the
//     call syntax there, which stays per engine.
//   - pongo2's autoescape is process-wide too, and the engine sets it at
//     each Load; with it on (the default) the URLs are escaped like any
//     string.
//
// # Errors
//
// A missing asset in strict mode, a path that is not a string and the like
// fail the render with an error naming the asset and the cause. pongo2's
// errors do not unwrap, so errors.Is(err, core.ErrNotFound) does not hold
// on them. Nothing panics.
//
// The engine copies its functions when it loads, and fiber.New loads the
// Views engine: Register may come before fiber.New, or after it, when it
// loads the engine again. With Fiber v3 the engine ignores a fiber.Map passed to
// Ctx.Render: pass a map[string]any.
package django

import (
	"github.com/gofiber/template/django/v3"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/core"
)

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to engine, for the call syntax; registers the process-wide filters, if no call has
// yet; makes r their resolver; and loads engine again if it has loaded. It
// fails if engine or r is nil, if another package registered a pongo2 filter
// of the same name, or if that load fails.
func Register(engine *django.Engine, r *core.Resolver) error {
	if err := views.Check("django", engine == nil, r); err != nil {
		return err
	}
	if err := cbpongo2.SetDefault(r); err != nil {
		return err
	}
	return views.Add("django", &engine.Engine, engine.Load, cbpongo2.Funcs(r))
}
