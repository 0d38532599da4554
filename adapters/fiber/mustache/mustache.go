// Package mustache is where cachebust's template functions would go in the
// mustache engine of github.com/gofiber/template (mustache/v2,
// github.com/cbroglie/mustache), and says why they cannot.
//
// Mustache templates are logic-less: they call no functions. The gofiber
// engine has no function map (its AddFunc panics on a nil map) and hands a
// template only the binding of Ctx.Render. Register therefore always fails,
// with an error that wraps errors.ErrUnsupported, rather than leave the app
// to fail later.
//
// Resolve the URLs in the handler instead, and pass them in the binding:
//
//	css, err := r.URL("css/app.css")
//	if err != nil {
//		return err
//	}
//	return c.Render("index", map[string]any{"css": css})
//
// with <link rel="stylesheet" href="{{css}}"> in the template. The import
// map element of r.ImportMap, and the elements of an entry or a preload of
// r.EntryHTML and r.PreloadHTML, go in the same way, printed with the
// triple mustache that does not escape: {{{importmap}}}, {{{entry}}}.
package mustache

import (
	"github.com/gofiber/template/mustache/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/core"
)

// Register fails, always, with an error naming the engine and saying why;
// it wraps errors.ErrUnsupported. It leaves engine as it was.
func Register(engine *mustache.Engine, r *core.Resolver) error {
	if err := views.Check("mustache", engine == nil, r); err != nil {
		return err
	}
	return views.Unsupported("mustache", "mustache templates are logic-less and the engine takes no template functions; pass URLs from the resolver's URL method in the binding")
}
