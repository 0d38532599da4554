// Package servetest checks that a server of cachebust assets answers every
// request exactly as [serve.Handler] does.
//
// serve.Handler decides how to answer (serve.Handler.Decide,
// serve.Decision.Open, serve.Preconditions.Evaluate) and net/http carries
// the decision out. A server for another framework, such as the Fiber
// middlewares in package
// github.com/cachebust/cachebust/adapters/fiberstatic, carries out the same
// decisions on its own request and response types, and proves that it
// matches by running this suite in its tests, the way a gocloud driver
// runs drivertest:
//
//	func TestServetest(t *testing.T) {
//		servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
//			app := newApp(h) // the framework's app, serving h under "/static/"
//			return func(req *http.Request) (*http.Response, error) { return app.Test(req) }
//		})
//	}
//
// Run builds every fixture afresh, makes the server under test from the
// fixture's serve.Handler, sends it every case and compares the answer with
// serve.Handler's own: status, body and the headers caches act on. It also
// checks the rules directly, whatever serve.Handler says: an immutable
// answer carries the bytes its URL's hash names, an ETag is the SHA-256 of
// the body it comes with, and nothing outside the manifest is served. A
// server that passes needs no tests of its own for these rules; its own
// tests cover only what is its own, such as mounting and passing other
// requests on.
//
// # Fixtures and cases
//
// Every case is a subtest named fixture/case, such as
// "TestServetest/Sources/Edited", so a server that cannot meet one
// documented case can leave it out with go test -skip rather than weaken
// the suite; a failure prints the rule the case checks. The fixtures are
// an output directory as fingerprint.Dir lays it out (renamed copies, a kept
// generation, precompressed siblings; [New]) and an in-memory build over
// sources, one of which changed after the build ([NewSources]).
//
// The suite itself is tested against serve.Handler behind a real net/http
// server, and against servers broken on purpose, which it must fail.
package servetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

// Fixture content. Hashes in URLs and ETags come from these bytes.
const (
	cssV1   = "body{color:red}\n"
	cssV2   = "body{color:blue}\n"
	jsV1    = "console.log('hi')\n"
	jsV2    = "console.log('edited')\n"
	bigSize = 100 << 10 // bytes in big.bin, above the inline limit
)

// A Server answers a request for an asset under "/static/", as the server
// under test does. It may be called from one goroutine at a time.
type Server func(*http.Request) (*http.Response, error)

// Run runs every case of every fixture against the server newServer makes
// from the fixture's serve.Handler, each fixture and case in a subtest.
// The handler serves paths relative to "/static/", as if mounted with
// http.StripPrefix("/static", h); the server must answer the paths
// under "/static/" as h does.
func Run(t *testing.T, newServer func(t *testing.T, h *serve.Handler) Server) {
	for _, newFixture := range []func(testing.TB) *Fixture{New, NewSources} {
		f := newFixture(t)
		t.Run(f.Name, func(t *testing.T) {
			Compare(t, f, newServer(t, f.Handler))
		})
	}
}

// Fixture is a handler with the requests the suite sends it.
type Fixture struct {
	// Name names the fixture's subtest.
	Name string
	// Handler serves the fixture, paths relative to "/static/".
	Handler  *serve.Handler
	Resolver *core.Resolver
	// Cases are the requests Compare sends.
	Cases []Case
}

// Case is one request, and the rule it checks.
type Case struct {
	Name, Method, Target string
	Header               []string // name, value pairs
	// Rule says what the case checks; a failure prints it.
	Rule string
	// Status and Cache, if set, are the status and Cache-Control the
	// answer must have.
	Status int
	Cache  string
	// Multi marks a request for several ranges: the whole content (200)
	// is a right answer too, where serve.Handler sends
	// multipart/byteranges.
	Multi bool
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

// modtime is the modification time of every fixture file.
var modtime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: modtime} }

