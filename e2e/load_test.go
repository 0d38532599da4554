package e2e_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

var loadFull = flag.Bool("load", false, "run TestLoad at full size: 20000 requests from 8 workers, for at most 10s")

// loadConfig sizes a load run.
type loadConfig struct {
	workers  int
	requests int           // requests to send in all
	max      time.Duration // stop sending after this long, if not done
	rebuild  time.Duration // time between two builds and swaps
}

// loadResult is what a load run measured.
type loadResult struct {
	sent, errs int64
	// gone counts 404s for URLs whose build was dropped, by enough later
	// builds, while the request was in flight.
	gone    int64
	builds  int
	elapsed time.Duration
	first   []string // the first few errors
}

func (r loadResult) perSecond() float64 { return float64(r.sent) / r.elapsed.Seconds() }

// TestLoad sends a fixed number of requests, over loopback, to serve.Handler
// serving the output of fingerprint.Dir, for URLs of the current and the previous
// build, while another goroutine changes files, builds and swaps the
// manifest. Every response must be 200, immutable and the bytes the
// manifest's hash names, or a 404 if enough builds to drop its build began
// while it was in flight. Requests per second are reported, not checked.
func TestLoad(t *testing.T) {
	cfg := loadConfig{workers: 4, requests: 2000, max: 5 * time.Second, rebuild: 50 * time.Millisecond}
	if *loadFull {
		cfg = loadConfig{workers: 8, requests: 20000, max: 10 * time.Second, rebuild: 50 * time.Millisecond}
	}
	res := runLoad(t, cfg)
	t.Logf("load: %d requests from %d workers in %v: %.0f requests/s, %d errors; %d builds swapped in; %d clean 404s for builds dropped during the request",
		res.sent, cfg.workers, res.elapsed.Round(time.Millisecond), res.perSecond(), res.errs, res.builds, res.gone)
	if res.errs > 0 {
		t.Errorf("%d of %d requests failed; first: %s", res.errs, res.sent, strings.Join(res.first, "; "))
	}
}

// BenchmarkLoad is TestLoad with b.N requests from 8 workers, reporting
// requests/s and errors as metrics.
func BenchmarkLoad(b *testing.B) {
	res := runLoad(b, loadConfig{workers: 8, requests: b.N, max: 10 * time.Minute, rebuild: 50 * time.Millisecond})
	b.ReportMetric(res.perSecond(), "requests/s")
	b.ReportMetric(float64(res.errs), "errors")
	b.ReportMetric(float64(res.builds), "builds")
	if res.errs > 0 {
		b.Errorf("%d of %d requests failed; first: %s", res.errs, res.sent, strings.Join(res.first, "; "))
	}
}

// A generation is the fingerprinted URLs of one build, with the hash of
// the bytes each must serve.
type generation struct {
	v    int
	urls []string
	hash []string
}

