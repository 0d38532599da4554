// Package routertest holds what the router examples' tests share: serving
// a router on a real net/http server for the servetest suite, and loading
// a page with every asset it links.
package routertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

// Server serves h, a router, on a real net/http server on 127.0.0.1 and
// returns a servetest.Server sending it each request as it is, target
// included: the router's own wiring decides what reaches the assets.
func Server(t *testing.T, h http.Handler) servetest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := srv.Client()
	// Ask for the encodings the cases ask for, and no others.
	tr := client.Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	client.Transport = tr
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return func(req *http.Request) (*http.Response, error) {
		u, err := url.Parse(srv.URL + req.RequestURI)
		if err != nil {
			return nil, err
		}
		req.URL, req.RequestURI, req.Host = u, "", ""
		return client.Do(req)
	}
}

var (
	attrRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	cssRef  = regexp.MustCompile(`url\("?([^")]+)"?\)`)
	hashed  = regexp.MustCompile(`-[0-9a-f]{12}\.[a-z0-9]+$`)
)

// Page fetches path from h and every asset the page links, directly or
// from its stylesheets, and checks that each loads, fingerprinted and
// immutable. It returns the page, and fails t if the page links fewer
// than min assets.
func Page(t *testing.T, h http.Handler, path string, min int) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	base, err := url.Parse(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	page, ctype := get(t, base.String())
	if !strings.HasPrefix(ctype, "text/html") {
		t.Errorf("GET %s: Content-Type %q, want text/html", path, ctype)
	}
	queue := refs(base, attrRef, page)
	if len(queue) < min {
		t.Fatalf("GET %s: the page links %d assets, want at least %d:\n%s", path, len(queue), min, page)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		if !hashed.MatchString(u.Path) {
			t.Errorf("the page links %s, which is not fingerprinted", u.Path)
		}
		res, err := http.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", u.Path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Cache-Control"); got != serve.CacheImmutable {
			t.Errorf("GET %s: Cache-Control %q, want %q", u.Path, got, serve.CacheImmutable)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			queue = append(queue, refs(u, cssRef, string(body))...)
		}
	}
	return page
}

// get returns the body and Content-Type of a GET of u, which must succeed.
func get(t *testing.T, u string) (string, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, res.StatusCode, body)
	}
	return string(body), res.Header.Get("Content-Type")
}

// refs returns the URLs re finds in s, resolved against base, leaving out
// data: URLs.
func refs(base *url.URL, re *regexp.Regexp, s string) []*url.URL {
	var out []*url.URL
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		if u, err := base.Parse(m[1]); err == nil && u.Scheme != "data" {
			out = append(out, u)
		}
	}
	return out
}
