// Command nethttp is a small site served with net/http and html/template
// whose assets come from an embed.FS with no build step: the manifest is
// built when the program starts, pages link to fingerprinted URLs through
// the template functions of adapters/htmltemplate, and a serve.Handler serves those URLs
// straight from the embedded files with an immutable Cache-Control.
//
// Usage, from the repository root:
//
//	go run ./examples/nethttp [-addr 127.0.0.1:8080] [-dev examples/nethttp/static]
//
// With -dev DIR the assets come from the directory DIR instead, through
// fingerprint.NewDev: an edited file gets a new URL on the next page load, with
// no restart.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

//go:embed static templates
var files embed.FS

// newServer returns the site's handler, serving the embedded assets, or
// with dev set those of the directory dev, re-hashed as they change.
func newServer(ctx context.Context, dev string) (http.Handler, error) {
	opts := core.Options{Prefix: "/static/", Strict: true}
	var (
		src serve.Source
		r   *core.Resolver
	)
	if dev != "" {
		// The files through an os.Root: no symbolic link in dev leads a
		// request out of it. The root stays open as long as the Dev.
		root, err := os.OpenRoot(dev)
		if err != nil {
			return nil, err
		}
		d, err := fingerprint.NewDev(root.FS(), fingerprint.DevOptions{Keep: 2}, opts)
		if err != nil {
			return nil, fmt.Errorf("build asset manifest: %w", err)
		}
		src, r = d, d.Resolver()
	} else {
		static, err := fingerprint.Sub(files, "static")
		if err != nil {
			return nil, err
		}
		built, err := fingerprint.FS(ctx, static, fingerprint.Options{})
		if err != nil {
			return nil, fmt.Errorf("build asset manifest: %w", err)
		}
		if r, err = core.New(built.Manifest(), opts); err != nil {
			return nil, err
		}
		src = built
	}
	tmpl, err := template.New("").Funcs(htmltemplate.Funcs(r)).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", serve.NewSourceHandler(src, r, serve.Options{})))
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
	dev := flag.String("dev", "", "serve the assets of `dir` in dev mode, noticing changes, instead of the embedded ones")
	flag.Parse()
	h, err := newServer(context.Background(), *dev)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s/", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
