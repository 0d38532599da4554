package fiberstatic_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/static"
	"github.com/valyala/fasthttp"

	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/benchpage"
	"github.com/cachebust/cachebust/serve"
)

// BenchmarkMiddleware compares fiberstatic with Fiber's own static
// middleware serving the same file from the same directory, in memory
// through app.Handler(). Its "ratio" sub-benchmark takes turns between the
// two and reports the middleware's time per request as a multiple of
// static's ("x-baseline"; below 1 is faster).
func BenchmarkMiddleware(b *testing.B) {
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "css"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "css", "app.css"), []byte(strings.Repeat("x", 8<<10)), 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{})
	if err != nil {
		b.Fatal(err)
	}
	r, err := core.New(res.Manifest, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	hashed, _ := r.URL("css/app.css")

	staticApp := fiber.New()
	staticApp.Use("/static", static.New("", static.Config{FS: os.DirFS(dir)}))
	ours := fiber.New()
	ours.Use(fiberstatic.New(serve.NewHandler(os.DirFS(dir), r, serve.Options{})))

	serve := func(app *fiber.App, target string) func() error {
		h := app.Handler()
		var ctx fasthttp.RequestCtx
		return func() error {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.Header.SetMethod("GET")
			ctx.Request.SetRequestURI(target)
			ctx.Request.Header.Set("Accept-Encoding", "gzip, deflate, br")
			h(&ctx)
			if ctx.Response.StatusCode() != 200 || len(ctx.Response.Body()) != 8<<10 {
				return fmt.Errorf("GET %s: %d, %d bytes", target, ctx.Response.StatusCode(), len(ctx.Response.Body()))
			}
			return nil
		}
	}
	benchpage.CompareNamed(b, "Middleware", serve(ours, hashed), "Static", serve(staticApp, "/static/css/app.css"))
}
