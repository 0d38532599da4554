package treeroot

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// TestTreeRoot checks the Root's file system against the rules of
// io/fs, and that what it lists, opens and creates stays inside the
// tree: a link leading out is refused, one inside is followed.
func TestTreeRoot(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	for name, data := range map[string]string{"a.css": "a{}", "img/b.png": "png", "img/deep/c.svg": "<svg/>", "z.js": "z()"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../a.css", filepath.Join(dir, "img", "in")); err != nil {
		t.Fatal(err)
	}
	tr := openTreeRoot(t, dir)

	if err := fstest.TestFS(tr, "a.css", "img/b.png", "img/deep/c.svg", "z.js", "img/in"); err != nil {
		t.Error(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "img", "out")); err != nil {
		t.Fatal(err)
	}
	entries, err := tr.ReadDir("img")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, err := e.Info()
		if err != nil {
			t.Errorf("Info of %s: %v", e.Name(), err)
		} else if info.Mode().Type() != e.Type() {
			t.Errorf("%s: Info says type %v, the entry %v", e.Name(), info.Mode().Type(), e.Type())
		}
	}
	if want := []string{"b.png", "deep", "in", "out"}; !slices.Equal(names, want) {
		t.Errorf("ReadDir(img) = %v, want %v", names, want)
	}
	for name, want := range map[string]string{"img/in": "a{}", "img/b.png": "png"} {
		f, err := tr.OpenRead(name)
		if err != nil {
			t.Errorf("openRead(%s): %v", name, err)
			continue
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(data) != want {
			t.Errorf("openRead(%s) read %q, %v; want %q", name, data, err, want)
		}
	}
	if f, err := tr.OpenRead("img/out"); err == nil {
		f.Close()
		t.Error("openRead followed a link out of the tree")
	}
	if f, err := tr.OpenRead("../" + filepath.Base(outside) + "/secret"); err == nil {
		f.Close()
		t.Error("openRead opened a file outside the tree")
	}

	fill := writeBytes([]byte("new"))
	if err := tr.WriteNew("img/deep/new.txt", 0o644, fill); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "img", "deep", "new.txt")); err != nil || string(data) != "new" {
		t.Errorf("writeNew wrote %q, %v", data, err)
	}
	// A link in the way is replaced, never written through.
	if err := tr.WriteNew("img/out", 0o644, fill); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret")); string(data) != "secret" {
		t.Errorf("writeNew wrote through a link out of the tree: the target holds %q", data)
	}
	if info, err := os.Lstat(filepath.Join(dir, "img", "out")); err != nil || !info.Mode().IsRegular() {
		t.Errorf("img/out after writeNew: %v, %v; want a regular file", info, err)
	}
	if err := tr.WriteNew("img/deep", 0o644, fill); err == nil {
		t.Error("writeNew over a directory succeeded")
	}
	var _ fs.ReadDirFS = tr
}

// FuzzTreeRootOpen opens and creates files of any name in a tree with
// links in and out of it: nothing outside the tree is read, and nothing
// is created or changed outside it.
func FuzzTreeRootOpen(f *testing.F) {
	for _, name := range []string{"a.css", "img/in", "img/out", "img/../a.css", "../outside/secret", "img/dir/x", "/etc/passwd", "img//b.png", "img/updir/secret"} {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		dir, outside := linkedTree(t)
		tr := openTreeRoot(t, dir)
		if f, err := tr.OpenRead(name); err == nil {
			data, _ := io.ReadAll(f)
			f.Close()
			if string(data) == "secret" {
				t.Fatalf("openRead(%q) read the file outside the tree", name)
			}
		}
		if fs.ValidPath(name) {
			tr.WriteNew(name, 0o644, writeBytes([]byte("new")))
		}
		entries, err := os.ReadDir(outside)
		if err != nil || len(entries) != 1 {
			t.Fatalf("after writeNew(%q) the directory outside holds %d entries (%v), want 1", name, len(entries), err)
		}
		if data, _ := os.ReadFile(filepath.Join(outside, "secret")); string(data) != "secret" {
			t.Fatalf("writeNew(%q) changed the file outside the tree to %q", name, data)
		}
	})
}

// linkedTree makes a tree with files, and links in it that lead inside
// and outside it, and returns it and the directory outside, which holds
// the file secret.
func linkedTree(t *testing.T) (dir, outside string) {
	dir = t.TempDir()
	outside = filepath.Join(t.TempDir(), "outside")
	for name, data := range map[string]string{"a.css": "a{}", "img/b.png": "png", "img/deep/c.svg": "<svg/>", "../outside/secret": "secret"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if name == "../outside/secret" {
			p = filepath.Join(outside, "secret")
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"img/in": "../a.css", "img/out": filepath.Join(outside, "secret"), "img/dir": outside, "img/updir": "../../" + filepath.Base(filepath.Dir(outside)) + "/outside"} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	return dir, outside
}

// writeBytes returns a fill function for WriteNew that writes data.
func writeBytes(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// openTreeRoot returns a Root on dir, closed with the test.
func openTreeRoot(t *testing.T, dir string) *Root {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := New(root)
	t.Cleanup(func() {
		tr.Close()
		root.Close()
	})
	return tr
}
