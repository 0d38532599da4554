package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/cachebust/cachebust/examples/internal/routertest"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

func init() { gin.SetMode(gin.TestMode) }

// TestServetest runs the serving suite through Gin's router, as the app
// wires it: a router that mangled HEAD, ranges or conditional requests
// would fail it.
func TestServetest(t *testing.T) {
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		return routertest.Server(t, newRouter(h))
	})
}

// TestPage loads the page and every asset it links.
func TestPage(t *testing.T) {
	assets, err := newAssets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	page := routertest.Page(t, newRouter(assets), "/", 3)
	for _, want := range []string{`integrity="sha384-`, `<script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
}
