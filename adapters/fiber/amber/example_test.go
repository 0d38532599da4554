package amber_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"testing/fstest"

	"github.com/gofiber/template/amber/v2"

	cbamber "github.com/cachebust/cachebust/adapters/fiber/amber"
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
	views := fstest.MapFS{"index.amber": {Data: []byte("link[rel=\"stylesheet\"][href=asset_url(\"css/app.css\")]\n" +
		"p #{asset_url(script)}\n")}}
	engine := amber.NewFileSystem(http.FS(views), ".amber")
	// Before fiber.New(fiber.Config{Views: pages}), which loads the Views.
	pages, err := cbamber.Register(engine, r)
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
	// <link href="/static/css/app-7cf8afb02638.css" rel="stylesheet" />
	// <p>/static/css/app-7cf8afb02638.css</p>
}