// sum returns the SHA-256 of s in hex, worked out apart from cachebust.
func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// New returns the fixture named "Output": a tree as fingerprint.Dir lays it out,
// with a kept generation of css/app.css and compressed siblings, served by
// serve.NewHandler with Options.Precompressed.
func New(t testing.TB) *Fixture {
	t.Helper()
	src := fstest.MapFS{
		"css/app.css":  file(cssV2),
		"js/app.js":    file(jsV1),
		"img/a b.png":  file("\x89PNG\r\n\x1a\nfake"),
		"big.bin":      file(strings.Repeat("0123456789abcdef", bigSize/16)),
		"secret/x.txt": file("SECRET"),
	}
	m := buildFS(t, src, fingerprint.Options{Exclude: []string{"secret"}}).Manifest()
	oldCSS := buildFS(t, fstest.MapFS{"css/app.css": file(cssV1)}, fingerprint.Options{}).Manifest().Assets["css/app.css"]
	out := fstest.MapFS{"secret/x.txt": src["secret/x.txt"]}
	for name, a := range m.Assets {
		out[name], out[a.File] = src[name], src[name]
	}
	out[oldCSS.File] = file(cssV1)
	m.Generations = []core.Generation{{Assets: map[string]core.Asset{"css/app.css": oldCSS}}}
	css := m.Assets["css/app.css"].File
	out[css+".br"], out[css+".gz"] = file("BR"), file("GZ")
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out[core.ManifestName] = file(string(data))
	r := resolver(t, m)
	f := &Fixture{Name: "Output", Handler: serve.NewHandler(out, r, serve.Options{Precompressed: true}), Resolver: r}
	f.Cases = outputCases(t, f, "/static/"+oldCSS.File)
	return f
}

