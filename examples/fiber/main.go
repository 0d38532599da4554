// Command fiber is a Fiber v3 app whose pages carry cache-busted asset
// URLs, rendered by pongo2 through the gofiber django engine, and whose
// assets are the output of `cachebust build`, served by the native
// middleware of package adapters/fiberstatic.
//
// Build the example site, then run the app, from the repository root:
//
//	go run ./cmd/cachebust build -exclude '*.scss' -out examples/site/dist examples/site/static
//	go run ./examples/fiber [-addr 127.0.0.1:8080] [-dir examples/site/dist] [-views examples/site/templates]
//
// After another build, send the process SIGHUP: it reads the new manifest
// and links the new URLs, with no restart. Pages rendered before keep
// loading, from the files of the builds kept on disk.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/template/django/v3"

	cbdjango "github.com/cachebust/cachebust/adapters/fiber/django"
	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

const buildHint = "go run ./cmd/cachebust build -exclude '*.scss' -out examples/site/dist examples/site/static"

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := flag.String("dir", "examples/site/dist", "output directory of `cachebust build`, holding "+core.ManifestName)
	views := flag.String("views", "examples/site/templates", "directory of the page templates (*.html)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("fiber example: ")

	s, err := newSite(*dir, *views)
	if err != nil {
		log.Fatal(err)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := s.reload(); err != nil {
				log.Printf("reload: %v", err)
				continue
			}
			log.Printf("reloaded %s", s.manifest)
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving on http://%s/", ln.Addr())
	log.Fatal(s.app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}))
}

// site is the app and the resolver its pages and middleware share.
type site struct {
	app      *fiber.App
	r        *core.Resolver
	manifest string
}

// newSite returns the app serving the build in dir, with the templates in
// views.
func newSite(dir, views string) (*site, error) {
	manifest := filepath.Join(dir, core.ManifestName)
	// Strict: a template naming an asset that is not in the manifest fails
	// to render rather than linking a URL that will not load.
	r, err := core.Load(manifest, core.Options{Prefix: "/static/", Strict: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no manifest at %s; build it first: %s", manifest, buildHint)
	}
	if err != nil {
		return nil, err
	}

	engine := django.New(views, ".html")
	// Before fiber.New, which loads the engine. Both syntaxes work after
	// it: asset_url("x") in this engine, and the filter "x"|asset_url,
	// which is pongo2's, process-wide, and resolves with the resolver of
	// the latest Register.
	if err := cbdjango.Register(engine, r); err != nil {
		return nil, err
	}

	// The files through an os.Root: no symbolic link in dir leads a
	// request out of it. The root stays open as long as the handler.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{Views: engine})
	// Every request under /static/ is answered from the build: renamed
	// files as immutable, plain names revalidated, anything else 404.
	app.Use(fiberstatic.New(serve.NewHandler(root.FS(), r, serve.Options{Precompressed: true})))
	app.Get("/", func(c fiber.Ctx) error {
		// A plain map: with Fiber v3 the django engine ignores a fiber.Map.
		return c.Render("index", map[string]any{})
	})
	return &site{app: app, r: r, manifest: manifest}, nil
}

// reload reads the manifest again, after a new build, and swaps it in.
func (s *site) reload() error {
	m, err := core.ReadManifest(s.manifest)
	if err != nil {
		return err
	}
	return s.r.Swap(m)
}
