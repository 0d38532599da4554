// Command fiber is a Fiber v3 app whose pages carry cache-busted asset
// URLs, rendered by the django (pongo2) engine.
//
// It builds the manifest of its static directory when it starts and
// serves that directory under /static/. Run it from this directory:
//
//	go run . -addr 127.0.0.1:8080 -static static
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/static"
	"github.com/gofiber/template/django/v3"

	cbfiber "github.com/cachebust/cachebust/adapters/fiber"
	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

//go:embed views
var views embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := flag.String("static", "static", "directory of static assets")
	flag.Parse()

	app, err := newApp(*dir)
	if err == nil {
		err = app.Listen(*addr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fiber example:", err)
		os.Exit(1)
	}
}

// newApp returns the app serving the assets in dir.
func newApp(dir string) (*fiber.App, error) {
	assets := os.DirFS(dir)
	// The query form (css/app.css?v=3f2a9c1b2c4d) keeps every file under
	// its own name, so Fiber's static middleware serves the busted URLs
	// as they are. The rename form (css/app-3f2a9c1b2c4d.css) is the other
	// choice: it needs Form: strategy.Rename{} here and, in place of
	// static.New below, a handler that maps renamed paths back to files.
	m, err := core.Build(context.Background(), assets, core.BuildOptions{Form: strategy.Query{Param: "v"}})
	if err != nil {
		return nil, err
	}
	// Strict: a template naming an asset that does not exist fails to
	// render rather than linking a URL that will not load.
	r, err := core.New(m, core.Options{Prefix: "/static/", Strict: true})
	if err != nil {
		return nil, err
	}

	sub, err := fs.Sub(views, "views")
	if err != nil {
		return nil, err
	}
	engine := django.NewFileSystem(http.FS(sub), ".django")
	// Before fiber.New, which loads the engine: the call syntax, per engine.
	if err := cbfiber.Register(engine, r); err != nil {
		return nil, err
	}
	// The filter syntax is pongo2's, process-wide, with one default resolver.
	if err := cbpongo2.SetDefault(r); err != nil {
		return nil, err
	}

	app := fiber.New(fiber.Config{Views: engine})
	app.Get("/static*", static.New("", static.Config{FS: assets}))
	app.Get("/", func(c fiber.Ctx) error {
		// A plain map: with Fiber v3 the django engine ignores a fiber.Map.
		return c.Render("index", map[string]any{"title": "cachebust on Fiber"})
	})
	return app, nil
}
