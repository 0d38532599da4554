package html_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"testing/fstest"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/template/html/v2"

	cbhtml "github.com/cachebust/cachebust/adapters/fiber/html"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

func ExampleRegister() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	views := fstest.MapFS{"index.html": {Data: []byte(
		`<link rel="stylesheet" href="{{ asset_url "css/app.css" }}"> {{ "css/app.css" | asset_url }}` + "\n")}}
	engine := html.NewFileSystem(http.FS(views), ".html")
	// Before fiber.New(fiber.Config{Views: pages}), which loads the Views.
	pages, err := cbhtml.Register(engine, r)
	if err != nil {
		log.Fatal(err)
	}
	if err := pages.Load(); err != nil {
		log.Fatal(err)
	}
	if err := pages.Render(os.Stdout, "index", nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"> /static/css/app-7cf8afb02638.css
}

// A Fiber v3 app rendering views inside a layout: a view that names an
// asset missing from the manifest, in strict mode, fails the request.
func ExampleRegister_layout() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	views := fstest.MapFS{
		"index.html":        {Data: []byte(`<link rel="stylesheet" href="{{ asset_url "css/app.css" }}">`)},
		"broken.html":       {Data: []byte(`<link rel="stylesheet" href="{{ asset_url "css/gone.css" }}">`)},
		"layouts/main.html": {Data: []byte(`<main>{{ embed }}</main>`)},
	}
	engine := html.NewFileSystem(http.FS(views), ".html")
	pages, err := cbhtml.Register(engine, r)
	if err != nil {
		log.Fatal(err)
	}

	app := fiber.New(fiber.Config{Views: pages})
	app.Get("/:view", func(c fiber.Ctx) error {
		return c.Render(c.Params("view"), map[string]any{}, "layouts/main")
	})

	for _, path := range []string{"/index", "/broken"} {
		res, err := app.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			log.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		if err != nil {
			log.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			body = nil
		}
		fmt.Println(path, res.StatusCode, string(body))
	}
	// Output:
	// /index 200 <main><link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"></main>
	// /broken 500
}
