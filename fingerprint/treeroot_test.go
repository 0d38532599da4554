package fingerprint

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// TestTreeRoot checks the treeRoot's file system against the rules of
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
		f, err := tr.openRead(name)
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
	if f, err := tr.openRead("img/out"); err == nil {
		f.Close()
		t.Error("openRead followed a link out of the tree")
	}
	if f, err := tr.openRead("../" + filepath.Base(outside) + "/secret"); err == nil {
		f.Close()
		t.Error("openRead opened a file outside the tree")
	}

	fill := writeBytes([]byte("new"))
	if err := tr.writeNew("img/deep/new.txt", 0o644, fill); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "img", "deep", "new.txt")); err != nil || string(data) != "new" {
		t.Errorf("writeNew wrote %q, %v", data, err)
	}
	// A link in the way is replaced, never written through.
	if err := tr.writeNew("img/out", 0o644, fill); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret")); string(data) != "secret" {
		t.Errorf("writeNew wrote through a link out of the tree: the target holds %q", data)
	}
	if info, err := os.Lstat(filepath.Join(dir, "img", "out")); err != nil || !info.Mode().IsRegular() {
		t.Errorf("img/out after writeNew: %v, %v; want a regular file", info, err)
	}
	if err := tr.writeNew("img/deep", 0o644, fill); err == nil {
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
		if f, err := tr.openRead(name); err == nil {
			data, _ := io.ReadAll(f)
			f.Close()
			if string(data) == "secret" {
				t.Fatalf("openRead(%q) read the file outside the tree", name)
			}
		}
		if fs.ValidPath(name) {
			tr.writeNew(name, 0o644, writeBytes([]byte("new")))
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

// TestKeeper checks which files a keeper keeps: regular files within its
// per-file and total limits, not those the previous build recorded with
// the same size, and that a file it does not keep costs nothing.
func TestKeeper(t *testing.T) {
	fsys := fstest.MapFS{
		"a": {Data: make([]byte, 5)}, "big": {Data: make([]byte, 50)}, "b": {Data: make([]byte, 15)},
		"c": {Data: make([]byte, 10)}, "same": {Data: make([]byte, 3)}, "grown": {Data: make([]byte, 4)},
	}
	k := &keeper{maxFile: 20, unchanged: map[string]core.Asset{"same": {Size: 3}, "grown": {Size: 2}}}
	k.left.Store(28)
	for _, tc := range []struct {
		name string
		kept bool
		left int64
	}{
		{"a", true, 23}, {"big", false, 23}, {"same", false, 23}, {"grown", true, 19}, {"b", true, 4}, {"c", false, 4},
	} {
		f, err := fsys.Open(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		data, _, err := k.read(f, tc.name)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if kept := data != nil; kept != tc.kept || k.left.Load() != tc.left {
			t.Errorf("read(%s): kept %v with %d bytes left, want kept %v with %d left", tc.name, kept, k.left.Load(), tc.kept, tc.left)
		}
	}
}

// grower is a file that grows after its size is taken: a keeper reads
// the size it said, and the rest is streamed.
type grower struct {
	fs.File
	r io.Reader
}

func (g grower) Read(p []byte) (int, error) { return g.r.Read(p) }

// A file that grew while it was hashed is recorded with every byte read,
// and not kept.
func TestHashFileGrown(t *testing.T) {
	fsys := fstest.MapFS{"a.js": {Data: []byte("12345")}}
	opts, _ := Options{}.withDefaults()
	keep := newKeeper()
	grown := growFS{fsys}
	e, err := hashFile(grown, "a.js", opts, make([]byte, 64), keep)
	if err != nil {
		t.Fatal(err)
	}
	if e.size != 9 || e.content != nil || e.hash != opts.Hash.SumBytes([]byte("123456789")) {
		t.Errorf("entry of a grown file: size %d, kept %q, hash %.12s; want size 9, nothing kept, the hash of all 9 bytes", e.size, e.content, e.hash)
	}
}

// growFS opens files that have 4 more bytes than their Stat says.
type growFS struct{ fstest.MapFS }

func (g growFS) Open(name string) (fs.File, error) {
	f, err := g.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	data, _ := fs.ReadFile(g.MapFS, name)
	return grower{f, io.MultiReader(strings.NewReader(string(data)), strings.NewReader("6789"))}, nil
}

// openTreeRoot returns a treeRoot on dir, closed with the test.
func openTreeRoot(t *testing.T, dir string) *treeRoot {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := newTreeRoot(root)
	t.Cleanup(func() {
		tr.close()
		root.Close()
	})
	return tr
}
