package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// benchTree writes a small asset tree, builds it with BuildDir and returns
// the output directory and the resolver.
func benchTree(b *testing.B) (string, *core.Resolver) {
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
	res, err := core.BuildDir(context.Background(), dir, dir, core.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	r, err := core.New(res.Manifest, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return dir, r
}

// BenchmarkHandler compares core.Handler with http.FileServer serving the
// same file from the same directory, both behind http.StripPrefix, in the
// same run. Handler's "x-fileserver" metric is its throughput relative to
// FileServer's just before (above 1 is faster).
func BenchmarkHandler(b *testing.B) {
	dir, r := benchTree(b)
	hashed, _ := r.URL("css/app.css")
	servers := []struct {
		name, target string
		h            http.Handler
	}{
		{"FileServer", "/static/css/app.css", http.StripPrefix("/static", http.FileServer(http.Dir(dir)))},
		{"Handler", hashed, http.StripPrefix("/static", core.NewHandler(os.DirFS(dir), r, core.HandlerOptions{}))},
	}
	var ns [2]float64
	for i, s := range servers {
		b.Run(s.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", s.target, nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", s.target, w.Code)
				}
			}
			ns[i] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if i == 1 && ns[1] > 0 {
				b.ReportMetric(ns[0]/ns[1], "x-fileserver")
			}
		})
	}
}
