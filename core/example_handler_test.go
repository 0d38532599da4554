package core_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
)

// Serve an embedded asset tree with no build step: build the manifest at
// start-up and serve the fingerprinted URLs from the unmodified files.
func ExampleNewHandler() {
	assets := fstest.MapFS{ // an embed.FS in an application
		"css/main.css": {Data: []byte("body{color:red}\n")},
	}
	m, err := core.Build(context.Background(), assets, core.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", core.NewHandler(assets, r, core.HandlerOptions{Sources: true})))

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

// A development resolver re-hashes files that change, without a restart.
func ExampleNewDev() {
	dir, err := os.MkdirTemp("", "assets")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(dir+"/app.js", []byte("v1"), 0o644); err != nil {
		log.Fatal(err)
	}
	r, err := core.NewDev(os.DirFS(dir), core.BuildOptions{}, core.Options{Poll: time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("app.js"))
	if err := os.WriteFile(dir+"/app.js", []byte("v2!"), 0o644); err != nil {
		log.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	r.URL("app.js") // the first lookup after the interval checks
	fmt.Println(r.URL("app.js"))
	// Output:
	// /static/app-3bfc269594ef.js <nil>
	// /static/app-5582ec3db4db.js <nil>
}

// Resolve Vite's build output: entry chunks by source path, and the
// stylesheets an entry needs.
func ExampleViteManifest_CSS() {
	v, err := core.ParseViteManifest([]byte(`{
	  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "css": ["assets/shared-ChJ_j-JJ.css"]},
	  "src/main.ts": {"file": "assets/main-BRBmoGS9.js", "src": "src/main.ts", "isEntry": true,
	    "imports": ["_shared-B7PI925R.js"], "css": ["assets/main-5UjPuW-k.css"]}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/build/"})
	if err != nil {
		log.Fatal(err)
	}
	css, _ := v.CSS("src/main.ts")
	for _, f := range css {
		u, _ := r.URL(f)
		fmt.Printf("<link rel=\"stylesheet\" href=\"%s\">\n", u)
	}
	js, _ := r.URL("src/main.ts")
	fmt.Printf("<script type=\"module\" src=\"%s\"></script>\n", js)
	// Output:
	// <link rel="stylesheet" href="/build/assets/main-5UjPuW-k.css">
	// <link rel="stylesheet" href="/build/assets/shared-ChJ_j-JJ.css">
	// <script type="module" src="/build/assets/main-BRBmoGS9.js"></script>
}

// Resolve the versioned URLs of a Laravel Mix build.
func ExampleParseMixManifest() {
	m, err := core.ParseMixManifest([]byte(`{"/js/app.js": "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c"}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("js/app.js"))
	// Output:
	// /js/app.js?id=6f3b2a0c9d1e8f7a4b5c <nil>
}
