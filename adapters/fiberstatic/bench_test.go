package fiberstatic_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/static"
	"github.com/valyala/fasthttp"
)

// BenchmarkMiddleware compares fiberstatic with Fiber's own static
// middleware serving the same file from the same directory, in memory
// through app.Handler(), in the same run. The middleware's "x-static"
// metric is its throughput relative to static's just before (above 1 is
// faster).
func BenchmarkMiddleware(b *testing.B) {
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "css"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "css", "app.css"), []byte(strings.Repeat("x", 8<<10)), 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := core.BuildDir(context.Background(), dir, dir, core.BuildOptions{})
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
	ours.Use(fiberstatic.New(core.NewHandler(os.DirFS(dir), r, core.HandlerOptions{})))

	apps := []struct {
		name, target string
		app          *fiber.App
	}{
		{"Static", "/static/css/app.css", staticApp},
		{"Middleware", hashed, ours},
	}
	var ns [2]float64
	for i, a := range apps {
		b.Run(a.name, func(b *testing.B) {
			h := a.app.Handler()
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for b.Loop() {
				ctx.Request.Reset()
				ctx.Response.Reset()
				ctx.Request.Header.SetMethod("GET")
				ctx.Request.SetRequestURI(a.target)
				ctx.Request.Header.Set("Accept-Encoding", "gzip, deflate, br")
				h(&ctx)
				if ctx.Response.StatusCode() != 200 || len(ctx.Response.Body()) != 8<<10 {
					b.Fatalf("GET %s: %d, %d bytes", a.target, ctx.Response.StatusCode(), len(ctx.Response.Body()))
				}
			}
			ns[i] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if i == 1 && ns[1] > 0 {
				b.ReportMetric(ns[0]/ns[1], "x-static")
			}
		})
	}
}
