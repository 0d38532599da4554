package serve_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// printGets requests each URL from h and prints status, Cache-Control and body.
func printGets(h http.Handler, urls ...string) {
	for _, u := range urls {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		fmt.Printf("%s %d %s %q\n", u, w.Code, w.Header().Get("Cache-Control"), w.Body.String())
	}
}

// After a new build, Swap gives the handler the new manifest; the renamed
// copies of the builds kept on disk stay servable, immutable, for pages
// rendered against the previous manifest.
func ExampleNewHandler_swap() {
	public, err := os.MkdirTemp("", "public")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(public)
	ctx := context.Background()
	css := filepath.Join(public, "app.css")
	opts := fingerprint.DirOptions{Keep: fingerprint.DefaultKeep}
	if err := os.WriteFile(css, []byte("body{color:#c00}\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	if _, err := fingerprint.Dir(ctx, public, "", opts); err != nil {
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
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", h))

	old, _ := r.URL("app.css")
	if err := os.WriteFile(css, []byte("body{color:#00c}\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	res, err := fingerprint.Dir(ctx, public, "", opts)
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Swap(res.Manifest); err != nil {
		log.Fatal(err)
	}
	current, _ := r.URL("app.css")
	printGets(mux, current, old, "/static/app.css")
	// Output:
	// /static/app-5dcc4b9ac8b5.css 200 public, max-age=31536000, immutable "body{color:#00c}\n"
	// /static/app-7cf8afb02638.css 200 public, max-age=31536000, immutable "body{color:#c00}\n"
	// /static/app.css 200 no-cache "body{color:#00c}\n"
}

// With no build step: an embedded tree (//go:embed static over
// var files embed.FS), fingerprinted at start-up and served from the
// unmodified files.
func ExampleNewSourceHandler_embed() {
	files := fstest.MapFS{"static/css/app.css": {Data: []byte("body{color:#c00}\n")}} // an embed.FS
	ctx := context.Background()
	mux := http.NewServeMux()

	static, err := fingerprint.Sub(files, "static")
	if err != nil {
		log.Fatal(err)
	}
	built, err := fingerprint.FS(ctx, static, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	h := serve.NewSourceHandler(built, r, serve.Options{})
	mux.Handle("/static/", http.StripPrefix("/static", h))

	hashed, _ := r.URL("css/app.css")
	printGets(mux, hashed, "/static/css/app.css")
	// Output:
	// /static/css/app-7cf8afb02638.css 200 public, max-age=31536000, immutable "body{color:#c00}\n"
	// /static/css/app.css 200 no-cache "body{color:#c00}\n"
}

// In dev mode a changed file is never served as immutable under its old
// URL: before the next check its old URL answers the new bytes with
// no-cache, and after it the resolver hands out a new URL while the old
// one, a kept generation, answers the current bytes with no-cache.
func ExampleNewSourceHandler_dev() {
	static, err := os.MkdirTemp("", "static")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(static)
	js := filepath.Join(static, "app.js")
	if err := os.WriteFile(js, []byte("v1"), 0o644); err != nil {
		log.Fatal(err)
	}

	root, err := os.OpenRoot(static)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	d, err := fingerprint.NewDev(root.FS(), fingerprint.DevOptions{Keep: 2, Poll: 500 * time.Millisecond}, core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	h := serve.NewSourceHandler(d, d.Resolver(), serve.Options{})

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", h))
	old, _ := d.Resolver().URL("app.js")
	printGets(mux, old)
	if err := os.WriteFile(js, []byte("v2!"), 0o644); err != nil {
		log.Fatal(err)
	}
	printGets(mux, old)
	// The check that sees a file modified just now, maybe half-written,
	// leaves its URL; the next one finds it unchanged and fingerprints it.
	for range 2 {
		if err := d.Check(context.Background()); err != nil { // or wait for the next Poll
			log.Fatal(err)
		}
		current, _ := d.Resolver().URL("app.js")
		printGets(mux, current)
	}
	printGets(mux, old)
	// Output:
	// /static/app-3bfc269594ef.js 200 public, max-age=31536000, immutable "v1"
	// /static/app-3bfc269594ef.js 200 no-cache "v2!"
	// /static/app-3bfc269594ef.js 200 no-cache "v2!"
	// /static/app-5582ec3db4db.js 200 public, max-age=31536000, immutable "v2!"
	// /static/app-3bfc269594ef.js 200 no-cache "v2!"
}

// Serve Vite's build output: an entry's chunk, whose name carries Vite's
// hash, is immutable; its stylesheet, known only by its built name, is
// revalidated; the manifest is never served.
func ExampleNewHandler_vite() {
	dist := fstest.MapFS{ // os.DirFS("dist")
		".vite/manifest.json": {Data: []byte(`{
		  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "css": ["assets/shared-ChJ_j-JJ.css"]},
		  "src/main.ts": {"file": "assets/main-BRBmoGS9.js", "src": "src/main.ts", "isEntry": true,
		    "imports": ["_shared-B7PI925R.js"], "css": ["assets/main-5UjPuW-k.css"]}
		}`)},
		"assets/main-BRBmoGS9.js":    {Data: []byte(`import "./shared-B7PI925R.js";`)},
		"assets/shared-B7PI925R.js":  {Data: []byte(`export {};`)},
		"assets/main-5UjPuW-k.css":   {Data: []byte(`main{}`)},
		"assets/shared-ChJ_j-JJ.css": {Data: []byte(`body{}`)},
	}

	v, err := core.ReadViteManifestFS(dist, core.ViteManifestName) // .vite/manifest.json
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/build/"})
	if err != nil {
		log.Fatal(err)
	}
	js, _ := r.URL("src/main.ts")          // /build/assets/main-BRBmoGS9.js
	css, _ := v.CSS("src/main.ts")         // stylesheets the entry needs
	preload, _ := v.Imports("src/main.ts") // chunks to <link rel="modulepreload">
	h := serve.NewHandler(dist, r, serve.Options{})

	fmt.Println(js, css, preload)
	mux := http.NewServeMux()
	mux.Handle("/build/", http.StripPrefix("/build", h))
	cssURL, _ := r.URL(css[0])
	printGets(mux, js, cssURL, "/build/.vite/manifest.json")
	// Output:
	// /build/assets/main-BRBmoGS9.js [assets/main-5UjPuW-k.css assets/shared-ChJ_j-JJ.css] [assets/shared-B7PI925R.js]
	// /build/assets/main-BRBmoGS9.js 200 public, max-age=31536000, immutable "import \"./shared-B7PI925R.js\";"
	// /build/assets/main-5UjPuW-k.css 200 no-cache "main{}"
	// /build/.vite/manifest.json 404 no-store "Not Found\n"
}

// Serve a Laravel Mix build: the URL with Mix's current id is immutable,
// the plain path revalidated, another id a 404.
func ExampleNewHandler_mix() {
	public := fstest.MapFS{ // os.DirFS("public")
		"mix-manifest.json": {Data: []byte(`{"/js/app.js": "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c"}`)},
		"js/app.js":         {Data: []byte(`console.log("app");`)},
	}

	m, err := core.ReadMixManifestFS(public, core.MixManifestName)
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/"})
	if err != nil {
		log.Fatal(err)
	}
	u, _ := r.URL("js/app.js") // /js/app.js?id=6f3b2a0c9d1e8f7a4b5c

	h := serve.NewHandler(public, r, serve.Options{})
	printGets(h, u, "/js/app.js", "/js/app.js?id=00000000000000000000", "/mix-manifest.json")
	// Output:
	// /js/app.js?id=6f3b2a0c9d1e8f7a4b5c 200 public, max-age=31536000, immutable "console.log(\"app\");"
	// /js/app.js 200 no-cache "console.log(\"app\");"
	// /js/app.js?id=00000000000000000000 404 no-store "Not Found\n"
	// /mix-manifest.json 404 no-store "Not Found\n"
}
