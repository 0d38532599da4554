package serve_test

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

// Fixture content. The hashes in URLs come from these bytes.
const (
	cssV1   = "body{color:red}\n"
	cssV2   = "body{color:blue}\n"
	jsV1    = "console.log('hi')\n"
	pngData = "\x89PNG\r\n\x1a\n not really a png"
)

var modtime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: modtime} }

// sources is an asset tree as an application embeds it. It holds a
// manifest-named file and a dotfile, which must never be served.
func sources() fstest.MapFS {
	return fstest.MapFS{
		"css/app.css":      file(cssV2),
		"js/app.js":        file(jsV1),
		"img/logo.png":     file(pngData),
		"LICENSE":          file("MIT\n"),
		core.ManifestName:  file(`{"secret":"manifest"}`),
		".env":             file("SECRET=1\n"),
		"css/app.css.br":   file("BR-BYTES"),
		"css/app.css.gz":   file("GZ-BYTES"),
		"js/app.js.gz":     file("GZ-JS"),
		"img/sub/deep.svg": file("<svg/>"),
	}
}

// fixture is a manifest with the handlers serving it.
type fixture struct {
	r *core.Resolver
	m *core.Manifest
	h http.Handler
}

// url returns the resolver's URL for name, relative to the mount point.
func (f fixture) url(t testing.TB, name string) string {
	t.Helper()
	u, err := f.r.URL(name)
	if err != nil {
		t.Fatalf("URL(%q): %v", name, err)
	}
	return strings.TrimPrefix(u, f.r.Prefix())
}

