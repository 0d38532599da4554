package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var assetURL = regexp.MustCompile(`(?:href|src)="(/static/([^"?]+)\?v=([0-9a-f]+))"`)

// The page carries a busted URL for each asset, with the SHA-256 of the
// file's bytes, and each URL loads that file.
func TestPage(t *testing.T) {
	app, err := newApp("static")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	page := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d:\n%s", resp.StatusCode, page)
	}

	found := map[string]bool{}
	for _, m := range assetURL.FindAllStringSubmatch(page, -1) {
		url, name, hash := m[1], m[2], m[3]
		found[name] = true
		want, err := os.ReadFile(filepath.Join("static", filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if sum := sha256.Sum256(want); !strings.HasPrefix(hex.EncodeToString(sum[:]), hash) || len(hash) != 12 {
			t.Errorf("%s: hash %s is not 12 digits of the file's SHA-256 %x", url, hash, sum)
		}
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, url, nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := readBody(t, resp); resp.StatusCode != http.StatusOK || got != string(want) {
			t.Errorf("GET %s = %d %q, want 200 %q", url, resp.StatusCode, got, want)
		}
	}
	for _, name := range []string{"css/app.css", "js/app.js", "img/logo.svg"} {
		if !found[name] {
			t.Errorf("page has no busted URL for %s:\n%s", name, page)
		}
	}
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
