// Command echo is an Echo v4 app whose pages carry fingerprinted asset
// URLs, rendered by gonja (Jinja2) with the functions of package
// adapters/gonja, and whose assets, embedded in the binary and
// fingerprinted when it starts, a serve.Handler serves through Echo's
// router.
//
// Usage, from the repository root:
//
//	go run ./examples/echo [-addr 127.0.0.1:8080]
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"

	cbgonja "github.com/cachebust/cachebust/adapters/gonja"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

//go:embed static templates
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

// pages is an echo.Renderer of the gonja templates in templates/, parsed
// once, in an environment with the functions of one resolver.
type pages map[string]*exec.Template

// newPages parses the named templates with r's functions.
func newPages(r *core.Resolver, names ...string) (pages, error) {
	loader, err := loaders.NewEmbedFSLoader("templates", &files)
	if err != nil {
		return nil, err
	}
	env := cbgonja.NewEnvironment(r)
	cfg := config.New()
	cfg.AutoEscape = true
	p := pages{}
	for _, name := range names {
		if p[name], err = exec.NewTemplate(name, cfg, loader, env); err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
	}
	return p, nil
}

// Render renders the template name with data, a map.
func (p pages) Render(w io.Writer, name string, data any, _ echo.Context) error {
	t, ok := p[name]
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	vars, _ := data.(map[string]any)
	return cbgonja.Execute(t, w, exec.NewContext(vars))
}

// newRouter returns the app: its pages, linking assets with the resolver
// of assets, and assets itself under /static/.
func newRouter(assets *serve.Handler) (*echo.Echo, error) {
	p, err := newPages(assets.Resolver(), "index.html")
	if err != nil {
		return nil, err
	}
	e := echo.New()
	// The templates, and the assets for every method.
	e.Renderer = p
	e.Any("/static/*", echo.WrapHandler(http.StripPrefix("/static", assets)))
	e.GET("/", func(c echo.Context) error {
		return c.Render(http.StatusOK, "index.html", map[string]any{"title": "cachebust with Echo"})
	})
	return e, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	assets, err := newAssets(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	e, err := newRouter(assets)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s/", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
