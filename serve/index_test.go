package serve_test

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

// bigManifest returns a manifest of n renamed assets, without files: the
// index is built from the manifest alone.
func bigManifest(n int) *core.Manifest {
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Length: 12, Assets: make(map[string]core.Asset, n)}
	for i := range n {
		hash := fmt.Sprintf("%064x", i+1)
		m.Assets[fmt.Sprintf("css/%06d.css", i)] = core.Asset{File: fmt.Sprintf("css/%06d-%s.css", i, hash[:12]), Hash: hash, Size: 1}
	}
	return m
}

// source is a Source whose manifest a test changes.
type source struct{ m atomic.Pointer[core.Manifest] }

func (s *source) Snapshot() (*core.Manifest, fs.FS) { return s.m.Load(), fstest.MapFS{} }

// firstRequests makes a handler (a source handler with sources) of a small
// manifest, changes it to m, and sends n concurrent first requests,
// returning the bytes they allocate and the time until all are answered.
func firstRequests(t testing.TB, m *core.Manifest, n int, sources bool) (uint64, time.Duration) {
	small := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}}
	r, err := core.New(small, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := &source{}
	src.m.Store(small)
	var sh *serve.Handler
	if sources {
		sh = serve.NewSourceHandler(src, r, serve.Options{})
	} else {
		sh = serve.NewHandler(fstest.MapFS{}, r, serve.Options{})
	}
	h := http.StripPrefix("/static", sh)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/static/x.css", nil))
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	src.m.Store(m)
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
	began := time.Now()
	start.Done()
	done.Wait()
	took := time.Since(began)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, took
}

// A Handler indexes a manifest inside Swap: the first request after a
// swap to 20,000 assets allocates what any request does, not an index.
func TestIndexedInSwap(t *testing.T) {
	const most = 64 << 10 // an index of 20,000 assets takes megabytes
	if got, _ := firstRequests(t, bigManifest(20000), 1, false); got > most {
		t.Errorf("the first request after a swap allocates %d bytes, want at most %d", got, most)
	}
}

// A source handler indexes a new manifest on the first request that sees
// it: concurrent first requests build it once between them, so that 8
// allocate at most 1.5 times what one does.
func TestIndexOncePerManifest(t *testing.T) {
	m := bigManifest(20000)
	one, _ := firstRequests(t, m, 1, true)
	eight, _ := firstRequests(t, m, 8, true)
	if ratio := float64(eight) / float64(one); ratio > 1.5 {
		t.Errorf("8 concurrent first requests allocate %d bytes, %.1f times the %d of one; want at most 1.5", eight, ratio, one)
	} else {
		t.Logf("8 concurrent first requests allocate %.2f times what one does (%d and %d bytes)", ratio, eight, one)
	}
}

// BenchmarkFirstRequest measures the first request after a swap to a
// manifest of 100,000 assets, alone and as 8 concurrent requests, for a
// Handler, which indexed the manifest in Swap, and a source handler,
// which indexes it then, and reports the time until the requests are
// answered ("ms-answered") and the bytes they allocate. Making the
// handler and swapping are not measured; ns/op is meaningless.
func BenchmarkFirstRequest(b *testing.B) {
	m := bigManifest(100000)
	for _, sources := range []bool{false, true} {
		for _, n := range []int{1, 8} {
			b.Run(fmt.Sprintf("sources=%v/%d", sources, n), func(b *testing.B) {
				var bytes uint64
				var took time.Duration
				for b.Loop() {
					by, t := firstRequests(b, m, n, sources)
					bytes += by
					took += t
				}
				b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N), "ms-answered")
				b.ReportMetric(float64(bytes)/float64(b.N)/(1<<20), "MiB/op")
			})
		}
	}
}
