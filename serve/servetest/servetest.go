// Package servetest checks that a server of cachebust assets other than
// serve.Handler, such as the Fiber middlewares, answers every request
// exactly as serve.Handler.ServeHTTP does, and pins the main caching rules
// on top.
package servetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
)

// Fixture content.
const (
	CSSv1 = "body{color:red}\n"
	CSSv2 = "body{color:blue}\n"
	JS    = "console.log('hi')\n"
	Big   = 100 << 10 // bytes in big.bin, above the inline limit
)

// Fixture is an output tree as build.Dir lays it out, with a kept
// generation of css/app.css and compressed siblings, served under
// "/static/".
type Fixture struct {
	FS       fstest.MapFS
	Manifest *core.Manifest
	Resolver *core.Resolver
	Handler  *serve.Handler
	// OldCSS is the URL of css/app.css in the kept generation.
	OldCSS string
}

// URL returns the URL of the asset name.
func (f *Fixture) URL(t testing.TB, name string) string {
	t.Helper()
	u, err := f.Resolver.URL(name)
	if err != nil {
		t.Fatalf("URL(%q): %v", name, err)
	}
	return u
}

// New returns the fixture.
func New(t testing.TB) *Fixture {
	t.Helper()
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: mod} }
	src := fstest.MapFS{
		"css/app.css":  file(CSSv2),
		"js/app.js":    file(JS),
		"img/a b.png":  file("\x89PNG\r\n\x1a\nfake"),
		"big.bin":      file(strings.Repeat("0123456789abcdef", Big/16)),
		"secret/x.txt": file("SECRET"),
	}
	ctx := context.Background()
	built, err := build.FS(ctx, src, build.Options{Exclude: []string{"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	m := built.Manifest()
	oldTree, err := build.FS(ctx, fstest.MapFS{"css/app.css": file(CSSv1)}, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := oldTree.Manifest()
	out := fstest.MapFS{"secret/x.txt": src["secret/x.txt"]}
	for name, a := range m.Assets {
		out[name], out[a.File] = src[name], src[name]
	}
	oldCSS := old.Assets["css/app.css"]
	out[oldCSS.File] = file(CSSv1)
	m.Generations = []core.Generation{{Assets: map[string]core.Asset{"css/app.css": oldCSS}}}
	css := m.Assets["css/app.css"].File
	out[css+".br"], out[css+".gz"] = file("BR"), file("GZ")
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out[core.ManifestName] = file(string(data))
	r, err := core.New(m, core.Options{Prefix: "/static/"})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fixture{FS: out, Manifest: m, Resolver: r, Handler: serve.NewHandler(out, r, serve.Options{Precompressed: true})}
	f.OldCSS = "/static/" + oldCSS.File
	return f
}

// Case is one request.
type Case struct {
	Name, Method, Target string
	Header               []string // name, value pairs
	// Multi marks a request for several ranges: the whole content (200)
	// is the right answer where serve.Handler sends multipart/byteranges.
	Multi bool
}

// Cases returns the requests Compare sends.
func (f *Fixture) Cases(t testing.TB) []Case {
	css, js := f.URL(t, "css/app.css"), f.URL(t, "js/app.js")
	etag := `"` + f.Manifest.Assets["css/app.css"].Hash + `"`
	lm := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	return []Case{
		{Name: "Hashed", Target: css},
		{Name: "Plain", Target: "/static/css/app.css"},
		{Name: "Escaped", Target: f.URL(t, "img/a b.png")},
		{Name: "Big", Target: f.URL(t, "big.bin")},
		{Name: "BigRange", Target: f.URL(t, "big.bin"), Header: []string{"Range", "bytes=70000-80000"}},
		{Name: "KeptGeneration", Target: f.OldCSS},
		{Name: "StaleHash", Target: "/static/css/app-0123456789ab.css"},
		{Name: "Unknown", Target: "/static/css/nope.css"},
		{Name: "Manifest", Target: "/static/" + core.ManifestName},
		{Name: "Directory", Target: "/static/css/"},
		{Name: "Mount", Target: "/static/"},
		{Name: "NotAnAsset", Target: "/static/secret/x.txt"},
		{Name: "DotDot", Target: "/static/../static/secret/x.txt"},
		{Name: "EncodedDotDot", Target: "/static/css/%2e%2e/secret/x.txt"},
		{Name: "DoubleEncoded", Target: "/static/css/%252e%252e/secret/x.txt"},
		{Name: "EncodedSlash", Target: "/static/css%2f..%2fsecret%2fx.txt"},
		{Name: "Backslash", Target: "/static/css/..%5csecret%5cx.txt"},
		{Name: "NUL", Target: "/static/css/app.css%00"},
		{Name: "Post", Method: "POST", Target: css},
		{Name: "Head", Method: "HEAD", Target: js},
		{Name: "HeadRange", Method: "HEAD", Target: js, Header: []string{"Range", "bytes=0-3"}},
		{Name: "Brotli", Target: css, Header: []string{"Accept-Encoding", "gzip, deflate, br"}},
		{Name: "Gzip", Target: css, Header: []string{"Accept-Encoding", "gzip"}},
		{Name: "BrotliRefused", Target: css, Header: []string{"Accept-Encoding", "br;q=0"}},
		{Name: "IfNoneMatch", Target: css, Header: []string{"If-None-Match", etag}},
		{Name: "IfNoneMatchOther", Target: css, Header: []string{"If-None-Match", `"x"`}},
		{Name: "IfModifiedSince", Target: js, Header: []string{"If-Modified-Since", lm}},
		{Name: "IfMatchFails", Target: css, Header: []string{"If-Match", `"x"`}},
		{Name: "Range", Target: css, Header: []string{"Range", "bytes=2-5"}},
		{Name: "RangeSuffix", Target: css, Header: []string{"Range", "bytes=-4"}},
		{Name: "RangeUnsatisfiable", Target: css, Header: []string{"Range", "bytes=500-"}},
		{Name: "RangeInvalid", Target: css, Header: []string{"Range", "bytes=5-2"}},
		{Name: "IfRangeStale", Target: css, Header: []string{"Range", "bytes=0-3", "If-Range", `"x"`}},
		{Name: "MultiRange", Target: css, Header: []string{"Range", "bytes=0-1,4-5"}, Multi: true},
	}
}

// compared are the headers that must match.
var compared = []string{
	"Cache-Control", "Etag", "Vary", "Content-Encoding", "Content-Range",
	"Accept-Ranges", "Last-Modified", "Allow", "Content-Length",
}

// Compare sends every case to do and to serve.Handler (mounted with
// http.StripPrefix), and fails for any difference in status, body or the
// compared headers. It also checks the main rules directly.
func Compare(t *testing.T, f *Fixture, do func(*http.Request) (*http.Response, error)) {
	ref := http.StripPrefix("/static", f.Handler)
	for _, c := range f.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			method := c.Method
			if method == "" {
				method = http.MethodGet
			}
			newReq := func() *http.Request {
				req := httptest.NewRequest(method, c.Target, nil)
				for i := 0; i+1 < len(c.Header); i += 2 {
					req.Header.Set(c.Header[i], c.Header[i+1])
				}
				return req
			}
			w := httptest.NewRecorder()
			ref.ServeHTTP(w, newReq())
			want := w.Result()
			wantBody, _ := io.ReadAll(want.Body)

			got, err := do(newReq())
			if err != nil {
				t.Fatal(err)
			}
			defer got.Body.Close()
			gotBody, err := io.ReadAll(got.Body)
			if err != nil {
				t.Fatal(err)
			}
			if c.Multi {
				if got.StatusCode != http.StatusOK || string(gotBody) != CSSv2 {
					t.Errorf("%s: %d %q, want 200 with the whole content", c.Target, got.StatusCode, gotBody)
				}
				return
			}
			if got.StatusCode != want.StatusCode {
				t.Fatalf("%s %s: status %d, serve.Handler %d", method, c.Target, got.StatusCode, want.StatusCode)
			}
			for _, k := range compared {
				g, w := got.Header.Get(k), want.Header.Get(k)
				if k == "Content-Length" && (w == "" || method == http.MethodHead) {
					// net/http leaves it out for encoded or error bodies;
					// fasthttp always sends it. For HEAD the test client
					// may drop it.
					continue
				}
				if g != w {
					t.Errorf("%s %s: %s = %q, serve.Handler %q", method, c.Target, k, g, w)
				}
			}
			if s := want.StatusCode; s != http.StatusPreconditionFailed && s != http.StatusNotModified {
				if g, w := got.Header.Get("Content-Type"), want.Header.Get("Content-Type"); g != w {
					t.Errorf("%s %s: Content-Type = %q, serve.Handler %q", method, c.Target, g, w)
				}
			}
			if want.StatusCode < 300 && string(gotBody) != string(wantBody) {
				t.Errorf("%s %s: body %.40q (%d bytes), serve.Handler %.40q (%d bytes)", method, c.Target, gotBody, len(gotBody), wantBody, len(wantBody))
			}
			if want.StatusCode >= 300 && (want.StatusCode == http.StatusOK) != (got.StatusCode == http.StatusOK) {
				t.Errorf("%s: served", c.Target)
			}
			if strings.Contains(string(gotBody), "SECRET") {
				t.Errorf("%s: served the secret", c.Target)
			}
		})
	}
	// The main rules, directly.
	rules := []struct{ target, cache string }{
		{f.URL(t, "css/app.css"), serve.CacheImmutable},
		{f.OldCSS, serve.CacheImmutable},
		{"/static/css/app.css", serve.CacheRevalidate},
		{"/static/css/app-0123456789ab.css", serve.CacheNotFound},
	}
	for _, r := range rules {
		res, err := do(httptest.NewRequest(http.MethodGet, r.target, nil))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Cache-Control"); got != r.cache {
			t.Errorf("GET %s: Cache-Control = %q, want %q", r.target, got, r.cache)
		}
	}
}
