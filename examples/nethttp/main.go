// Command nethttp is a small site served with net/http and html/template
// whose assets come from an embed.FS with no build step: the manifest is
// built when the program starts, pages link to fingerprinted URLs through
// the template function asset_url, and core.Handler serves those URLs
// straight from the embedded files with an immutable Cache-Control.
//
// Usage:
//
//	go run ./examples/nethttp [-addr 127.0.0.1:8080]
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"time"

	"github.com/cachebust/cachebust/core"
)

//go:embed static templates
var files embed.FS

// newServer returns the site's handler.
func newServer(ctx context.Context) (http.Handler, error) {
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	m, err := core.Build(ctx, static, core.BuildOptions{})
	if err != nil {
		return nil, fmt.Errorf("build asset manifest: %w", err)
	}
	r, err := core.New(m, core.Options{Prefix: "/static/", Strict: true})
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"asset_url": r.URL}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", core.NewHandler(static, r, core.HandlerOptions{Sources: true})))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := tmpl.ExecuteTemplate(w, "index.html", nil); err != nil {
			log.Printf("render index.html: %v", err)
		}
	})
	return mux, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	h, err := newServer(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s/", *addr)
	log.Fatal(srv.ListenAndServe())
}
