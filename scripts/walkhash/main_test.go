package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWalkHash(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.css":          "body{}",
		"js/app.js":      strings.Repeat("x", 200<<10),
		"img/empty.png":  "",
		".hidden":        "left out",
		".git/HEAD":      "left out",
		"js/.map/x.map":  "left out",
		"deep/er/f.woff": "font",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	if err := walkHash(dir, &out); err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, name := range []string{"a.css", "deep/er/f.woff", "img/empty.png", "js/app.js"} {
		fmt.Fprintf(&want, "%x  %s\n", sha256.Sum256([]byte(files[name])), filepath.Join(dir, filepath.FromSlash(name)))
	}
	if out.String() != want.String() {
		t.Errorf("walkHash wrote\n%s\nwant\n%s", out.String(), want.String())
	}
}

func TestWalkHashMissingDir(t *testing.T) {
	if err := walkHash(filepath.Join(t.TempDir(), "none"), new(strings.Builder)); err == nil {
		t.Error("walkHash of a missing directory: no error")
	}
}
