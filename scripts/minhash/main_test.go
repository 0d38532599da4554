//go:build unix

package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// files is a tree with dotfiles, an empty file, a file larger than the
// read buffer and nested directories.
var files = map[string]string{
	"a.css":          "body{}",
	"js/app.js":      strings.Repeat("x", 300<<10+7),
	"img/empty.png":  "",
	".hidden":        "left out",
	".git/HEAD":      "left out",
	"js/.map/x.map":  "left out",
	"deep/er/f.woff": "font",
}

func writeTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func format(sums []digest) string {
	var b strings.Builder
	for _, d := range sums {
		fmt.Fprintf(&b, "%x  %s\n", d.sum, d.path)
	}
	return b.String()
}

func TestHashTree(t *testing.T) {
	dir := writeTree(t)
	var want strings.Builder
	for _, name := range []string{"a.css", "deep/er/f.woff", "img/empty.png", "js/app.js"} {
		fmt.Fprintf(&want, "%x  %s\n", sha256.Sum256([]byte(files[name])), filepath.Join(dir, filepath.FromSlash(name)))
	}
	for _, workers := range []int{1, 2, 7} {
		sums, err := hashTree(dir, workers)
		if err != nil {
			t.Fatal(err)
		}
		if got := format(sums); got != want.String() {
			t.Errorf("hashTree(-j %d) =\n%s\nwant\n%s", workers, got, want.String())
		}
	}
}

// TestSha256sum checks minhash against sha256sum, where it is installed,
// on the same files.
func TestSha256sum(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("no sha256sum")
	}
	dir := writeTree(t)
	sums, err := hashTree(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, d := range sums {
		args = append(args, d.path)
	}
	out, err := exec.Command("sha256sum", args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	// sha256sum prints the files in the order given, minhash's.
	if got, want := format(sums), string(out); got != want {
		t.Errorf("minhash:\n%s\nsha256sum:\n%s", got, want)
	}
}

func TestHashTreeErrors(t *testing.T) {
	if _, err := hashTree(filepath.Join(t.TempDir(), "none"), 2); err == nil {
		t.Error("hashTree of a missing directory: no error")
	}
	if os.Geteuid() == 0 {
		return // root reads every file
	}
	dir := writeTree(t)
	if err := os.Chmod(filepath.Join(dir, "a.css"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := hashTree(dir, 2); err == nil || !strings.Contains(err.Error(), "a.css") {
		t.Errorf("hashTree with an unreadable file: error %v, want one naming it", err)
	}
}
