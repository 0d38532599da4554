package serve_test

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

// checkExact fails if the response to target (relative to the mount point)
// claims other bytes than it carries: an immutable response whose body
// does not hash to the hash its URL names, or an ETag that is not the
// quoted SHA-256 of the body. It returns the body.
func checkExact(t *testing.T, h http.Handler, form strategy.Form, target string) (*http.Response, string) {
	t.Helper()
	res := get(h, "GET", target).Result()
	data, _ := io.ReadAll(res.Body)
	body := string(data)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" {
		return res, body
	}
	sum := strategy.SHA256().SumBytes(data)
	if res.Header.Get("Cache-Control") == serve.CacheImmutable {
		_, hash, ok := form.Parse(target)
		if !ok {
			t.Errorf("GET /%s: immutable, but the URL names no hash", target)
		} else if !strings.HasPrefix(sum, hash) {
			t.Errorf("GET /%s: immutable with a body %q of hash %.12s, not the URL's %s", target, body, sum, hash)
		}
	}
	if etag := res.Header.Get("Etag"); etag != "" && etag != `"`+sum+`"` {
		t.Errorf("GET /%s: ETag %s for a body %q of hash %q", target, etag, body, sum)
	}
	return res, body
}

// An asset whose source file changed after the build is never served as
// immutable under the URL of its old bytes, in either form.
func TestSourceChangedAfterBuild(t *testing.T) {
	for _, form := range []strategy.Form{strategy.Rename{}, strategy.Query{Param: "v"}} {
		t.Run(form.Name(), func(t *testing.T) {
			src := fstest.MapFS{"css/app.css": file(cssV1)}
			f := newSourceFixture(t, src, fingerprint.Options{Form: form}, serve.Options{})
			h, u := f.h, f.url(t, "css/app.css")
			if res, _ := checkExact(t, h, form, u); res.Header.Get("Cache-Control") != serve.CacheImmutable {
				t.Fatalf("GET /%s before the change: Cache-Control %q, want %q", u, res.Header.Get("Cache-Control"), serve.CacheImmutable)
			}

			src["css/app.css"] = file(cssV2)
			res, body := checkExact(t, h, form, u)
			if res.StatusCode != http.StatusOK || body != cssV2 || res.Header.Get("Cache-Control") != serve.CacheRevalidate {
				t.Errorf("GET /%s after the change: %d %q %q, want 200 %q %q", u, res.StatusCode, res.Header.Get("Cache-Control"), body, serve.CacheRevalidate, cssV2)
			}
			checkExact(t, h, form, "css/app.css")
		})
	}
}

// tornFS holds one file, name. Its first open, the build's, reads v1; every
// later one reads a file being rewritten meanwhile: each Read returns at
// most half of it, the first from v1 and the others from v2.
type tornFS struct {
	name   string
	v1, v2 string
	mu     sync.Mutex
	opened bool
}

func (f *tornFS) Open(name string) (fs.File, error) {
	base := fstest.MapFS{f.name: file(f.v1)}
	f.mu.Lock()
	defer f.mu.Unlock()
	if name != f.name || !f.opened {
		f.opened = f.opened || name == f.name
		return base.Open(name)
	}
	info, err := fs.Stat(base, name)
	if err != nil {
		return nil, err
	}
	return &tornFile{v1: f.v1, v2: f.v2, info: info}, nil
}

type tornFile struct {
	v1, v2 string
	off    int64
	reads  int
	info   fs.FileInfo
}

func (f *tornFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *tornFile) Close() error               { return nil }

func (f *tornFile) Read(p []byte) (int, error) {
	if f.off >= int64(len(f.v1)) {
		return 0, io.EOF
	}
	src := f.v1
	if f.reads > 0 {
		src = f.v2
	}
	f.reads++
	n := copy(p[:min(len(p), len(src)/2)], src[f.off:])
	f.off += int64(n)
	return n, nil
}

func (f *tornFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += int64(len(f.v1))
	}
	f.off = offset
	return offset, nil
}