func outputCases(t testing.TB, f *Fixture, oldCSS string) []Case {
	css, js := f.URL(t, "css/app.css"), f.URL(t, "js/app.js")
	etag := `"` + sum(cssV2) + `"`
	lm := modtime.Format(http.TimeFormat)
	return []Case{
		{Name: "Hashed", Target: css, Cache: serve.CacheImmutable,
			Rule: "A URL whose hash the manifest confirms is immutable, with the asset's bytes."},
		{Name: "Plain", Target: "/static/css/app.css", Cache: serve.CacheRevalidate,
			Rule: "A plain URL is revalidated, under the ETag of the bytes it serves."},
		{Name: "Escaped", Target: f.URL(t, "img/a b.png"), Cache: serve.CacheImmutable,
			Rule: "A percent-encoded URL is decoded once and served."},
		{Name: "Big", Target: f.URL(t, "big.bin"), Cache: serve.CacheImmutable,
			Rule: "A body larger than a server's buffer is served whole."},
		{Name: "BigRange", Target: f.URL(t, "big.bin"), Header: []string{"Range", "bytes=70000-80000"},
			Rule: "A range deep inside a large file is served from its offset."},
		{Name: "KeptGeneration", Target: oldCSS, Cache: serve.CacheImmutable,
			Rule: "The renamed copy of a kept generation is immutable, with its old bytes."},
		{Name: "StaleHash", Target: "/static/css/app-0123456789ab.css", Cache: serve.CacheNotFound,
			Rule: "A hash the manifest does not know is a 404 no cache keeps."},
		{Name: "Unknown", Target: "/static/css/nope.css", Status: http.StatusNotFound, Rule: "A path the manifest does not name is a 404."},
		{Name: "Manifest", Target: "/static/" + core.ManifestName, Status: http.StatusNotFound, Rule: "The manifest is never served."},
		{Name: "Directory", Target: "/static/css/", Status: http.StatusNotFound, Rule: "A directory is never listed."},
		{Name: "Mount", Target: "/static/", Status: http.StatusNotFound, Rule: "The mount point itself is a 404."},
		{Name: "NotAnAsset", Target: "/static/secret/x.txt", Status: http.StatusNotFound, Rule: "A file the manifest does not name is never served."},
		{Name: "DotDot", Target: "/static/../static/secret/x.txt", Status: http.StatusNotFound, Rule: "No spelling of .. reaches a file the manifest does not name."},
		{Name: "EncodedDotDot", Target: "/static/css/%2e%2e/secret/x.txt", Status: http.StatusNotFound, Rule: "No spelling of .. reaches a file the manifest does not name."},
		{Name: "DoubleEncoded", Target: "/static/css/%252e%252e/secret/x.txt", Status: http.StatusNotFound, Rule: "A path is decoded once only."},
		{Name: "EncodedSlash", Target: "/static/css%2f..%2fsecret%2fx.txt", Status: http.StatusNotFound, Rule: "An encoded slash does not separate elements."},
		{Name: "Backslash", Target: "/static/css/..%5csecret%5cx.txt", Status: http.StatusNotFound, Rule: "A backslash does not separate elements."},
		{Name: "NUL", Target: "/static/css/app.css%00", Status: http.StatusNotFound, Rule: "A NUL byte ends no path."},
		{Name: "Post", Method: "POST", Target: css, Status: http.StatusMethodNotAllowed, Rule: "Methods other than GET and HEAD get 405 with Allow."},
		{Name: "Head", Method: "HEAD", Target: js, Rule: "HEAD gets the headers of GET and no body."},
		{Name: "HeadRange", Method: "HEAD", Target: js, Header: []string{"Range", "bytes=0-3"}, Rule: "HEAD of a range gets the headers of the range."},
		{Name: "Brotli", Target: css, Header: []string{"Accept-Encoding", "gzip, deflate, br"}, Rule: "A brotli sibling is preferred when accepted."},
		{Name: "Gzip", Target: css, Header: []string{"Accept-Encoding", "gzip"}, Rule: "A gzip sibling is served when accepted."},
		{Name: "BrotliRefused", Target: css, Header: []string{"Accept-Encoding", "br;q=0"}, Rule: "q=0 refuses an encoding."},
		{Name: "IfNoneMatch", Target: css, Header: []string{"If-None-Match", etag}, Status: http.StatusNotModified, Rule: "A matching If-None-Match gets 304."},
		{Name: "IfNoneMatchOther", Target: css, Header: []string{"If-None-Match", `"x"`}, Rule: "Another ETag gets the body."},
		{Name: "IfModifiedSince", Target: js, Header: []string{"If-Modified-Since", lm}, Rule: "If-Modified-Since at the modification time gets 304."},
		{Name: "IfMatchFails", Target: css, Header: []string{"If-Match", `"x"`}, Status: http.StatusPreconditionFailed, Rule: "A failed If-Match gets 412."},
		{Name: "Range", Target: css, Header: []string{"Range", "bytes=2-5"}, Status: http.StatusPartialContent, Rule: "A range gets 206 with Content-Range."},
		{Name: "RangeSuffix", Target: css, Header: []string{"Range", "bytes=-4"}, Rule: "A suffix range gets the last bytes."},
		{Name: "RangeUnsatisfiable", Target: css, Header: []string{"Range", "bytes=500-"}, Rule: "A range beyond the content gets 416 with bytes */size."},
		{Name: "RangeInvalid", Target: css, Header: []string{"Range", "bytes=5-2"}, Rule: "An invalid range gets 416."},
		{Name: "IfRangeStale", Target: css, Header: []string{"Range", "bytes=0-3", "If-Range", `"x"`}, Rule: "A stale If-Range gets the whole content."},
		{Name: "MultiRange", Target: css, Header: []string{"Range", "bytes=0-1,4-5"}, Multi: true, Rule: "Several ranges get multipart/byteranges, or the whole content."},
	}
}

