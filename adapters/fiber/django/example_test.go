package django_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/template/django/v3"

	cbdjango "github.com/cachebust/cachebust/adapters/fiber/django"
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
	views := fstest.MapFS{"index.django": {Data: []byte(`<link rel="stylesheet" href="{{ asset_url("css/app.css") }}"> {{ script|asset_url }}` + "\n")}}
	engine := django.NewFileSystem(http.FS(views), ".django")
	// Before fiber.New(fiber.Config{Views: engine}), which loads the engine.
	if err := cbdjango.Register(engine, r); err != nil {
		log.Fatal(err)
	}
	if err := engine.Load(); err != nil {
		log.Fatal(err)
	}
	if err := engine.Render(os.Stdout, "index", map[string]any{"script": "css/app.css"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"> /static/css/app-7cf8afb02638.css
}

// A Fiber v3 app rendering django templates from a directory.
func ExampleRegister_app() {
	views, err := os.MkdirTemp("", "views")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(views)
	const index = `<title>{{ title }}</title> <link rel="stylesheet" href="{{ "css/app.css"|asset_url }}">`
	if err := os.WriteFile(filepath.Join(views, "index.django"), []byte(index), 0o644); err != nil {
		log.Fatal(err)
	}
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}

	engine := django.New(views, ".django")
	if err := cbdjango.Register(engine, r); err != nil { // before fiber.New
		log.Fatal(err)
	}

	app := fiber.New(fiber.Config{Views: engine})
	app.Get("/", func(c fiber.Ctx) error {
		return c.Render("index", map[string]any{"title": "Home"}) // not fiber.Map
	})

	res, err := app.Test(httptest.NewRequest("GET", "/", nil))
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.StatusCode, string(body))
	// Output:
	// 200 <title>Home</title> <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
}