// A file rewritten while a request reads it is never served as immutable
// with a torn body.
func TestSourceTornRead(t *testing.T) {
	src := &tornFS{name: "img/a.png", v1: strings.Repeat("1", 64), v2: strings.Repeat("2", 64)}
	f := newSourceFixture(t, src, fingerprint.Options{}, serve.Options{})
	h, u := f.h, f.url(t, "img/a.png")
	res, body := checkExact(t, h, strategy.Rename{}, u)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != serve.CacheRevalidate {
		t.Errorf("GET /%s: %d %q, want 200 %q for the torn body %q", u, res.StatusCode, res.Header.Get("Cache-Control"), serve.CacheRevalidate, body)
	}
}

// writeFile writes s to the file p with the modification time mod.
func writeFile(t *testing.T, p, s string, mod time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// In dev mode, between an edit and the next check, the URL of the old
// bytes is not immutable, and the plain URL's ETag is that of the new
// bytes.
func TestDevEditBeforeCheck(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.css")
	t0 := time.Now().Add(-time.Hour)
	writeFile(t, p, cssV1, t0)
	d, err := fingerprint.NewDev(os.DirFS(dir), fingerprint.DevOptions{Keep: 2, Poll: time.Hour}, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	h := serve.NewSourceHandler(d, r, serve.Options{})
	u1 := fixture{r: r}.url(t, "app.css")
	if _, body := checkExact(t, h, strategy.Rename{}, "app.css"); body != cssV1 {
		t.Fatalf("GET /app.css: %q, want %q", body, cssV1)
	}

	writeFile(t, p, cssV2, t0.Add(time.Minute))
	for _, target := range []string{u1, "app.css"} {
		res, body := checkExact(t, h, strategy.Rename{}, target)
		if res.StatusCode != http.StatusOK || body != cssV2 || res.Header.Get("Cache-Control") != serve.CacheRevalidate {
			t.Errorf("GET /%s after the edit: %d %q %q, want 200 %q %q", target, res.StatusCode, res.Header.Get("Cache-Control"), body, serve.CacheRevalidate, cssV2)
		}
	}

	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	u2 := fixture{r: r}.url(t, "app.css")
	for target, cache := range map[string]string{u2: serve.CacheImmutable, u1: serve.CacheRevalidate, "app.css": serve.CacheRevalidate} {
		res, body := checkExact(t, h, strategy.Rename{}, target)
		if body != cssV2 || res.Header.Get("Cache-Control") != cache {
			t.Errorf("GET /%s after the check: %q %q, want %q %q", target, res.Header.Get("Cache-Control"), body, cache, cssV2)
		}
	}
}

// The plain URL of a stylesheet whose references the build rewrote
// serves the bytes of its fingerprinted URL, under their hash, both
// without a build step and from a fingerprint.Dir output.
func TestPlainURLOfRewrittenStylesheet(t *testing.T) {
	const css = "body{background:url(../img/bg.png)}\n"
	sources := func(t *testing.T) (*core.Resolver, http.Handler) {
		f := newSourceFixture(t, fstest.MapFS{"css/app.css": file(css), "img/bg.png": file("PNG")}, fingerprint.Options{}, serve.Options{})
		return f.r, f.h
	}
	dir := func(t *testing.T) (*core.Resolver, http.Handler) {
		src, out := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(src, "css", "app.css"), css, modtime)
		writeFile(t, filepath.Join(src, "img", "bg.png"), "PNG", modtime)
		res, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := core.New(res.Manifest, core.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r, serve.NewHandler(os.DirFS(out), r, serve.Options{})
	}
	for name, setup := range map[string]func(*testing.T) (*core.Resolver, http.Handler){"Sources": sources, "Dir": dir} {
		t.Run(name, func(t *testing.T) {
			r, h := setup(t)
			u := fixture{r: r}.url(t, "css/app.css")
			_, hashed := checkExact(t, h, strategy.Rename{}, u)
			res, plain := checkExact(t, h, strategy.Rename{}, "css/app.css")
			if plain != hashed || res.Header.Get("Cache-Control") != serve.CacheRevalidate {
				t.Errorf("GET /css/app.css: %q %q, want %q %q, the bytes of /%s", res.Header.Get("Cache-Control"), plain, serve.CacheRevalidate, hashed, u)
			}
		})
	}
}
