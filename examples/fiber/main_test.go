package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

var (
	attrRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	cssRef  = regexp.MustCompile(`(?:url\(\s*"?|@import\s+")([^")]+)"?`)
	hashed  = regexp.MustCompile(`-[0-9a-f]{12}\.[a-z0-9]+$`)
)

const views = "../site/templates"

// buildSite copies the example site's assets into a temporary directory and
// builds them there, as `cachebust build -exclude '*.scss'` does, and
// returns the source and output directories.
func buildSite(t *testing.T) (src, out string) {
	t.Helper()
	src, out = t.TempDir(), t.TempDir()
	if err := os.CopyFS(src, os.DirFS("../site/static")); err != nil {
		t.Fatal(err)
	}
	rebuild(t, src, out)
	return src, out
}

func rebuild(t *testing.T, src, out string) {
	t.Helper()
	if _, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Options: fingerprint.Options{Exclude: []string{"*.scss"}}, Keep: fingerprint.DefaultKeep}); err != nil {
		t.Fatal(err)
	}
}

// TestPageAssetsLoad fetches the page and every asset it references,
// directly or from CSS (url() and @import), and checks that each loads and
// that fingerprinted ones are immutable.
func TestPageAssetsLoad(t *testing.T) {
	_, out := buildSite(t)
	s, err := newSite(out, views)
	if err != nil {
		t.Fatal(err)
	}
	page := get(t, s, "/")
	base, _ := url.Parse("http://example.com/")
	queue := refs(base, attrRef, page)
	seen := map[string]bool{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if u.Host != base.Host || seen[u.Path] {
			continue // data:, and each asset once
		}
		seen[u.Path] = true
		resp, err := s.app.Test(httptest.NewRequest(http.MethodGet, u.Path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", u.Path, resp.StatusCode)
			continue
		}
		if !hashed.MatchString(u.Path) {
			t.Errorf("GET %s: not a fingerprinted URL", u.Path)
		} else if got := resp.Header.Get("Cache-Control"); got != serve.CacheImmutable {
			t.Errorf("GET %s: Cache-Control %q, want %q", u.Path, got, serve.CacheImmutable)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			queue = append(queue, refs(u, cssRef, body)...)
		}
	}
	// The page's stylesheet, script and image; the stylesheet's @import,
	// font and two images.
	for _, name := range []string{"css/app", "css/theme", "js/app", "img/hero", "img/pattern", "fonts/bootstrap-icons"} {
		found := false
		for p := range seen {
			found = found || strings.HasPrefix(p, "/static/"+name+"-")
		}
		if !found {
			t.Errorf("no fingerprinted URL of %s among %v", name, seen)
		}
	}
}

// TestReload swaps in the manifest of a new build: the page links the new
// URL, and the previous one still loads.
func TestReload(t *testing.T) {
	src, out := buildSite(t)
	s, err := newSite(out, views)
	if err != nil {
		t.Fatal(err)
	}
	before := assetPaths(get(t, s, "/"))
	css := filepath.Join(src, "css", "theme.css")
	if err := os.WriteFile(css, []byte("h1 { color: red; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild(t, src, out)
	if err := s.reload(); err != nil {
		t.Fatal(err)
	}
	after := assetPaths(get(t, s, "/"))
	if before[0] == after[0] || !strings.HasPrefix(after[0], "/static/css/app-") {
		t.Errorf("stylesheet URL %s, was %s: want a new one after a rebuild that changed its @import", after[0], before[0])
	}
	for _, p := range append(before, after...) {
		if resp, err := s.app.Test(httptest.NewRequest(http.MethodGet, p, nil)); err != nil {
			t.Fatal(err)
		} else if readBody(t, resp); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, resp.StatusCode)
		}
	}
}

// assetPaths returns the paths under /static/ that page links, in order.
func assetPaths(page string) []string {
	var out []string
	for _, u := range refs(&url.URL{}, attrRef, page) {
		if strings.HasPrefix(u.Path, "/static/") {
			out = append(out, u.Path)
		}
	}
	return out
}

func TestMissingManifest(t *testing.T) {
	_, err := newSite(t.TempDir(), views)
	if err == nil || !strings.Contains(err.Error(), "cachebust build") || strings.Contains(err.Error(), "\n") {
		t.Errorf("newSite(empty dir) = %v, want a one-line error telling how to build", err)
	}
}

func get(t *testing.T, s *site, path string) string {
	t.Helper()
	resp, err := s.app.Test(httptest.NewRequest(http.MethodGet, path, nil))
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", path, resp.StatusCode, body)
	}
	return body
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

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
