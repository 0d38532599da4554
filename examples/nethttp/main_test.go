package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"testing"

	"github.com/cachebust/cachebust/serve"
)

var (
	attrRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	cssRef  = regexp.MustCompile(`url\("?([^")]+)"?\)`)
	hashed  = regexp.MustCompile(`-[0-9a-f]{12}\.[a-z0-9]+$`)
)

// TestPageAssetsLoad fetches the page and every asset it references,
// directly or from CSS, served from the embedded files and in dev mode
// from a copy of them.
func TestPageAssetsLoad(t *testing.T) {
	t.Run("embed", func(t *testing.T) { testPageAssetsLoad(t, "") })
	t.Run("dev", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS("static")); err != nil {
			t.Fatal(err)
		}
		testPageAssetsLoad(t, dir)
	})
}

func testPageAssetsLoad(t *testing.T, dev string) {
	h, err := newServer(context.Background(), dev)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	page := fetch(t, srv.URL+"/")
	base, _ := url.Parse(srv.URL + "/")
	queue := refs(base, attrRef, page)
	if len(queue) < 3 {
		t.Fatalf("page references %d assets, want at least 3:\n%s", len(queue), page)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		res, err := http.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", u.Path, res.StatusCode)
			continue
		}
		want := serve.CacheRevalidate
		if hashed.MatchString(u.Path) {
			want = serve.CacheImmutable
		}
		if got := res.Header.Get("Cache-Control"); got != want {
			t.Errorf("GET %s: Cache-Control %q, want %q", u.Path, got, want)
		}
		if res.Header.Get("Content-Type") == "text/css; charset=utf-8" {
			queue = append(queue, refs(u, cssRef, string(body))...)
		}
	}
	if len(seen) < 5 {
		t.Errorf("fetched %d assets, want the page's 3 and the CSS's 2", len(seen))
	}
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	return string(body)
}

// refs returns the URLs re finds in s, resolved against base.
func refs(base *url.URL, re *regexp.Regexp, s string) []*url.URL {
	var out []*url.URL
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		if u, err := base.Parse(m[1]); err == nil {
			out = append(out, u)
		}
	}
	return out
}
