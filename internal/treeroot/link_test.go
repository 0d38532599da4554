package treeroot

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// LinkNew makes a new name for a file, in its directory or another one,
// replacing a file in the way but never a directory, and never reaching
// outside the tree through a link.
func TestLinkNew(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("css/a.css", "a{}")
	write("css/in-the-way.css", "old")
	write("js/b.js", "b()")
	if err := os.Mkdir(filepath.Join(dir, "css", "dir.css"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	tr := openTreeRoot(t, dir)
	for _, tc := range []struct{ from, to string }{
		{"css/a.css", "css/a-1.css"},
		{"css/a.css", "css/in-the-way.css"},
		{"js/b.js", "js/b-1.js"},
		{"css/a.css", "a-top.css"},
	} {
		if err := tr.LinkNew(tc.from, tc.to); err != nil {
			t.Errorf("LinkNew(%s, %s): %v", tc.from, tc.to, err)
			continue
		}
		a, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tc.from)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tc.to)))
		if err != nil || !os.SameFile(a, b) {
			t.Errorf("LinkNew(%s, %s): %s is not a link to %s (%v)", tc.from, tc.to, tc.to, tc.from, err)
		}
	}
	if err := tr.LinkNew("css/a.css", "css/dir.css"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("LinkNew over a directory: %v, want an error wrapping fs.ErrExist", err)
	}
	if info, err := os.Lstat(filepath.Join(dir, "css", "dir.css")); err != nil || !info.IsDir() {
		t.Errorf("the directory in the way was removed: %v", err)
	}
	if err := tr.LinkNew("css/a.css", "out/a.css"); err == nil {
		t.Errorf("LinkNew through a link out of the tree succeeded")
	}
	if _, err := os.Lstat(filepath.Join(outside, "a.css")); err == nil {
		t.Errorf("LinkNew made a file outside the tree")
	}
}

// WriteNewTimed writes a new file with the permissions and the
// modification time it is given, in place of a file in the way.
func TestWriteNewTimed(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "css", "b.css"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	tr := openTreeRoot(t, dir)
	mtime := time.Date(2020, 2, 3, 4, 5, 6, 7000, time.UTC)
	for _, name := range []string{"css/a.css", "css/b.css", "top.css"} {
		err := tr.WriteNewTimed(name, 0o644, mtime, func(w io.Writer) error {
			_, err := io.WriteString(w, "new")
			return err
		})
		if err != nil {
			t.Fatalf("WriteNewTimed(%s): %v", name, err)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		if err != nil || string(data) != "new" {
			t.Errorf("%s = %q, %v; want \"new\"", name, data, err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(mtime) {
			t.Errorf("%s: modified %v, want %v", name, info.ModTime(), mtime)
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, info.Mode().Perm())
		}
	}
}
