package serve_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

// Serve an embedded asset tree with no build step: build it in memory at
// start-up and serve the fingerprinted URLs from the unmodified files.
func ExampleNewSourceHandler() {
	assets := fstest.MapFS{ // an embed.FS in an application
		"css/main.css": {Data: []byte("body{color:red}\n")},
	}
	built, err := build.FS(context.Background(), assets, build.Options{})
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
