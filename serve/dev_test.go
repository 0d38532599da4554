package serve_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

func TestDevNoticesChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.css")
	t0 := time.Now().Add(-time.Hour)
	writeFile(t, p, cssV1, t0)
	fsys := os.DirFS(dir)
	d, err := build.NewDev(fsys, build.DevOptions{Keep: 2, Poll: time.Hour}, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	h := serve.NewSourceHandler(d, r, serve.Options{})
	url := func() string {
		t.Helper()
		if err := d.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
		u, err := r.URL("app.css")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, "/static/")
	}
	u1 := url()

	// Touched, same bytes: same URL.
	writeFile(t, p, cssV1, t0.Add(time.Minute))
	if u := url(); u != u1 {
		t.Errorf("after touch: URL %q, want %q", u, u1)
	}

	// Changed: a new URL, served immutable; the old one still loads, with
	// the current bytes and a revalidating cache.
	writeFile(t, p, cssV2, t0.Add(2*time.Minute))
	u2 := url()
	if u2 == u1 {
		t.Fatalf("after change: URL still %q", u2)
	}
	for _, c := range []struct{ target, cache string }{{u2, serve.CacheImmutable}, {u1, serve.CacheRevalidate}} {
		res := get(h, "GET", c.target).Result()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || string(body) != cssV2 || res.Header.Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: %d %q %q, want 200 %q %q", c.target, res.StatusCode, res.Header.Get("Cache-Control"), body, c.cache, cssV2)
		}
	}

	// Same size, same content length, different bytes: still noticed by
	// the modification time.
	writeFile(t, p, strings.ToUpper(cssV2), t0.Add(3*time.Minute))
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
