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

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// Serve an embedded asset tree with no build step: build it in memory at
// start-up and serve the fingerprinted URLs from the unmodified files.
func ExampleNewSourceHandler() {
	assets := fstest.MapFS{ // an embed.FS in an application
		"css/main.css": {Data: []byte("body{color:red}\n")},
	}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", serve.NewSourceHandler(built, r, serve.Options{})))

	hashed, _ := r.URL("css/main.css")
	for _, u := range []string{hashed, "/static/css/main.css", "/static/css/main-000000000000.css"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		fmt.Println(u, w.Code, w.Header().Get("Cache-Control"))
	}
	// Output:
	// /static/css/main-74d94aede163.css 200 public, max-age=31536000, immutable
	// /static/css/main.css 200 no-cache
	// /static/css/main-000000000000.css 404 no-store
}

// Serve the output directory of `cachebust build` under /static/.
func ExampleNewHandler() {
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
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", h))

	hashed, _ := r.URL("app.css")
	for _, u := range []string{hashed, "/static/app.css", "/static/cachebust.json"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		fmt.Println(u, w.Code, w.Header().Get("Cache-Control"))
	}
	// Output:
	// /static/app-7cf8afb02638.css 200 public, max-age=31536000, immutable
	// /static/app.css 200 no-cache
	// /static/cachebust.json 404 no-store
}
