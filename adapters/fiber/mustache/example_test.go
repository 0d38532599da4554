package mustache_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"testing/fstest"

	"github.com/gofiber/template/mustache/v2"

	cbmustache "github.com/cachebust/cachebust/adapters/fiber/mustache"
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
	views := fstest.MapFS{"index.mustache": {Data: []byte(`<link rel="stylesheet" href="{{css}}">` + "\n")}}
	engine := mustache.NewFileSystem(http.FS(views), ".mustache")
	fmt.Println(cbmustache.Register(engine, r))

	// Instead, the handler resolves the URL and passes it in the binding.
	css, err := r.URL("css/app.css")
	if err != nil {
		log.Fatal(err)
	}
	if err := engine.Load(); err != nil {
		log.Fatal(err)
	}
	if err := engine.Render(os.Stdout, "index", map[string]any{"css": css}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// cachebust: gofiber mustache engine: unsupported operation: mustache templates are logic-less and the engine takes no template functions; pass URLs from the resolver's URL method in the binding
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
}
