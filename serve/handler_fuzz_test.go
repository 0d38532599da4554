package serve_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// FuzzHandlerPath requests arbitrary paths and queries from a handler whose
// tree sits beside a secret, and checks it never panics, never serves the
// secret or the manifest, and serves only what the manifest names.
func FuzzHandlerPath(f *testing.F) {
	outer := fstest.MapFS{
		"secret.txt":           file("SECRET"),
		"pub/css/app.css":      file(cssV2),
		"pub/js/app.js":        file(jsV1),
		"pub/cachebust.json":   file("MANIFEST"),
		"pub/.git/config":      file("SECRET"),
		"pub/css/app.css.gz":   file("GZ"),
		"pub/img/a b%2e.png":   file(pngData),
		"pub/dir.css/inner.js": file(jsV1),
	}
	pub := fsSub(f, outer, "pub")
	built, err := fingerprint.FS(context.Background(), pub, fingerprint.Options{Exclude: []string{"*.gz"}})
	if err != nil {
		f.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{})
	if err != nil {
		f.Fatal(err)
	}
	h := serve.NewSourceHandler(built, r, serve.Options{Precompressed: true})
	served := map[string]bool{}
	for name, a := range m.Assets {
		served[name], served[a.File] = true, true
	}
	for _, s := range []string{
		"css/app.css", "../secret.txt", "%2e%2e/secret.txt", "%252e%252e%252fsecret.txt",
		"..\\secret.txt", "css/..%5c..%5csecret.txt", "css/app.css%00", "cachebust.json",
		".git/config", "css/", "", "/", "//css/app.css", "css/./app.css", "img/a%20b%252e.png",
		"css/app-0123456789ab.css", "css/app.css?v=0123", "dir.css/", "%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		p, q, _ := strings.Cut(target, "?")
		dec, err := url.PathUnescape(p)
		if err != nil {
			dec = p
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path, req.URL.RawQuery = "/"+dec, q
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		body, _ := io.ReadAll(w.Result().Body)
		if strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "MANIFEST") {
			t.Fatalf("GET %q served %q", dec, body)
		}
		if w.Code == http.StatusOK && !served[strings.TrimPrefix(dec, "/")] {
			t.Fatalf("GET %q: 200 for a path the manifest does not name", dec)
		}
	})
}
