package mustache_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/template/mustache/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/fibertest"
	cbmustache "github.com/cachebust/cachebust/adapters/fiber/mustache"
)

func TestRegisterFails(t *testing.T) {
	err := cbmustache.Register(mustache.New("views", ".mustache"), fibertest.Resolver(t))
	if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "mustache") {
		t.Errorf("Register = %v, want an error naming mustache that wraps errors.ErrUnsupported", err)
	}
}

func TestRegisterNil(t *testing.T) {
	fibertest.RegisterNil(t, fibertest.Syntax{Ext: ".mustache"}, mustache.NewFileSystem, cbmustache.Register)
}

// After a failed Register the engine is as it was: Fiber v2 and v3 apps
// render with it, with the URL, the import map and an entry's elements
// resolved in the handler.
func TestFiberApps(t *testing.T) {
	r := fibertest.Resolver(t)
	css, err := r.URL("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	importMap, err := r.ImportMap()
	if err != nil {
		t.Fatal(err)
	}
	entry, err := r.EntryHTML("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	const want = `<script type="importmap">{"imports":{}}</script><link href="/static/css/app-7cf8afb02638.css"><link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">`
	for _, version := range fibertest.Versions {
		t.Run(version, func(t *testing.T) {
			views := mustache.NewFileSystem(http.FS(fstest.MapFS{"index.mustache": {Data: []byte(`{{{importmap}}}<link href="{{css}}">{{{entry}}}`)}}), ".mustache")
			if err := cbmustache.Register(views, r); err == nil {
				t.Fatal("Register = nil, want an error")
			}
			if status, body := fibertest.Get(t, version, views, map[string]any{"css": css, "importmap": importMap, "entry": entry}); status != http.StatusOK || body != want {
				t.Errorf("GET / = %d %q, want 200 %q", status, body, want)
			}
		})
	}
}

func TestLinksOnly(t *testing.T) {
	fibertest.LinksOnly(t, "mustache")
}
