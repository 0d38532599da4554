package build

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// maxDirRoots is how many directory roots a treeRoot opens at most; the
// files of further directories are reached through the tree's root.
const maxDirRoots = 1024

// A treeRoot is a directory tree a build reads or writes, opened as an
// os.Root, and an fs.FS of it.
//
// An operation on a root costs a system call for every element of the
// path it is given, since the root opens each directory on the way to
// check it stays inside; for a build that stats, opens and writes every
// file of a tree that was most of its time. So a treeRoot also opens the
// directories it works in as roots of their own, through the tree's root,
// and does each operation on a file in its directory's root, by the file's
// last name: one system call. Those roots lie inside the tree and are
// stricter than it (a symbolic link from one directory to another is
// outside the first), so a read that fails on one is done again on the
// tree's root, which decides. They stay open until close.
type treeRoot struct {
	root *os.Root
	fsys fs.FS // root.FS()

	dirs  sync.Map // slash-separated directory -> *os.Root
	count atomic.Int64

	// dirFiles holds the directory descriptors of the system calls a
	// treeRoot makes itself, on Linux (see rawio_linux.go).
	dirFiles  sync.Map // slash-separated directory, "." for the top -> *os.File
	fileCount atomic.Int64
}

var (
	_ fs.StatFS     = (*treeRoot)(nil)
	_ fs.ReadFileFS = (*treeRoot)(nil)
	_ fs.ReadDirFS  = (*treeRoot)(nil)
	_ fs.ReadLinkFS = (*treeRoot)(nil)
)

func newTreeRoot(root *os.Root) *treeRoot {
	return &treeRoot{root: root, fsys: root.FS()}
}

// close closes the directory roots; the tree's root is the caller's. No
// operation may be under way.
func (t *treeRoot) close() {
	t.dirs.Range(func(dir, r any) bool {
		r.(*os.Root).Close()
		t.dirs.Delete(dir)
		return true
	})
	t.count.Store(0)
	t.closeDirFDs()
}

// dir returns the root of the directory dir, or nil if it cannot be opened
// as one, or too many are open.
func (t *treeRoot) dir(dir string) *os.Root {
	if r, ok := t.dirs.Load(dir); ok {
		return r.(*os.Root)
	}
	if t.count.Load() >= maxDirRoots {
		return nil
	}
	r, err := t.root.OpenRoot(filepath.FromSlash(dir))
	if err != nil {
		return nil
	}
	if prev, loaded := t.dirs.LoadOrStore(dir, r); loaded {
		r.Close()
		return prev.(*os.Root)
	}
	t.count.Add(1)
	return r
}

// inDir calls op with the root of the directory of name, a valid
// slash-separated path, and name's last element; if that directory
// cannot be opened, or the op fails there and retry is set, it calls op
// with the tree's root and the whole name. Only operations that can be
// repeated may set retry.
func inDir[T any](t *treeRoot, name string, retry bool, op func(r *os.Root, name string) (T, error)) (T, error) {
	if dir, base := path.Split(name); dir != "" {
		if r := t.dir(dir[:len(dir)-1]); r != nil {
			v, err := op(r, base)
			if err == nil || !retry {
				return v, err
			}
		}
	}
	return op(t.root, filepath.FromSlash(name))
}

// sameDir calls op with the root of the directory of the names a and b,
// which must be the same, and their last elements; if that directory
// cannot be opened, or they lie in different ones, it calls op with the
// tree's root and the whole names.
func (t *treeRoot) sameDir(a, b string, op func(r *os.Root, a, b string) error) error {
	dirA, baseA := path.Split(a)
	dirB, baseB := path.Split(b)
	if dirA == dirB && dirA != "" {
		if r := t.dir(dirA[:len(dirA)-1]); r != nil {
			return op(r, baseA, baseB)
		}
	}
	return op(t.root, filepath.FromSlash(a), filepath.FromSlash(b))
}

// Open opens the file name, as root.FS does.
func (t *treeRoot) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return t.fsys.Open(name)
	}
	f, err := inDir(t, name, true, func(r *os.Root, name string) (*os.File, error) { return r.Open(name) })
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return f, nil
}

// Stat returns a FileInfo describing the file name, following links.
func (t *treeRoot) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) || name == "." {
		return fs.Stat(t.fsys, name)
	}
	info, err := inDir(t, name, true, func(r *os.Root, name string) (fs.FileInfo, error) { return r.Stat(name) })
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPath(err)}
	}
	return info, nil
}

// ReadFile reads the file name.
func (t *treeRoot) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return fs.ReadFile(t.fsys, name)
	}
	data, err := inDir(t, name, true, func(r *os.Root, name string) ([]byte, error) { return r.ReadFile(name) })
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: unwrapPath(err)}
	}
	return data, nil
}

// ReadLink and Lstat are those of root.FS.
func (t *treeRoot) ReadLink(name string) (string, error) { return fs.ReadLink(t.fsys, name) }

func (t *treeRoot) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(t.fsys, name) }

// writeNewRoot writes name, a valid slash-separated path, with writeNew
// in the root of its directory.
func (t *treeRoot) writeNewRoot(name string, perm fs.FileMode, fill func(io.Writer) error) error {
	_, err := inDir(t, name, false, func(r *os.Root, name string) (struct{}, error) {
		return struct{}{}, writeNew(r, name, perm, fill)
	})
	return err
}

// remove removes the file name, a valid slash-separated path.
func (t *treeRoot) remove(name string) error {
	_, err := inDir(t, name, false, func(r *os.Root, name string) (struct{}, error) {
		return struct{}{}, r.Remove(name)
	})
	return err
}

// unwrapPath returns the cause of a *fs.PathError, or err.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
