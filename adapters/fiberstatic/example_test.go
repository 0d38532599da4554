package fiberstatic_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// Serve fingerprinted assets from a Fiber v3 app: here an in-memory build
// of an embedded tree; serve.NewHandler serves the output of
// `cachebust build` the same way.
func ExampleNew() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}} // an embed.FS
	tree, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(tree.Manifest(), core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	app := fiber.New()
	app.Use(fiberstatic.New(serve.NewSourceHandler(tree, r, serve.Options{})))

	hashed, _ := r.URL("css/app.css")
	for _, u := range []string{hashed, "/static/css/app.css", "/static/css/app-000000000000.css"} {
		res, err := app.Test(httptest.NewRequest("GET", u, nil))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u, res.StatusCode, res.Header.Get("Cache-Control"))
	}
	// Output:
	// /static/css/app-7cf8afb02638.css 200 public, max-age=31536000, immutable
	// /static/css/app.css 200 no-cache
	// /static/css/app-000000000000.css 404 no-store
}

// Serve the output directory of `cachebust build` from a Fiber v3 app.
func ExampleNew_outputDir() {
	public, err := os.MkdirTemp("", "public")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(public)
	if err := os.WriteFile(filepath.Join(public, "app.css"), []byte("body{color:#c00}\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	if _, err := fingerprint.Dir(context.Background(), public, "", fingerprint.DirOptions{}); err != nil {
		log.Fatal(err)
	}
	r, err := core.Load(filepath.Join(public, "cachebust.json"), core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	root, err := os.OpenRoot(public)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	h := serve.NewHandler(root.FS(), r, serve.Options{})

	app := fiber.New()
	app.Use(fiberstatic.New(h)) // h is a *serve.Handler, as above

	hashed, _ := r.URL("app.css")
	for _, u := range []string{hashed, "/static/app.css", "/static/cachebust.json"} {
		res, err := app.Test(httptest.NewRequest("GET", u, nil))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u, res.StatusCode, res.Header.Get("Cache-Control"))
	}
	// Output:
	// /static/app-7cf8afb02638.css 200 public, max-age=31536000, immutable
	// /static/app.css 200 no-cache
	// /static/cachebust.json 404 no-store
}

// Announce the assets of a page in a 103 Early Hints response before its
// handler runs; the Link header stays on the page's response.
func ExampleEarlyHints() {
	m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{
		"js/app.js":  {File: "js/app.1a2b.js", Hash: "1a2b", Size: 1, Imports: []string{"js/util.js"}},
		"js/util.js": {File: "js/util.1a2b.js", Hash: "1a2b", Size: 1},
	}}
	r, err := core.New(m, core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	page := func(c fiber.Ctx) error { return c.SendString("<!DOCTYPE html>") }

	app := fiber.New()
	app.Get("/", fiberstatic.EarlyHints(r, "js/app.js"), page)

	res, err := app.Test(httptest.NewRequest("GET", "/", nil))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.StatusCode)
	for _, v := range res.Header.Values("Link") {
		fmt.Println(v)
	}
	// Output:
	// 200
	// </static/js/app.1a2b.js>; rel=modulepreload
	// </static/js/util.1a2b.js>; rel=modulepreload
}
