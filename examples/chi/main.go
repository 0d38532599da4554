// Command chi is a chi v5 app whose pages are templ components carrying
// fingerprinted asset URLs through package adapters/templ, and whose
// assets, embedded in the binary and fingerprinted when it starts, a
// serve.Handler serves through chi's router.
//
// page.templ is compiled to page_templ.go with templ generate (templ
// v0.3.1118), checked in. Usage, from the repository root:
//
//	go run ./examples/chi [-addr 127.0.0.1:8080]
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	cbtempl "github.com/cachebust/cachebust/adapters/templ"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

//go:embed static
var files embed.FS

// newAssets fingerprints the embedded assets and returns their handler,
// whose resolver the pages use.
func newAssets(ctx context.Context) (*serve.Handler, error) {
	static, err := fingerprint.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	built, err := fingerprint.FS(ctx, static, fingerprint.Options{Integrity: "sha384"})
	if err != nil {
		return nil, fmt.Errorf("build asset manifest: %w", err)
	}
	r, err := core.New(built.Manifest(), core.Options{Prefix: "/static/", Strict: true})
	if err != nil {
		return nil, err
	}
	return serve.NewSourceHandler(built, r, serve.Options{}), nil
}

// newRouter returns the app: its pages, linking assets with the resolver
// of assets, and assets itself under /static/.
func newRouter(assets *serve.Handler) chi.Router {
	r := chi.NewRouter()
	// The resolver in every request's context, for the components.
	r.Use(cbtempl.Middleware(assets.Resolver()))
	// The assets, for every method: Get alone would not answer HEAD.
	r.Handle("/static/*", http.StripPrefix("/static", assets))
	r.Get("/", templ.Handler(page("cachebust with chi and templ")).ServeHTTP)
	return r
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	assets, err := newAssets(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: newRouter(assets), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s/", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
