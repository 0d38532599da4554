package serve_test

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

func TestDevNoticesChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.css")
	t0 := time.Now().Add(-time.Hour)
	writeFile(t, p, cssV1, t0)
	fsys := os.DirFS(dir)
	d, err := fingerprint.NewDev(fsys, fingerprint.DevOptions{Keep: 2, Poll: time.Hour}, core.Options{})
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

// TestDevHalfWrittenNeverImmutable edits a file in dev mode as an editor
// does, in two writes, with a check between them: the check that sees a
// file modified just now does not fingerprint it, so its half-written
// bytes are answered with no-cache, never as immutable; the check that
// finds it unchanged since fingerprints the whole file.
func TestDevHalfWrittenNeverImmutable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.css")
	writeFile(t, p, cssV1, time.Now().Add(-time.Hour))
	d, err := fingerprint.NewDev(os.DirFS(dir), fingerprint.DevOptions{Keep: 2, Poll: time.Hour}, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	h := serve.NewSourceHandler(d, r, serve.Options{})
	u1 := fixture{r: r}.url(t, "app.css")
	check := func(when, body string) string {
		t.Helper()
		if err := d.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
		u := fixture{r: r}.url(t, "app.css")
		for _, target := range []string{u, "app.css"} {
			w := get(h, "GET", target)
			if w.Body.String() == body && w.Header().Get("Cache-Control") == serve.CacheImmutable && body != cssV2 {
				t.Errorf("%s: GET %s: the half-written bytes %q served immutable", when, target, body)
			}
		}
		return u
	}
	half := cssV2[:len(cssV2)/2]
	writeFile(t, p, half, time.Now())
	if u := check("after the first half", half); u != u1 {
		t.Errorf("after the first half: URL %q, want the old %q kept until the file settles", u, u1)
	}
	writeFile(t, p, cssV2, time.Now())
	if u := check("after the second half", cssV2); u != u1 {
		t.Errorf("after the second half: URL %q, want the old %q kept until the file settles", u, u1)
	}
	u2 := check("once settled", cssV2)
	if u2 == u1 {
		t.Fatalf("once the file is unchanged between two checks: URL still %q", u2)
	}
	if w := get(h, "GET", u2); w.Body.String() != cssV2 || w.Header().Get("Cache-Control") != serve.CacheImmutable {
		t.Errorf("GET %s once settled: %q %q, want %q %q", u2, w.Header().Get("Cache-Control"), w.Body, serve.CacheImmutable, cssV2)
	}
}

// changingFS is a MapFS whose file name changes, size and time, each time
// it is opened, as a file being written while a check reads it does.
type changingFS struct {
	fstest.MapFS
	name string
	n    int
}

func (c *changingFS) Open(name string) (fs.File, error) {
	f, err := c.MapFS.Open(name)
	if name == c.name && err == nil {
		c.n++
		c.MapFS[name] = &fstest.MapFile{Data: []byte(strings.Repeat("x", c.n)), ModTime: modtime.Add(time.Duration(c.n) * time.Second)}
	}
	return f, err
}

// TestDevChangedWhileRead checks that a file that changes while a check
// reads it is not fingerprinted by that check.
func TestDevChangedWhileRead(t *testing.T) {
	fsys := &changingFS{MapFS: fstest.MapFS{"a.css": file(cssV1), "b.css": file(cssV1)}}
	d, err := fingerprint.NewDev(fsys, fingerprint.DevOptions{Poll: time.Hour}, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	u1, _ := d.Resolver().URL("a.css")
	fsys.name = "a.css"
	fsys.MapFS["a.css"] = &fstest.MapFile{Data: []byte(cssV2), ModTime: modtime.Add(-time.Hour)}
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if u, _ := d.Resolver().URL("a.css"); u != u1 {
		t.Errorf("after a check that read a.css while it changed: URL %q, want the old %q", u, u1)
	}
}
