package core_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
)

func TestDevNoticesChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.css")
	writeFile := func(s string, mod time.Time) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now().Add(-time.Hour)
	writeFile(cssV1, t0)
	fsys := os.DirFS(dir)
	r, err := core.NewDev(fsys, core.BuildOptions{}, core.Options{Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := core.NewHandler(fsys, r, core.HandlerOptions{Sources: true})
	url := func() string {
		t.Helper()
		time.Sleep(3 * time.Millisecond) // past the poll interval
		u, err := r.URL("app.css")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, "/static/")
	}
	u1 := url()

	// Touched, same bytes: same URL.
	writeFile(cssV1, t0.Add(time.Minute))
	if u := url(); u != u1 {
		t.Errorf("after touch: URL %q, want %q", u, u1)
	}

	// Changed: a new URL, served immutable; the old one still loads, with
	// the current bytes and a revalidating cache.
	writeFile(cssV2, t0.Add(2*time.Minute))
	u2 := url()
	if u2 == u1 {
		t.Fatalf("after change: URL still %q", u2)
	}
	for _, c := range []struct{ target, cache string }{{u2, core.CacheImmutable}, {u1, core.CacheRevalidate}} {
		res := get(h, "GET", c.target).Result()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || string(body) != cssV2 || res.Header.Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: %d %q %q, want 200 %q %q", c.target, res.StatusCode, res.Header.Get("Cache-Control"), body, c.cache, cssV2)
		}
	}

	// Same size, same content length, different bytes: still noticed by
	// the modification time.
	writeFile(strings.ToUpper(cssV2), t0.Add(3*time.Minute))
	if u := url(); u == u2 {
		t.Errorf("after same-size change: URL still %q", u)
	}

	// Removed: the plain URL, as for any asset missing from the manifest.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if u := url(); u != "app.css" {
		t.Errorf("after removal: URL %q, want %q", u, "app.css")
	}
}

func TestDevWaitsForPoll(t *testing.T) {
	fsys := fstest.MapFS{"a.js": file("1")}
	r, err := core.NewDev(fsys, core.BuildOptions{}, core.Options{Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	u1, _ := r.URL("a.js")
	fsys["a.js"] = file("22")
	if u2, _ := r.URL("a.js"); u2 != u1 {
		t.Errorf("URL changed to %q before the poll interval", u2)
	}
}

func TestDevBadOptions(t *testing.T) {
	_, err := core.NewDev(fstest.MapFS{}, core.BuildOptions{Exclude: []string{"["}}, core.Options{})
	if err == nil {
		t.Error("NewDev with a bad exclude pattern: no error")
	}
}

var sink string

// BenchmarkDevLookup compares URL on a dev resolver with URL on a normal
// one over the same manifest, in the same run.
func BenchmarkDevLookup(b *testing.B) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"css/app.css", "js/app.js", "img/logo.png", "fonts/a.woff2"} {
		fsys[n] = file(n)
	}
	m, err := core.Build(context.Background(), fsys, core.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	normal, err := core.New(m, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	dev, err := core.NewDev(fsys, core.BuildOptions{}, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var ns [2]float64
	for i, r := range []*core.Resolver{normal, dev} {
		b.Run([]string{"Normal", "Dev"}[i], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = r.URL("css/app.css")
			}
			ns[i] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if i == 1 && ns[0] > 0 {
				// The ratio to the normal lookup measured just before.
				b.ReportMetric(ns[1]/ns[0], "x-normal")
			}
		})
	}
}