func runLoad(tb testing.TB, cfg loadConfig) loadResult {
	tb.Helper()
	ctx := context.Background()
	src, out := tb.TempDir(), tb.TempDir()
	// A stylesheet naming an image (so rewriting chains their hashes), a
	// script, and a 32 KiB file that never changes. Which files change
	// depends on the build's number.
	font := strings.Repeat("cachebust load ", 32<<10/15)
	write := func(v int) error {
		files := map[string]string{
			"css/app.css":   fmt.Sprintf("/* build %d */\nbody { background: url(../img/bg.png); }\n", v),
			"js/app.js":     fmt.Sprintf("console.log(%d);\n", v/2),
			"img/bg.png":    fmt.Sprintf("not really a PNG, version %d\n", v/3),
			"fonts/x.woff2": font,
		}
		for name, content := range files {
			p := filepath.Join(src, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	opts := fingerprint.DirOptions{Keep: 2}
	if err := write(0); err != nil {
		tb.Fatal(err)
	}
	built, err := fingerprint.Dir(ctx, src, out, opts)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := core.New(built.Manifest, core.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/static", serve.NewHandler(os.DirFS(out), r, serve.Options{})))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: cfg.workers, MaxIdleConnsPerHost: cfg.workers}}
	defer client.CloseIdleConnections()

	generationOf := func(v int, m *core.Manifest) (*generation, error) {
		g := &generation{v: v}
		for name, a := range m.Assets {
			u, err := r.URL(name)
			if err != nil {
				return nil, err
			}
			g.urls = append(g.urls, srv.URL+u)
			g.hash = append(g.hash, a.Hash)
		}
		return g, nil
	}
	first, err := generationOf(0, built.Manifest)
	if err != nil {
		tb.Fatal(err)
	}
	var live atomic.Pointer[[]*generation] // the current build and the previous one
	live.Store(&[]*generation{first})
	var started atomic.Int64 // the newest build begun

	var (
		res  loadResult
		mu   sync.Mutex // guards res.first
		sent atomic.Int64
		errs atomic.Int64
		gone atomic.Int64
	)
	fail := func(format string, args ...any) {
		errs.Add(1)
		mu.Lock()
		if len(res.first) < 5 {
			res.first = append(res.first, fmt.Sprintf(format, args...))
		}
		mu.Unlock()
	}

	loadCtx, cancel := context.WithTimeout(ctx, cfg.max)
	defer cancel()
	stop := make(chan struct{})
	var builder sync.WaitGroup
	builder.Go(func() {
		tick := time.NewTicker(cfg.rebuild)
		defer tick.Stop()
		prev := first
		for v := 1; ; v++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			started.Store(int64(v))
			err := write(v)
			if err == nil {
				built, err = fingerprint.Dir(ctx, src, out, opts)
			}
			if err == nil {
				err = r.Swap(built.Manifest)
			}
			var cur *generation
			if err == nil {
				cur, err = generationOf(v, built.Manifest)
			}
			if err != nil {
				fail("build %d: %v", v, err)
				return
			}
			live.Store(&[]*generation{cur, prev})
			prev = cur
			res.builds = v
		}
	})

	begin := time.Now()
	var workers sync.WaitGroup
	for range cfg.workers {
		workers.Go(func() {
			for loadCtx.Err() == nil && sent.Add(1) <= int64(cfg.requests) {
				gens := *live.Load()
				g := gens[rand.IntN(len(gens))]
				i := rand.IntN(len(g.urls))
				status, cc, sum, err := get(loadCtx, client, g.urls[i])
				if errors.Is(err, context.DeadlineExceeded) {
					sent.Add(-1) // cut off by the time limit, not a failure
					return
				}
				// Build v+Keep+1 removes the files of build v: once it
				// has begun, a clean 404 is a right answer too.
				dropped := started.Load() > int64(g.v+opts.Keep)
				switch {
				case dropped && err == nil && status == http.StatusNotFound && cc == serve.CacheNotFound:
					gone.Add(1)
				case err != nil:
					fail("build %d: GET %s: %v", g.v, g.urls[i], err)
				case status != http.StatusOK || cc != serve.CacheImmutable || sum != g.hash[i]:
					fail("build %d: GET %s: %d, Cache-Control %q, sha256 %.12s, want 200, %q, %.12s",
						g.v, g.urls[i], status, cc, sum, serve.CacheImmutable, g.hash[i])
				}
			}
		})
	}
	workers.Wait()
	res.elapsed = time.Since(begin)
	close(stop)
	builder.Wait()

	res.sent = min(sent.Load(), int64(cfg.requests))
	res.errs, res.gone = errs.Load(), gone.Load()
	return res
}

// get fetches u and returns the status, the Cache-Control header and the
// hex SHA-256 of the body.
func get(ctx context.Context, client *http.Client, u string) (int, string, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		return 0, "", "", err
	}
	return resp.StatusCode, resp.Header.Get("Cache-Control"), hex.EncodeToString(h.Sum(nil)), nil
}
