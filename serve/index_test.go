package serve_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

// bigManifest returns a manifest of n renamed assets, without files: the
// index is built from the manifest alone.
func bigManifest(n int) *core.Manifest {
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", URL: "rename", Length: 12, Assets: make(map[string]core.Asset, n)}
	for i := range n {
		hash := fmt.Sprintf("%064x", i+1)
		m.Assets[fmt.Sprintf("css/%06d.css", i)] = core.Asset{File: fmt.Sprintf("css/%06d-%s.css", i, hash[:12]), Hash: hash, Size: 1}
	}
	return m
}

// firstRequests swaps m into a fresh handler's resolver and sends n
// concurrent first requests, returning the bytes allocated meanwhile.
func firstRequests(t testing.TB, m *core.Manifest, n int) uint64 {
	small := &core.Manifest{Version: core.ManifestVersion, URL: "rename", Assets: map[string]core.Asset{}}
	r, err := core.New(small, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := http.StripPrefix("/static", serve.NewHandler(fstest.MapFS{}, r, serve.Options{}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/static/x.css", nil))
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	u, err := r.URL("css/000000.css")
	if err != nil {
		t.Fatal(err)
	}
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = httptest.NewRequest("GET", u, nil)
	}
	var start, done sync.WaitGroup
	start.Add(1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, req := range reqs {
		done.Go(func() {
			start.Wait()
			h.ServeHTTP(httptest.NewRecorder(), req)
		})
	}
	start.Done()
	done.Wait()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// After a swap, concurrent first requests build the new manifest's index
// once between them: 8 allocate at most 1.5 times what one does.
func TestIndexOncePerManifest(t *testing.T) {
	m := bigManifest(20000)
	one := firstRequests(t, m, 1)
	eight := firstRequests(t, m, 8)
	if ratio := float64(eight) / float64(one); ratio > 1.5 {
		t.Errorf("8 concurrent first requests allocate %d bytes, %.1f times the %d of one; want at most 1.5", eight, ratio, one)
	} else {
		t.Logf("8 concurrent first requests allocate %.2f times what one does (%d and %d bytes)", ratio, eight, one)
	}
}

// BenchmarkFirstRequest measures the first request after a swap to a
// manifest of 100,000 assets, alone and as 8 concurrent requests, and
// reports the bytes the 8 allocate as a multiple of those of the one
// ("x-one").
func BenchmarkFirstRequest(b *testing.B) {
	m := bigManifest(100000)
	var one uint64
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var total uint64
			for b.Loop() {
				total += firstRequests(b, m, n)
			}
			perOp := total / uint64(b.N)
			b.ReportMetric(float64(perOp)/(1<<20), "MiB/op")
			if n == 1 {
				one = perOp
			} else if one > 0 {
				b.ReportMetric(float64(perOp)/float64(one), "x-one")
			}
		})
	}
}
