// Package treeroot opens a directory tree that a build reads or writes
// through an os.Root, with fewer system calls than the root alone: it
// keeps the tree's directories open as roots of their own and, on Linux,
// opens, creates and lists files with system calls of its own, relative
// to those directories (see rawio_linux.go). Nothing it opens or creates
// lies outside the tree.
//
// Built with the tag cachebust_noraw, it makes no system calls of its
// own: every operation goes through os.Root.
package treeroot

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// A Root is a directory tree a build reads or writes, opened as an
// os.Root, and an fs.FS of it. Its methods may be called at once from
// several goroutines, except Close.
//
// An operation on a root costs a system call for every element of the
// path it is given, since the root opens each directory on the way to
// check it stays inside; for a build that stats, opens and writes every
// file of a tree that was most of its time. So a Root also opens the
// directories it works in as roots of their own, through the tree's root,
// and does each operation on a file in its directory's root, by the file's
// last name: one system call. Those roots lie inside the tree and are
// stricter than it (a symbolic link from one directory to another is
// outside the first), so a read that fails on one is done again on the
// tree's root, which decides. A few hundred stay open (see dirCache)
// until Close.
//
// A directory's root or descriptor stays with the directory when it is
// moved, even out of the tree. So the Root notes what each directory
// it opens is, and CheckDirs, which a build calls before it puts its
// manifest in place, fails if one is no longer at its path in the tree.
type Root struct {
	root *os.Root
	fsys fs.FS // root.FS()

	dirs *dirCache[*os.Root] // slash-separated directory -> its root
	// fds holds the directories whose descriptors the system calls a
	// Root makes itself start from, on Linux (see rawio_linux.go).
	fds *dirCache[*os.File] // slash-separated directory, "." for the top

	mu sync.Mutex
	// opened holds, for each directory the caches opened, what it was
	// when opened: one entry, or more if it was opened again after a
	// change.
	opened map[string][]fs.FileInfo
}

var (
	_ fs.StatFS     = (*Root)(nil)
	_ fs.ReadFileFS = (*Root)(nil)
	_ fs.ReadDirFS  = (*Root)(nil)
	_ fs.ReadLinkFS = (*Root)(nil)
)

// New returns the tree of root, which stays the caller's to close, after
// the Root's Close.
func New(root *os.Root) *Root {
	t := &Root{root: root, fsys: root.FS(), opened: make(map[string][]fs.FileInfo)}
	t.dirs = newDirCache(func(dir string) (*os.Root, error) {
		r, err := root.OpenRoot(filepath.FromSlash(dir))
		if err != nil {
			return nil, err
		}
		return r, t.note(dir, r, func() (fs.FileInfo, error) { return r.Stat(".") })
	})
	t.fds = newDirCache(func(dir string) (*os.File, error) {
		f, err := t.openDirFile(dir)
		if err != nil {
			return nil, err
		}
		return f, t.note(dir, f, f.Stat)
	})
	return t
}

// note records what the directory dir, just opened as c, is, as stat
// tells from c itself. If it cannot tell, it closes c and fails: the
// directory is then worked on through the tree's root.
func (t *Root) note(dir string, c io.Closer, stat func() (fs.FileInfo, error)) error {
	info, err := stat()
	if err != nil {
		c.Close()
		return err
	}
	if dir == "." {
		return nil // the tree itself: its root moves with it
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, seen := range t.opened[dir] {
		if os.SameFile(seen, info) {
			return nil
		}
	}
	t.opened[dir] = append(t.opened[dir], info)
	return nil
}

// CheckDirs fails, naming the first in name order, if a directory the
// Root opened is no longer at its path in the tree: moved, even out of
// the tree, or replaced since. What was written through the handle opened
// before may then lie outside the tree.
func (t *Root) CheckDirs() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, dir := range slices.Sorted(maps.Keys(t.opened)) {
		cur, err := t.root.Stat(filepath.FromSlash(dir))
		for _, info := range t.opened[dir] {
			if err != nil || !os.SameFile(info, cur) {
				return fmt.Errorf("%s was moved or replaced while the build wrote into it; run the build again", filepath.Join(t.root.Name(), filepath.FromSlash(dir)))
			}
		}
	}
	return nil
}

// OS returns the tree's root.
func (t *Root) OS() *os.Root { return t.root }

// Close closes the directories the Root opened; the tree's root is the
// caller's. No operation may be under way.
func (t *Root) Close() {
	t.dirs.close()
	t.fds.close()
}

// inDir calls op with the root of the directory of name, a valid
// slash-separated path, and name's last element; if that directory
// cannot be opened, or the op fails there and retry is set, it calls op
// with the tree's root and the whole name. Only operations that can be
// repeated may set retry.
func inDir[T any](t *Root, name string, retry bool, op func(r *os.Root, name string) (T, error)) (T, error) {
	if dir, base := path.Split(name); dir != "" {
		if r, done, ok := t.dirs.get(dir[:len(dir)-1]); ok {
			v, err := op(r, base)
			done()
			if err == nil || !retry {
				return v, err
			}
		}
	}
	return op(t.root, filepath.FromSlash(name))
}

// SameDir calls op with the root of the directory of the names a and b,
// which must be the same, and their last elements; if that directory
// cannot be opened, or they lie in different ones, it calls op with the
// tree's root and the whole names.
func (t *Root) SameDir(a, b string, op func(r *os.Root, a, b string) error) error {
	dirA, baseA := path.Split(a)
	dirB, baseB := path.Split(b)
	if dirA == dirB && dirA != "" {
		if r, done, ok := t.dirs.get(dirA[:len(dirA)-1]); ok {
			defer done()
			return op(r, baseA, baseB)
		}
	}
	return op(t.root, filepath.FromSlash(a), filepath.FromSlash(b))
}

// Open opens the file name, as root.FS does.
func (t *Root) Open(name string) (fs.File, error) {
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
func (t *Root) Stat(name string) (fs.FileInfo, error) {
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
func (t *Root) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return fs.ReadFile(t.fsys, name)
	}
	data, err := inDir(t, name, true, func(r *os.Root, name string) ([]byte, error) { return r.ReadFile(name) })
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: unwrapPath(err)}
	}
	return data, nil
}

// ReadLink returns the target of the link name, as root.FS does.
func (t *Root) ReadLink(name string) (string, error) { return fs.ReadLink(t.fsys, name) }

// Lstat describes the file name, not following a link, as root.FS does.
func (t *Root) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(t.fsys, name) }

// writeNewRoot writes name, a valid slash-separated path, with writeNew
// in the root of its directory.
func (t *Root) writeNewRoot(name string, perm fs.FileMode, fill func(io.Writer) error) error {
	_, err := inDir(t, name, false, func(r *os.Root, name string) (struct{}, error) {
		return struct{}{}, writeNew(r, name, perm, fill)
	})
	return err
}

// Chtimes changes the access and modification times of the file name, a
// valid slash-separated path.
func (t *Root) Chtimes(name string, atime, mtime time.Time) error {
	_, err := inDir(t, name, true, func(r *os.Root, name string) (struct{}, error) {
		return struct{}{}, r.Chtimes(name, atime, mtime)
	})
	return err
}

// Remove removes the file name, a valid slash-separated path.
func (t *Root) Remove(name string) error {
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
