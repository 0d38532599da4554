package serve_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/benchpage"
	"github.com/cachebust/cachebust/serve"
)

// handlerTree writes a small asset tree, builds it with fingerprint.Dir and returns
// the output directory and the resolver.
func handlerTree(b *testing.B) (string, *core.Resolver) {
	b.Helper()
	dir := b.TempDir()
	for name, size := range map[string]int{"css/app.css": 8 << 10, "js/app.js": 32 << 10, "img/logo.svg": 2 << 10} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Keep: fingerprint.DefaultKeep})
	if err != nil {
		b.Fatal(err)
	}
	r, err := core.New(res.Manifest, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return dir, r
}

// BenchmarkHandler compares serve.Handler with http.FileServer serving the
// same file from the same directory, both behind http.StripPrefix. Its
// "ratio" sub-benchmark takes turns between the two and reports Handler's
// time per request as a multiple of FileServer's ("x-baseline"; below 1 is
// faster), which stays steady on a busy machine where separate runs do not.
func BenchmarkHandler(b *testing.B) {
	dir, r := handlerTree(b)
	hashed, _ := r.URL("css/app.css")
	get := func(h http.Handler, target string) func() error {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		return func() error {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				return fmt.Errorf("GET %s: %d", target, w.Code)
			}
			return nil
		}
	}
	handler := get(http.StripPrefix("/static", serve.NewHandler(os.DirFS(dir), r, serve.Options{})), hashed)
	fileServer := get(http.StripPrefix("/static", http.FileServer(http.Dir(dir))), "/static/css/app.css")
	benchpage.CompareNamed(b, "Handler", handler, "FileServer", fileServer)
}

// BenchmarkSourceHandler measures what the check of a source that can
// change costs: a source handler over a directory, which reads the file it
// serves whole and hashes it on every request, against a handler of the
// same file in a fingerprint.Dir output, which serves it as it is. Its "ratio"
// sub-benchmark reports the source handler's time per request as a
// multiple of the other's ("x-baseline").
func BenchmarkSourceHandler(b *testing.B) {
	ctx := context.Background()
	src, out := b.TempDir(), b.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "css"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "css", "app.css"), []byte(strings.Repeat("x", 8<<10)), 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := fingerprint.Dir(ctx, src, out, fingerprint.DirOptions{})
	if err != nil {
		b.Fatal(err)
	}
	built, err := fingerprint.FS(ctx, os.DirFS(src), fingerprint.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rDir, err := core.New(res.Manifest, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rSrc, err := core.New(built.Manifest(), core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	hashed, _ := rSrc.URL("css/app.css")
	get := func(h http.Handler) func() error {
		req := httptest.NewRequest("GET", hashed, nil)
		return func() error {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != serve.CacheImmutable || w.Body.Len() != 8<<10 {
				return fmt.Errorf("GET %s: %d %q, %d bytes", hashed, w.Code, w.Header().Get("Cache-Control"), w.Body.Len())
			}
			return nil
		}
	}
	source := get(http.StripPrefix("/static", serve.NewSourceHandler(built, rSrc, serve.Options{})))
	dir := get(http.StripPrefix("/static", serve.NewHandler(os.DirFS(out), rDir, serve.Options{})))
	benchpage.CompareNamed(b, "Source", source, "Dir", dir)
}