// newSourceFixture serves the in-memory build of fsys with bopts (no build
// step).
func newSourceFixture(t testing.TB, fsys fs.FS, bopts fingerprint.Options, opts serve.Options) fixture {
	t.Helper()
	built, err := fingerprint.FS(context.Background(), fsys, bopts)
	if err != nil {
		t.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{r: r, m: m, h: serve.NewSourceHandler(built, r, opts)}
}

// embedded holds js/app.js (jsV1) and a gzip sibling of it, "GZ-JS".
//
//go:embed testdata/embedded
var embedded embed.FS

// newOutputFixture serves a tree laid out as fingerprint.Dir writes it: originals,
// renamed copies, the manifest, compressed siblings of the renamed copies,
// and the renamed copy of css/app.css from an earlier build (cssV1), kept
// as a generation.
func newOutputFixture(t testing.TB, form strategy.Form) fixture {
	t.Helper()
	src := sources()
	bopts := fingerprint.Options{Form: form, Exclude: []string{"*.br", "*.gz"}}
	built, err := fingerprint.FS(context.Background(), src, bopts)
	if err != nil {
		t.Fatal(err)
	}
	m := built.Manifest()
	oldTree, err := fingerprint.FS(context.Background(), fstest.MapFS{"css/app.css": file(cssV1)}, bopts)
	if err != nil {
		t.Fatal(err)
	}
	old := oldTree.Manifest()
	out := fstest.MapFS{}
	for name, a := range m.Assets {
		out[name] = src[name]
		out[a.File] = src[name]
	}
	oldCSS := old.Assets["css/app.css"]
	if oldCSS.File != "css/app.css" {
		out[oldCSS.File] = file(cssV1)
	}
	m.Generations = []core.Generation{{Assets: map[string]core.Asset{"css/app.css": oldCSS}}}
	css := m.Assets["css/app.css"].File
	out[css+".br"] = file("BR-BYTES")
	out[css+".gz"] = file("GZ-BYTES")
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out[core.ManifestName] = &fstest.MapFile{Data: data}
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{r: r, m: m, h: serve.NewHandler(out, r, serve.Options{Precompressed: true})}
}

// oldURL returns the URL css/app.css had in the earlier build, relative.
func oldURL(t testing.TB, form strategy.Form) string {
	t.Helper()
	oldTree, err := fingerprint.FS(context.Background(), fstest.MapFS{"css/app.css": file(cssV1)}, fingerprint.Options{Form: form})
	if err != nil {
		t.Fatal(err)
	}
	old := oldTree.Manifest()
	r, err := core.New(old, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{r: r}.url(t, "css/app.css")
}

func fsSub(t testing.TB, fsys fs.FS, dir string) fs.FS {
	t.Helper()
	sub, err := fingerprint.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// get sends a request for target, relative to the mount point, to h.
func get(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/"+target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestHandlerRules(t *testing.T) {
	out := newOutputFixture(t, nil)
	// The sources, and embedded files, which cannot change.
	src := newSourceFixture(t, sources(), fingerprint.Options{Exclude: []string{"*.br", "*.gz"}}, serve.Options{Precompressed: true})
	emb := newSourceFixture(t, fsSub(t, embedded, "testdata/embedded"), fingerprint.Options{Exclude: []string{"*.gz"}}, serve.Options{Precompressed: true})
	query := newOutputFixture(t, strategy.Query{Param: "v"})
	hashOf := func(f fixture, name string) string { return `"` + f.m.Assets[name].Hash + `"` }

	type want struct {
		status   int
		cache    string
		etag     string // "" means absent
		ctype    string
		encoding string
		body     string
	}
	tests := []struct {
		name    string
		f       fixture
		method  string
		target  string
		header  []string
		want    want
		comment string
	}{
		{name: "HashedImmutable", f: out, target: out.url(t, "css/app.css"),
			want: want{200, serve.CacheImmutable, hashOf(out, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "PlainRevalidates", f: out, target: "css/app.css",
			want: want{200, serve.CacheRevalidate, hashOf(out, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "PlainWithUnrelatedQuery", f: out, target: "css/app.css?foo=bar",
			want: want{200, serve.CacheRevalidate, hashOf(out, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "KeptGenerationServedAsItWas", f: out, target: oldURL(t, nil),
			want: want{200, serve.CacheImmutable, `"` + out.m.Generations[0].Assets["css/app.css"].Hash + `"`, "text/css; charset=utf-8", "", cssV1}},
		{name: "StaleHash404", f: out, target: "css/app-0123456789ab.css",
			want: want{404, serve.CacheNotFound, "", "text/plain; charset=utf-8", "", "Not Found\n"}},
		{name: "UnknownFile404", f: out, target: "css/nope.css", want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "ManifestNotServed", f: out, target: core.ManifestName, want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "DirectoryNotListed", f: out, target: "css/", want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "DirectoryNoSlash", f: out, target: "css", want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "Root", f: out, target: "", want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "Post405", f: out, method: "POST", target: "css/app.css", want: want{status: 405, cache: serve.CacheNotFound}},
		{name: "Head", f: out, method: "HEAD", target: out.url(t, "js/app.js"),
			want: want{200, serve.CacheImmutable, hashOf(out, "js/app.js"), "text/javascript; charset=utf-8", "", ""}},
		{name: "Brotli", f: out, target: out.url(t, "css/app.css"), header: []string{"Accept-Encoding", "gzip, br"},
			want: want{200, serve.CacheImmutable, `"` + out.m.Assets["css/app.css"].Hash + `-br"`, "text/css; charset=utf-8", "br", "BR-BYTES"}},
		{name: "GzipWhenBrRefused", f: out, target: out.url(t, "css/app.css"), header: []string{"Accept-Encoding", "br;q=0, gzip"},
			want: want{200, serve.CacheImmutable, `"` + out.m.Assets["css/app.css"].Hash + `-gz"`, "text/css; charset=utf-8", "gzip", "GZ-BYTES"}},
		{name: "IdentityWhenNothingAccepted", f: out, target: out.url(t, "css/app.css"), header: []string{"Accept-Encoding", "identity"},
			want: want{200, serve.CacheImmutable, hashOf(out, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "NoSiblingNoEncoding", f: out, target: out.url(t, "js/app.js"), header: []string{"Accept-Encoding", "br, gzip"},
			want: want{200, serve.CacheImmutable, hashOf(out, "js/app.js"), "text/javascript; charset=utf-8", "", jsV1}},
		{name: "UnknownExtension", f: out, target: out.url(t, "LICENSE"),
			want: want{200, serve.CacheImmutable, hashOf(out, "LICENSE"), "application/octet-stream", "", "MIT\n"}},

		{name: "SourcesHashed", f: src, target: src.url(t, "img/logo.png"),
			want: want{200, serve.CacheImmutable, hashOf(src, "img/logo.png"), "image/png", "", pngData}},
		{name: "SourcesPlain", f: src, target: "img/sub/deep.svg",
			want: want{200, serve.CacheRevalidate, hashOf(src, "img/sub/deep.svg"), "image/svg+xml", "", "<svg/>"}},
		{name: "SourcesSibling", f: emb, target: emb.url(t, "js/app.js"), header: []string{"Accept-Encoding", "gzip"},
			want: want{200, serve.CacheImmutable, `"` + emb.m.Assets["js/app.js"].Hash + `-gz"`, "text/javascript; charset=utf-8", "gzip", "GZ-JS"}},
		// A source that can change holds nothing that proves a sibling
		// holds the asset's bytes: the checked bytes are served.
		{name: "SourcesSiblingUnchecked", f: src, target: src.url(t, "js/app.js"), header: []string{"Accept-Encoding", "gzip"},
			want: want{200, serve.CacheImmutable, hashOf(src, "js/app.js"), "text/javascript; charset=utf-8", "", jsV1}},
		{name: "SourcesStale404", f: src, target: oldURL(t, nil), want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "SourcesManifestNotServed", f: src, target: core.ManifestName, want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "SourcesDotfileNotServed", f: src, target: ".env", want: want{status: 404, cache: serve.CacheNotFound}},
		{name: "SourcesSiblingNotAnAsset", f: src, target: "css/app.css.br", want: want{status: 404, cache: serve.CacheNotFound}},

		{name: "QueryConfirmed", f: query, target: query.url(t, "css/app.css"),
			want: want{200, serve.CacheImmutable, hashOf(query, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "QueryPlain", f: query, target: "css/app.css",
			want: want{200, serve.CacheRevalidate, hashOf(query, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "QueryKeptGenerationCurrentBytes", f: query, target: oldURL(t, strategy.Query{Param: "v"}),
			want: want{200, serve.CacheRevalidate, hashOf(query, "css/app.css"), "text/css; charset=utf-8", "", cssV2}},
		{name: "QueryStale404", f: query, target: "css/app.css?v=0123456789ab", want: want{status: 404, cache: serve.CacheNotFound}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			w := get(tt.f.h, method, tt.target, tt.header...)
			res := w.Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.want.status {
				t.Fatalf("%s /%s: status %d, want %d (body %q)", method, tt.target, res.StatusCode, tt.want.status, body)
			}
			check := func(key, want string) {
				t.Helper()
				if got := res.Header.Get(key); got != want {
					t.Errorf("%s /%s: %s = %q, want %q", method, tt.target, key, got, want)
				}
			}
			check("Cache-Control", tt.want.cache)
			if tt.want.status != http.StatusOK {
				if tt.want.status == http.StatusMethodNotAllowed {
					check("Allow", "GET, HEAD")
				}
				if res.Header.Get("Etag") != "" {
					t.Errorf("error response has ETag %q", res.Header.Get("Etag"))
				}
				return
			}
			check("Etag", tt.want.etag)
			check("Content-Type", tt.want.ctype)
			check("Content-Encoding", tt.want.encoding)
			check("Vary", "Accept-Encoding")
			check("Accept-Ranges", "bytes")
			if string(body) != tt.want.body {
				t.Errorf("%s /%s: body %q, want %q", method, tt.target, body, tt.want.body)
			}
		})
	}
}

func TestHandlerConditionalAndRange(t *testing.T) {
	f := newOutputFixture(t, nil)
	u := f.url(t, "css/app.css")
	etag := `"` + f.m.Assets["css/app.css"].Hash + `"`
	lastMod := modtime.Format(http.TimeFormat)
	tests := []struct {
		name       string
		method     string
		header     []string
		status     int
		body       string
		contentRng string
	}{
		{name: "IfNoneMatchHit", header: []string{"If-None-Match", etag}, status: 304},
		{name: "IfNoneMatchWeakHit", header: []string{"If-None-Match", "W/" + etag}, status: 304},
		{name: "IfNoneMatchList", header: []string{"If-None-Match", `"x", ` + etag}, status: 304},
		{name: "IfNoneMatchStar", header: []string{"If-None-Match", "*"}, status: 304},
		{name: "IfNoneMatchMiss", header: []string{"If-None-Match", `"other"`}, status: 200, body: cssV2},
		{name: "HeadIfNoneMatch", method: "HEAD", header: []string{"If-None-Match", etag}, status: 304},
		{name: "IfModifiedSinceHit", header: []string{"If-Modified-Since", lastMod}, status: 304},
		{name: "IfModifiedSinceOld", header: []string{"If-Modified-Since", modtime.Add(-time.Hour).Format(http.TimeFormat)}, status: 200, body: cssV2},
		{name: "IfNoneMatchBeatsIfModifiedSince", header: []string{"If-None-Match", `"other"`, "If-Modified-Since", lastMod}, status: 200, body: cssV2},
		{name: "IfMatchHit", header: []string{"If-Match", etag}, status: 200, body: cssV2},
		{name: "IfMatchMiss", header: []string{"If-Match", `"other"`}, status: 412},
		{name: "IfMatchWeakFails", header: []string{"If-Match", "W/" + etag}, status: 412},
		{name: "IfUnmodifiedSinceOld", header: []string{"If-Unmodified-Since", modtime.Add(-time.Hour).Format(http.TimeFormat)}, status: 412},
		{name: "IfUnmodifiedSinceNow", header: []string{"If-Unmodified-Since", lastMod}, status: 200, body: cssV2},
		{name: "Range", header: []string{"Range", "bytes=0-3"}, status: 206, body: cssV2[:4], contentRng: "bytes 0-3/17"},
		{name: "RangeSuffix", header: []string{"Range", "bytes=-3"}, status: 206, body: cssV2[len(cssV2)-3:], contentRng: "bytes 14-16/17"},
		{name: "RangeOpen", header: []string{"Range", "bytes=10-"}, status: 206, body: cssV2[10:], contentRng: "bytes 10-16/17"},
		{name: "RangeUnsatisfiable", header: []string{"Range", "bytes=100-200"}, status: 416, contentRng: "bytes */17"},
		{name: "RangeOtherUnit", header: []string{"Range", "pages=1"}, status: 416},
		{name: "IfRangeMatch", header: []string{"Range", "bytes=0-3", "If-Range", etag}, status: 206, body: cssV2[:4], contentRng: "bytes 0-3/17"},
		{name: "IfRangeMiss", header: []string{"Range", "bytes=0-3", "If-Range", `"other"`}, status: 200, body: cssV2},
		{name: "IfRangeDate", header: []string{"Range", "bytes=0-3", "If-Range", lastMod}, status: 206, body: cssV2[:4], contentRng: "bytes 0-3/17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			res := get(f.h, method, u, tt.header...).Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status != 416 && string(body) != tt.body {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			if got := res.Header.Get("Content-Range"); got != tt.contentRng {
				t.Errorf("Content-Range = %q, want %q", got, tt.contentRng)
			}
			if tt.status == 304 {
				if got := res.Header.Get("Etag"); got != etag {
					t.Errorf("304 ETag = %q, want %q", got, etag)
				}
				if got := res.Header.Get("Cache-Control"); got != serve.CacheImmutable {
					t.Errorf("304 Cache-Control = %q, want %q", got, serve.CacheImmutable)
				}
			}
		})
	}
}

func TestHandlerTraversal(t *testing.T) {
	// The tree to serve sits beside a secret the handler must never reach.
	outer := fstest.MapFS{
		"secret.txt":            file("SECRET"),
		"public/css/app.css":    file(cssV2),
		"public/cachebust.json": file("{}"),
	}
	pub := fsSub(t, outer, "public")
	built, err := fingerprint.FS(context.Background(), pub, fingerprint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := serve.NewSourceHandler(built, r, serve.Options{})
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// ServeMux redirects unclean paths; a redirect serves nothing, so the
	// client must not follow it.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, target := range []string{
		"/static/../secret.txt",
		"/static/%2e%2e/secret.txt",
		"/static/%2E%2E/secret.txt",
		"/static/%252e%252e/secret.txt",
		"/static/..%2fsecret.txt",
		"/static/..%5csecret.txt",
		"/static/..\\secret.txt",
		"/static/css/..%2f..%2fsecret.txt",
		"/static/css%2f..%2f..%2fsecret.txt",
		"/static/%00../secret.txt",
		"/static/css/app.css%00",
		"/static//css/app.css",
		"/static/./css/app.css",
		"/static/css/",
		"/static/",
		"/static/cachebust.json",
		"/static/%63achebust.json",
	} {
		res, err := client.Get(srv.URL + target)
		if err != nil {
			// The client may refuse to send some spellings at all.
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK || strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "{}") {
			t.Errorf("GET %s: status %d, body %q; want it refused", target, res.StatusCode, body)
		}
	}
	// The mounted handler serves the real URL.
	u, _ := r.URL("css/app.css")
	res, err := http.Get(srv.URL + u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != serve.CacheImmutable {
		t.Errorf("GET %s: %d %q, want 200 %q", u, res.StatusCode, res.Header.Get("Cache-Control"), serve.CacheImmutable)
	}
}

func TestHandlerFollowsSwap(t *testing.T) {
	fsys := fstest.MapFS{"css/app.css": file(cssV1)}
	t1, _ := fingerprint.FS(context.Background(), fsys, fingerprint.Options{})
	r, err := core.New(t1.Manifest(), core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := &swapSource{}
	src.t.Store(t1)
	h := serve.NewSourceHandler(src, r, serve.Options{})
	u1 := fixture{r: r}.url(t, "css/app.css")
	if res := get(h, "GET", u1).Result(); res.StatusCode != 200 {
		t.Fatalf("before swap: GET %s: %d", u1, res.StatusCode)
	}
	fsys["css/app.css"] = file(cssV2)
	t2, _ := fingerprint.FS(context.Background(), fsys, fingerprint.Options{})
	src.t.Store(t2)
	if err := r.Swap(t2.Manifest()); err != nil {
		t.Fatal(err)
	}
	u2 := fixture{r: r}.url(t, "css/app.css")
	if res := get(h, "GET", u2).Result(); res.StatusCode != 200 {
		t.Errorf("after swap: GET %s: %d, want 200", u2, res.StatusCode)
	}
	if res := get(h, "GET", u1).Result(); res.StatusCode != 404 {
		t.Errorf("after swap: GET old %s: %d, want 404", u1, res.StatusCode)
	}
}

// swapSource is a serve.Source whose tree is replaced, as a Dev's is.
type swapSource struct {
	t atomic.Pointer[fingerprint.Tree]
}

func (s *swapSource) Snapshot() (*core.Manifest, fs.FS) { return s.t.Load().Snapshot() }

// TestHandlerOwnHeaders edits every header value of a response after the
// handler, in place, as a middleware may (http.Header is the caller's), and
// checks that later responses are not changed: every response gets header
// values of its own. Under -race, concurrent edits must not race either.
func TestHandlerOwnHeaders(t *testing.T) {
	out := newOutputFixture(t, nil)
	targets := []struct{ path, ae string }{
		{out.url(t, "css/app.css"), "br"},
		{out.url(t, "css/app.css"), "gzip"},
		{out.url(t, "css/app.css"), ""},
		{"css/app.css", ""},
		{"missing.css", ""},
	}
	edit := func(hdr http.Header) {
		for _, v := range hdr {
			for i := range v {
				v[i] = "edited"
			}
		}
	}
	want := make([]http.Header, len(targets))
	for i, tt := range targets {
		w := get(out.h, "GET", tt.path, "Accept-Encoding", tt.ae)
		want[i] = w.Header().Clone()
		edit(w.Header())
	}
	for i, tt := range targets {
		w := get(out.h, "GET", tt.path, "Accept-Encoding", tt.ae)
		for k, v := range want[i] {
			if got := w.Header()[k]; !slices.Equal(got, v) {
				t.Errorf("GET %s (Accept-Encoding %q) after an edit of earlier headers: %s = %q, want %q", tt.path, tt.ae, k, got, v)
			}
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, tt := range targets {
				edit(get(out.h, "GET", tt.path, "Accept-Encoding", tt.ae).Header())
			}
		})
	}
	wg.Wait()
}

// TestContentTypeFixed checks the Content-Type of web asset types that
// hosts' MIME tables give wrongly or not at all (a distroless container has
// none; Debian's give .ts and .otf other types): the handler and publish
// use one fixed table, the same on every machine.
func TestContentTypeFixed(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"fonts/a.woff2", "font/woff2"},
		{"fonts/a.woff", "font/woff"},
		{"fonts/a.ttf", "font/ttf"},
		{"fonts/a.otf", "font/otf"},
		{"fonts/a.eot", "application/vnd.ms-fontobject"},
		{"video/seg0.ts", "video/mp2t"},
		{"js/app.js.map", "application/json"},
		{"site.webmanifest", "application/manifest+json"},
		{"favicon.ico", "image/vnd.microsoft.icon"},
		{"js/app.JS", "text/javascript; charset=utf-8"},
		{"data.unknownext", "application/octet-stream"},
	} {
		if got := serve.ContentType(tt.name); got != tt.want {
			t.Errorf("ContentType(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	fsys := fstest.MapFS{"fonts/a.woff2": file("wOF2"), "fonts/a.otf": file("OTTO")}
	f := newSourceFixture(t, fsys, fingerprint.Options{}, serve.Options{})
	for name, want := range map[string]string{"fonts/a.woff2": "font/woff2", "fonts/a.otf": "font/otf"} {
		if got := get(f.h, "GET", f.url(t, name)).Header().Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", name, got, want)
		}
	}
}