// NewSources returns the fixture named "Sources": an in-memory build
// (fingerprint.FS) served by serve.NewSourceHandler, with a stylesheet whose
// references the build rewrote, and js/edit.js, changed from jsV1 to jsV2
// after the build, as in dev mode between an edit and the next check.
func NewSources(t testing.TB) *Fixture {
	t.Helper()
	src := fstest.MapFS{
		"css/app.css":  file("body{background:url(../img/bg.png)}\n"),
		"img/bg.png":   file("\x89PNG\r\n\x1a\nbg"),
		"js/app.js":    file(jsV1),
		"js/edit.js":   file(jsV1),
		"secret/x.txt": file("SECRET"),
	}
	tree := buildFS(t, src, fingerprint.Options{Exclude: []string{"secret"}})
	src["js/edit.js"] = file(jsV2)
	r := resolver(t, tree.Manifest())
	f := &Fixture{Name: "Sources", Handler: serve.NewSourceHandler(tree, r, serve.Options{}), Resolver: r}
	css, edit := f.URL(t, "css/app.css"), f.URL(t, "js/edit.js")
	oldTag, newTag := `"`+sum(jsV1)+`"`, `"`+sum(jsV2)+`"`
	f.Cases = []Case{
		{Name: "Rewritten", Target: css, Cache: serve.CacheImmutable,
			Rule: "A stylesheet whose references were rewritten is served with the rewritten bytes its hash names."},
		{Name: "RewrittenPlain", Target: "/static/css/app.css", Cache: serve.CacheRevalidate,
			Rule: "The plain URL of a rewritten stylesheet serves the rewritten bytes, under their ETag."},
		{Name: "Hashed", Target: f.URL(t, "js/app.js"), Cache: serve.CacheImmutable,
			Rule: "An unchanged source file is immutable under its fingerprinted URL."},
		{Name: "Edited", Target: edit, Cache: serve.CacheRevalidate,
			Rule: "A file changed since the build is never immutable under the URL of its old bytes: its new bytes are revalidated."},
		{Name: "EditedPlain", Target: "/static/js/edit.js", Cache: serve.CacheRevalidate,
			Rule: "The plain URL of a changed file has the ETag of its new bytes."},
		{Name: "EditedHead", Method: "HEAD", Target: edit, Cache: serve.CacheRevalidate,
			Rule: "HEAD of a changed file gets the headers of its new bytes."},
		{Name: "EditedIfNoneMatchOld", Target: edit, Header: []string{"If-None-Match", oldTag}, Status: http.StatusOK,
			Rule: "A client holding the old bytes gets the new ones, not 304."},
		{Name: "EditedIfNoneMatchNew", Target: edit, Header: []string{"If-None-Match", newTag}, Status: http.StatusNotModified,
			Rule: "A client holding the new bytes gets 304."},
		{Name: "EditedRange", Target: edit, Header: []string{"Range", "bytes=0-6"}, Status: http.StatusPartialContent,
			Rule: "A range of a changed file comes from its new bytes."},
		{Name: "EditedIfRangeOld", Target: edit, Header: []string{"Range", "bytes=0-6", "If-Range", oldTag}, Status: http.StatusOK,
			Rule: "If-Range with the old ETag gets the whole new content."},
		{Name: "StaleHash", Target: "/static/js/edit-0123456789ab.js", Cache: serve.CacheNotFound,
			Rule: "A hash the manifest does not know is a 404 no cache keeps."},
		{Name: "NotAnAsset", Target: "/static/secret/x.txt", Status: http.StatusNotFound, Rule: "A file the build left out is never served."},
	}
	return f
}

func buildFS(t testing.TB, src fstest.MapFS, opts fingerprint.Options) *fingerprint.Tree {
	t.Helper()
	tree, err := fingerprint.FS(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func resolver(t testing.TB, m *core.Manifest) *core.Resolver {
	t.Helper()
	r, err := core.New(m, core.Options{Prefix: "/static/"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// compared are the headers that must match.
var compared = []string{
	"Cache-Control", "Etag", "Vary", "Content-Encoding", "Content-Range",
	"Accept-Ranges", "Last-Modified", "Allow", "Content-Length",
}

// Compare sends every case of f to do and to f.Handler (mounted with
// http.StripPrefix), and fails for any difference in status, body or the
// compared headers, and for any answer that breaks a rule.
func Compare(t *testing.T, f *Fixture, do Server) {
	ref := http.StripPrefix("/static", f.Handler)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Method == "" {
				c.Method = http.MethodGet
			}
			w := httptest.NewRecorder()
			ref.ServeHTTP(w, c.request())
			want := answer{w.Result(), w.Body.String()}
			res, err := do(c.request())
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := answer{res, string(body)}
			var problems []string
			switch {
			case !c.Multi:
				problems = c.compare(got, want)
			case got.StatusCode == http.StatusOK:
				if got.body != wholeBody(f, c) {
					problems = []string{"200 for several ranges without the whole content"}
				}
			case !strings.HasPrefix(got.Header.Get("Content-Type"), "multipart/byteranges;"):
				problems = []string{fmt.Sprintf("%d with Content-Type %q for several ranges, want multipart/byteranges or the whole content", got.StatusCode, got.Header.Get("Content-Type"))}
			}
			problems = append(problems, c.rules(got)...)
			for _, p := range problems {
				t.Errorf("%s %s: %s", c.Method, c.Target, p)
			}
			if len(problems) > 0 {
				t.Logf("rule: %s", c.Rule)
			}
		})
	}
}

// request returns the case's request.
func (c Case) request() *http.Request {
	req := httptest.NewRequest(c.Method, c.Target, nil)
	for i := 0; i+1 < len(c.Header); i += 2 {
		req.Header.Set(c.Header[i], c.Header[i+1])
	}
	return req
}

// answer is a response with its body read.
type answer struct {
	*http.Response
	body string
}

// wholeBody returns the whole content the case's target serves, as
// serve.Handler sends it without a Range header.
func wholeBody(f *Fixture, c Case) string {
	w := httptest.NewRecorder()
	http.StripPrefix("/static", f.Handler).ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.Target, nil))
	return w.Body.String()
}

