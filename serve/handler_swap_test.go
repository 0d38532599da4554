package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// TestHandlerConcurrentRebuild fetches the URLs of the current and the
// previous build from many goroutines while the tree is rebuilt with
// fingerprint.Dir and the resolver swapped after each build, and requires every
// fetch to succeed with the bytes of its build.
func TestHandlerConcurrentRebuild(t *testing.T) {
	ctx := context.Background()
	src, out := t.TempDir(), t.TempDir()
	names := []string{"css/app.css", "js/app.js", "img/logo.svg"}
	content := func(name string, v int) string { return fmt.Sprintf("/* %s version %d */\n", name, v) }
	write := func(v int) {
		for _, name := range names {
			p := filepath.Join(src, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			// Atomically, as a deploy would: plain URLs are read meanwhile.
			if err := os.WriteFile(p+".tmp", []byte(content(name, v)), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(p+".tmp", p); err != nil {
				t.Fatal(err)
			}
		}
	}
	opts := fingerprint.DirOptions{Keep: 2}
	write(0)
	res, err := fingerprint.Dir(ctx, src, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(res.Manifest, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/static", serve.NewHandler(os.DirFS(out), r, serve.Options{})))
	defer srv.Close()

	// A generation is the fingerprinted URLs of one build and their bytes.
	type generation struct {
		v    int
		urls map[string]string
	}
	urlsOf := func(v int) generation {
		g := generation{v: v, urls: map[string]string{}}
		for _, name := range names {
			u, err := r.URL(name)
			if err != nil {
				t.Error(err)
			}
			g.urls[u] = content(name, v)
		}
		return g
	}
	var live atomic.Pointer[[]generation] // current and previous
	var version atomic.Int64              // the build the resolver serves
	first := []generation{urlsOf(0)}
	live.Store(&first)

	const builds = 15
	var done atomic.Bool
	var wg sync.WaitGroup
	var fetched, failed atomic.Int64
	client := srv.Client()
	for w := range 8 {
		wg.Go(func() {
			for i := w; !done.Load(); i++ {
				gens := *live.Load()
				g := gens[i%len(gens)]
				for u, want := range g.urls {
					resp, err := client.Get(srv.URL + u)
					if err != nil {
						t.Error(err)
						failed.Add(1)
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					fetched.Add(1)
					// Only a build two newer than g may drop it.
					if version.Load() > int64(g.v+1) {
						continue
					}
					if resp.StatusCode != http.StatusOK || string(body) != want ||
						resp.Header.Get("Cache-Control") != serve.CacheImmutable {
						failed.Add(1)
						t.Errorf("build %d: GET %s: %d %q %q, want 200 %q immutable", g.v, u, resp.StatusCode, resp.Header.Get("Cache-Control"), body, want)
					}
				}
			}
		})
	}
	prev := first[0]
	for v := 1; v <= builds; v++ {
		write(v)
		res, err := fingerprint.Dir(ctx, src, out, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Swap(res.Manifest); err != nil {
			t.Fatal(err)
		}
		version.Store(int64(v))
		cur := urlsOf(v)
		gens := []generation{cur, prev}
		live.Store(&gens)
		prev = cur
		// Let the fetchers see this state.
		for n := fetched.Load(); fetched.Load() < n+20; {
			if failed.Load() > 0 {
				break
			}
			runtime.Gosched()
		}
	}
	done.Store(true)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of %d fetches failed", n, fetched.Load())
	}
	t.Logf("%d fetches across %d builds, none failed", fetched.Load(), builds)
}

// TestHandlersReleaseSwapHooks makes handlers on one resolver and releases
// them, by Close or by dropping them, and checks that a Swap then does no
// more work than with no handler ever made: no hook of theirs is left.
func TestHandlersReleaseSwapHooks(t *testing.T) {
	fsys := fstest.MapFS{}
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Assets: map[string]core.Asset{}}
	for i := range 50 {
		name := fmt.Sprintf("css/a%d.css", i)
		hash := fmt.Sprintf("%064x", i)
		file := fmt.Sprintf("css/a%d-%s.css", i, hash[:12])
		m.Assets[name] = core.Asset{File: file, Hash: hash, Size: 1}
		fsys[file] = &fstest.MapFile{Data: []byte("x")}
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	swap := func() float64 {
		return testing.AllocsPerRun(3, func() {
			if err := r.Swap(m); err != nil {
				t.Fatal(err)
			}
		})
	}
	base := swap()

	live := serve.NewHandler(fsys, r, serve.Options{})
	if got := swap(); got <= base {
		t.Fatalf("Swap with a live handler: %v allocations, want more than the %v of none (the handler indexes in Swap)", got, base)
	}
	live.Close()
	if got := swap(); got != base {
		t.Errorf("Swap after Close of the only handler: %v allocations, want the %v of none", got, base)
	}

	for range 10 {
		if err := serve.NewHandler(fsys, r, serve.Options{}).Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := swap(); got != base {
		t.Errorf("Swap after 10 handlers made and closed: %v allocations, want the %v of none", got, base)
	}

	for range 10 {
		serve.NewHandler(fsys, r, serve.Options{})
	}
	// Cleanups run in their own goroutine after a collection.
	got := swap()
	for i := 0; i < 50 && got != base; i++ {
		runtime.GC()
		runtime.Gosched()
		got = swap()
	}
	if got != base {
		t.Errorf("Swap after 10 handlers made and dropped: %v allocations, want the %v of none", got, base)
	}
}
