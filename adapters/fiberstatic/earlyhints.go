package fiberstatic

import (
	"fmt"

	"github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints"
)

// EarlyHints returns a handler, for app.Use or before a page's handler in
// a route, that announces the assets of the page as serve.EarlyHints
// does: for a GET request it adds a Link header with one value per tag of
// each entry's [core.Resolver.Entry] and sends it at once in a 103 Early
// Hints response (fiber.Ctx.SendEarlyHints), then calls the next handler.
// The Link header stays on the final response, and is bounded as
// serve.EarlyHints bounds it (2 KiB). A HEAD request gets the
// header with no 103; other methods, and HTTP/1.0 requests as to the 103,
// pass on untouched.
//
// Fiber speaks HTTP/1.1, over which Chromium ignores 103 responses: the
// hints reach Chromium users through a proxy or CDN that speaks HTTP/2 to
// the browser and passes 103 on, or that makes its own 103 from the Link
// header of the final response.
func EarlyHints(r *core.Resolver, names ...string) fiber.Handler {
	links := earlyhints.New(r, names)
	return func(c fiber.Ctx) error {
		method := c.Method()
		if method != fiber.MethodGet && method != fiber.MethodHead {
			return c.Next()
		}
		values := links.Values()
		if len(values) == 0 {
			return c.Next()
		}
		if method == fiber.MethodGet && c.Request().Header.IsHTTP11() {
			// SendEarlyHints adds the values to the response's Link
			// header, where they stay, and writes the 103.
			if err := c.SendEarlyHints(values); err != nil {
				return fmt.Errorf("fiberstatic: send 103 Early Hints for %s: %w", c.Path(), err)
			}
			return c.Next()
		}
		for _, v := range values {
			c.Response().Header.Add(fiber.HeaderLink, v)
		}
		return c.Next()
	}
}