// compare returns how got differs from serve.Handler's answer want.
func (c Case) compare(got, want answer) []string {
	if got.StatusCode != want.StatusCode {
		return []string{fmt.Sprintf("status %d, serve.Handler %d", got.StatusCode, want.StatusCode)}
	}
	var problems []string
	for _, k := range compared {
		g, w := got.Header.Get(k), want.Header.Get(k)
		if k == "Content-Length" && (w == "" || c.Method == http.MethodHead) {
			// net/http leaves it out for encoded or error bodies;
			// fasthttp always sends it. For HEAD the test client may
			// drop it.
			continue
		}
		if g != w {
			problems = append(problems, fmt.Sprintf("%s = %q, serve.Handler %q", k, g, w))
		}
	}
	if s := want.StatusCode; s != http.StatusPreconditionFailed && s != http.StatusNotModified {
		if g, w := got.Header.Get("Content-Type"), want.Header.Get("Content-Type"); g != w {
			problems = append(problems, fmt.Sprintf("Content-Type = %q, serve.Handler %q", g, w))
		}
	}
	if want.StatusCode < 300 && got.body != want.body {
		problems = append(problems, "body "+short(got.body)+", serve.Handler "+short(want.body))
	}
	return problems
}

// rules returns the rules got breaks, whatever serve.Handler answers.
func (c Case) rules(got answer) []string {
	var problems []string
	if c.Status != 0 && got.StatusCode != c.Status {
		problems = append(problems, fmt.Sprintf("status %d, want %d", got.StatusCode, c.Status))
	}
	if c.Cache != "" && got.Header.Get("Cache-Control") != c.Cache {
		problems = append(problems, fmt.Sprintf("Cache-Control = %q, want %q", got.Header.Get("Cache-Control"), c.Cache))
	}
	if strings.Contains(got.body, "SECRET") {
		problems = append(problems, "served a file the manifest does not name")
	}
	if got.StatusCode != http.StatusOK || got.Header.Get("Content-Encoding") != "" || c.Method == http.MethodHead {
		return problems
	}
	digest := sum(got.body)
	if got.Header.Get("Cache-Control") == serve.CacheImmutable {
		if hash := urlHash(c.Target); hash == "" || !strings.HasPrefix(digest, hash) {
			problems = append(problems, fmt.Sprintf("immutable with a body of SHA-256 %.12s, not the hash its URL names", digest))
		}
	}
	if etag := got.Header.Get("Etag"); etag != "" && etag != `"`+digest+`"` {
		problems = append(problems, fmt.Sprintf("ETag %s with a body of SHA-256 %s", etag, digest))
	}
	return problems
}

// urlHash returns the hash a fixture URL names, or "".
func urlHash(target string) string {
	p, _, _ := strings.Cut(strings.TrimPrefix(target, "/static/"), "?")
	_, hash, _ := strategy.Rename{}.Parse(p)
	return hash
}

// short quotes the start of a body, with its length.
func short(s string) string {
	return fmt.Sprintf("%.40q (%d bytes)", s, len(s))
}
