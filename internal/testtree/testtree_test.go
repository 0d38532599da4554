package testtree_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/internal/testtree"
)

// The tree is the same on every call, and Write writes exactly Files.
func TestFilesDeterministic(t *testing.T) {
	sum := func() (string, int) {
		h := sha256.New()
		n := 0
		for name, data := range testtree.Files(200) {
			fmt.Fprintf(h, "%s %d\n", name, len(data))
			h.Write(data)
			n++
		}
		return fmt.Sprintf("%x", h.Sum(nil)), n
	}
	a, n := sum()
	if b, _ := sum(); a != b || n != 200 {
		t.Fatalf("two calls differ (%s, %s) or give %d files, want 200", a, b, n)
	}
	dir := t.TempDir()
	total, err := testtree.Write(dir, 200)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for name, data := range testtree.Files(200) {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s on disk differs from Files: %v", name, err)
		}
		want += int64(len(data))
	}
	if total != want {
		t.Errorf("Write returned %d bytes, want %d", total, want)
	}
}
