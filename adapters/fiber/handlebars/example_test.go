package handlebars_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"testing/fstest"

	"github.com/gofiber/template/handlebars/v2"

	cbhandlebars "github.com/cachebust/cachebust/adapters/fiber/handlebars"
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
	views := fstest.MapFS{"index.hbs": {Data: []byte(`<link rel="stylesheet" href="{{asset_url "css/app.css"}}"> {{asset_url script}}` + "\n")}}
	engine := handlebars.NewFileSystem(http.FS(views), ".hbs")
	// Before fiber.New(fiber.Config{Views: engine}), which loads the engine.
	if err := cbhandlebars.Register(engine, r); err != nil {
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
