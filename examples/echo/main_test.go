package main

import (
	"context"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/examples/internal/routertest"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

// TestServetest runs the serving suite through Echo's router, as the app
// wires it: a router that mangled HEAD, ranges or conditional requests
// would fail it.
func TestServetest(t *testing.T) {
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		e, err := newRouter(h)
		if err != nil {
			t.Fatal(err)
		}
		return routertest.Server(t, e)
	})
}

// TestPage loads the page and every asset it links.
func TestPage(t *testing.T) {
	assets, err := newAssets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e, err := newRouter(assets)
	if err != nil {
		t.Fatal(err)
	}
	page := routertest.Page(t, e, "/", 3)
	for _, want := range []string{`integrity="sha384-`, `<script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
}
