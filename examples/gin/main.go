// Command gin is a Gin app whose pages carry fingerprinted asset URLs,
// rendered by Gin's html/template with the functions of package
// adapters/htmltemplate, and whose assets, embedded in the binary and
// fingerprinted when it starts, a serve.Handler serves through Gin's
// router.
//
// Usage, from the repository root:
//
//	go run ./examples/gin [-addr 127.0.0.1:8080]
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

	"github.com/gin-gonic/gin"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
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

// newRouter returns the app: its pages, linking assets with the resolver
// of assets, and assets itself under /static/.
func newRouter(assets *serve.Handler) *gin.Engine {
	router := gin.New()
	// The template functions, before the templates are loaded.
	router.SetFuncMap(htmltemplate.Funcs(assets.Resolver()))
	router.LoadHTMLFS(http.FS(files), "templates/*.html")
	// The assets, for every method: GET alone would not answer HEAD.
	router.Any("/static/*path", gin.WrapH(http.StripPrefix("/static", assets)))
	router.GET("/", func(c *gin.Context) {
		c.HTML(http.StatusOK, "index.html", gin.H{"Title": "cachebust with Gin"})
	})
	return router
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	gin.SetMode(gin.ReleaseMode)
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
