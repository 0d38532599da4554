package serve_test

import (
	"errors"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

func TestViteManifest(t *testing.T) {
	dist := os.DirFS("testdata/vite")
	v, err := core.ReadViteManifestFS(dist, core.ViteManifestName)
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/build/", Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"src/main.ts":              "/build/assets/main-BRBmoGS9.js",
		"/src/admin.ts":            "/build/assets/admin-gkvgaI9m.js",
		"src/assets/logo.svg":      "/build/assets/logo-BuPIv-2h.svg",
		"src/components/Chart.vue": "/build/assets/Chart-B2H3sXNv.js",
		"assets/main-5UjPuW-k.css": "/build/assets/main-5UjPuW-k.css",
	} {
		if got, err := r.URL(name); got != want || err != nil {
			t.Errorf("URL(%q) = %q, %v, want %q", name, got, err, want)
		}
	}

	tests := []struct {
		entry        string
		css, imports []string
	}{
		// The entry's own CSS first, then its imports' depth first; the
		// shared CSS once although two chunks name it; the dynamic import's
		// CSS not at all.
		{"src/main.ts",
			[]string{"assets/main-5UjPuW-k.css", "assets/shared-ChJ_j-JJ.css", "assets/vendor-DlTBGh2e.css"},
			[]string{"assets/vendor-Cx1zrTQe.js", "assets/shared-B7PI925R.js"}},
		{"src/admin.ts",
			[]string{"assets/vendor-DlTBGh2e.css", "assets/shared-ChJ_j-JJ.css"},
			[]string{"assets/vendor-Cx1zrTQe.js", "assets/shared-B7PI925R.js"}},
		{"src/assets/logo.svg", nil, nil},
	}
	for _, tt := range tests {
		css, err := v.CSS(tt.entry)
		if err != nil || !slices.Equal(css, tt.css) {
			t.Errorf("CSS(%q) = %q, %v, want %q", tt.entry, css, err, tt.css)
		}
		imports, err := v.Imports(tt.entry)
		if err != nil || !slices.Equal(imports, tt.imports) {
			t.Errorf("Imports(%q) = %q, %v, want %q", tt.entry, imports, err, tt.imports)
		}
		// Every file resolves.
		for _, f := range css {
			if _, err := r.URL(f); err != nil {
				t.Errorf("URL(%q): %v", f, err)
			}
		}
	}
	if _, err := v.CSS("src/nope.ts"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("CSS of an unknown entry: %v, want ErrNotFound", err)
	}

	// Served: the entry chunk immutable, its CSS revalidating.
	h := serve.NewHandler(dist, r, serve.Options{})
	for target, cache := range map[string]string{
		"assets/main-BRBmoGS9.js":  serve.CacheImmutable,
		"assets/main-5UjPuW-k.css": serve.CacheRevalidate,
		".vite/manifest.json":      serve.CacheNotFound,
	} {
		if res := get(h, "GET", target).Result(); res.Header.Get("Cache-Control") != cache {
			t.Errorf("GET %s: %d %q, want %q", target, res.StatusCode, res.Header.Get("Cache-Control"), cache)
		}
	}
}

func TestViteManifestCorrupt(t *testing.T) {
	for name, data := range map[string]string{
		"NotJSON":       `{`,
		"NotAnObject":   `[]`,
		"NoFile":        `{"src/main.ts": {"src": "src/main.ts"}}`,
		"UnknownImport": `{"src/main.ts": {"file": "a.js", "imports": ["_gone.js"]}}`,
	} {
		if _, err := core.ParseViteManifest([]byte(data)); !errors.Is(err, core.ErrCorruptManifest) {
			t.Errorf("%s: error %v, want ErrCorruptManifest", name, err)
		}
	}
}

func TestMixManifest(t *testing.T) {
	public := os.DirFS("testdata/mix")
	m, err := core.ReadMixManifestFS(public, core.MixManifestName)
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"js/app.js":      "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c",
		"/css/app.css":   "/css/app.css?id=0a1b2c3d4e5f60718293",
		"js/manifest.js": "/js/manifest.js",
		"js/unknown.js":  "/js/unknown.js",
	} {
		if got, err := r.URL(name); got != want || err != nil {
			t.Errorf("URL(%q) = %q, %v, want %q", name, got, err, want)
		}
	}
	h := serve.NewHandler(public, r, serve.Options{})
	for target, want := range map[string]int{
		"js/app.js?id=6f3b2a0c9d1e8f7a4b5c": http.StatusOK,
		"js/app.js":                         http.StatusOK,
		"js/app.js?id=00000000000000000000": http.StatusNotFound,
		"mix-manifest.json":                 http.StatusNotFound,
	} {
		if res := get(h, "GET", target).Result(); res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", target, res.StatusCode, want)
		}
	}
	if res := get(h, "GET", "js/app.js?id=6f3b2a0c9d1e8f7a4b5c").Result(); res.Header.Get("Cache-Control") != serve.CacheImmutable {
		t.Errorf("versioned Mix URL: Cache-Control %q, want %q", res.Header.Get("Cache-Control"), serve.CacheImmutable)
	}
	if _, err := core.ParseMixManifest([]byte(`{"/../x.js": "/x.js"}`)); !errors.Is(err, core.ErrCorruptManifest) {
		t.Errorf("escaping path: error %v, want ErrCorruptManifest", err)
	}
}
