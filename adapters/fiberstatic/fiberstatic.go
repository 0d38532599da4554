// Package fiberstatic serves the assets of a cachebust manifest from a
// Fiber v3 application, natively (no net/http adaptor), with the rules of
// serve.Handler: the same serve.Handler.Decide chooses status, file and
// headers, and serve.Preconditions.Evaluate answers conditional and range
// requests.
//
// Package github.com/cachebust/cachebust/adapters/fiberstatic/v2 is the
// same middleware for Fiber v2.
//
// One documented difference from serve.Handler: a request for several
// byte ranges gets the whole content (200) rather than
// multipart/byteranges.
package fiberstatic

import (
	"github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/adapters/fiberstatic/internal/fastserve"
	"github.com/cachebust/cachebust/internal/urlpath"
	"github.com/cachebust/cachebust/serve"
)

// Config configures the middleware. The zero value is ready to use.
type Config struct {
	// Prefix is the URL path the assets are served under. Empty means the
	// path of the resolver's prefix: "/static/" for the prefix "/static/"
	// or "https://cdn.example.com/static/". Requests outside it pass to the
	// next handler; every request inside it is answered, 404 included.
	Prefix string
	// Next, if set, passes a request to the next handler when it returns
	// true.
	Next func(c fiber.Ctx) bool
}

// New returns a middleware serving the assets of h, for app.Use.
func New(h *serve.Handler, config ...Config) fiber.Handler {
	var cfg Config
	if len(config) > 0 {
		cfg = config[0]
	}
	mount := cfg.Prefix
	if mount == "" {
		mount = h.Resolver().Prefix()
	}
	mount = urlpath.Prefix(mount)
	return func(c fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		if !fastserve.Serve(c.RequestCtx(), h, mount) {
			return c.Next()
		}
		return nil
	}
}
