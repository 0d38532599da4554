package serve_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints/hintstest"
	"github.com/cachebust/cachebust/serve"
)

// hintsWriter is a ResponseWriter that keeps nothing: the benchmark
// measures the middleware, not the writing.
type hintsWriter struct {
	h     http.Header
	hints int
}

func (w *hintsWriter) Header() http.Header { return w.h }
func (w *hintsWriter) Write(p []byte) (int, error) {
	return len(p), nil
}
func (w *hintsWriter) WriteHeader(code int) {
	if code == http.StatusEarlyHints {
		w.hints++
	}
}

// BenchmarkEarlyHints compares a page handler behind EarlyHints, for
// three entries of a module graph, with the same handler alone, in the
// same run: the difference is what a request pays for its hints (no
// Entry is computed per request, so the allocations are the same).
func BenchmarkEarlyHints(b *testing.B) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><title>page</title>"))
	})
	req := httptest.NewRequest("GET", "/", nil)
	for _, bc := range []struct {
		name string
		h    http.Handler
		want int // 103 responses per request
	}{
		{"plain", page, 0},
		{"hints", serve.EarlyHints(r, hintstest.Entries...)(page), 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			w := &hintsWriter{h: http.Header{}}
			for b.Loop() {
				clear(w.h)
				bc.h.ServeHTTP(w, req)
			}
			if w.hints != bc.want*b.N {
				b.Fatalf("%d 103 responses for %d requests, want %d each", w.hints, b.N, bc.want)
			}
		})
	}
}
