package ace_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"testing/fstest"

	"github.com/gofiber/template/ace/v2"

	cbace "github.com/cachebust/cachebust/adapters/fiber/ace"
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
	views := fstest.MapFS{"index.ace": {Data: []byte("link rel=stylesheet href={{ asset_url \"css/app.css\" }}\n" +
		"link rel=preload href={{ \"css/app.css\" | asset_url }}\n")}}
	engine := ace.NewFileSystem(http.FS(views), ".ace")
	// Before fiber.New(fiber.Config{Views: pages}), which loads the Views.
	pages, err := cbace.Register(engine, r)
	if err != nil {
		log.Fatal(err)
	}
	if err := pages.Load(); err != nil {
		log.Fatal(err)
	}
	if err := pages.Render(os.Stdout, "index", map[string]any{"script": "css/app.css"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"><link rel="preload" href="/static/css/app-7cf8afb02638.css">
}
