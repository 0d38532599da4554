package fingerprint

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cachebust/cachebust/internal/confine"
)

var (
	_ fs.StatFS     = (*Tree)(nil)
	_ fs.ReadDirFS  = (*Tree)(nil)
	_ fs.ReadLinkFS = (*Tree)(nil)
)

var (
	errIsDir  = errors.New("is a directory")
	errNotDir = errors.New("not a directory")
)

// Stat describes the file name of the tree as Open would open it: an
// asset File under its own name, with the size of the bytes it serves.
func (t *Tree) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	var (
		info fs.FileInfo
		err  error
	)
	if tf, ok := t.files[name]; ok {
		info, err = t.assetInfo(name, tf)
	} else if logical, ok := t.siblings[name]; ok {
		if info, err = t.srcStat(logical); err == nil {
			info = renamedInfo{FileInfo: info, name: path.Base(name)}
		}
	} else {
		info, err = t.srcStat(name)
		if t.dirs[name] && (err != nil || !info.IsDir()) {
			return dirInfo(path.Base(name)), nil
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPath(err)}
	}
	return info, nil
}

// assetInfo describes the asset File name, served from tf, as openAsset
// opens it, without reading it.
func (t *Tree) assetInfo(name string, tf treeFile) (fs.FileInfo, error) {
	info, err := t.srcStat(tf.logical)
	switch {
	case err != nil:
		return nil, err
	case tf.data != nil:
		return memInfo{name: path.Base(name), size: int64(len(tf.data)), mod: info.ModTime()}, nil
	case t.fixed:
		return renamedInfo{FileInfo: info, name: path.Base(name)}, nil
	}
	return memInfo{name: path.Base(name), size: info.Size(), mod: info.ModTime()}, nil
}

// srcStat describes the file name of the source, following only the links
// that stay inside it, as Open does.
func (t *Tree) srcStat(name string) (fs.FileInfo, error) {
	f, err := confine.Open(t.src, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err == nil && name != "." && info.Name() != path.Base(name) {
		info = renamedInfo{FileInfo: info, name: path.Base(name)} // opened through a link
	}
	return info, err
}

// Lstat describes the file name as Stat does, except that a symbolic link
// of the source is described, not followed.
func (t *Tree) Lstat(name string) (fs.FileInfo, error) {
	lfs, ok := t.src.(fs.ReadLinkFS)
	if !ok || !fs.ValidPath(name) || name == "." || t.dirs[name] {
		return t.Stat(name)
	}
	dir, err := t.srcLinkDir(name)
	if err != nil {
		return t.Stat(name)
	}
	info, err := lfs.Lstat(path.Join(dir, path.Base(name)))
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return t.Stat(name)
	}
	return renamedInfo{FileInfo: info, name: path.Base(name)}, nil
}

// ReadLink returns the target of the symbolic link name of the source.
func (t *Tree) ReadLink(name string) (string, error) {
	lfs, ok := t.src.(fs.ReadLinkFS)
	if !ok || !fs.ValidPath(name) || name == "." {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	dir, err := t.srcLinkDir(name)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: unwrapPath(err)}
	}
	return lfs.ReadLink(path.Join(dir, path.Base(name)))
}

// srcLinkDir returns the directory of name in the source, free of links,
// if the tree adds nothing to it and it lies inside the source.
func (t *Tree) srcLinkDir(name string) (string, error) {
	if _, ok := t.files[name]; ok {
		return "", fs.ErrInvalid
	}
	if _, ok := t.siblings[name]; ok {
		return "", fs.ErrInvalid
	}
	dir, err := confine.Resolve(t.src.(fs.ReadLinkFS), path.Dir(name))
	if dir == "" {
		dir = "."
	}
	return dir, err
}

// openSrc opens the file name of the source; a directory opens as one of
// the tree, which lists what the tree serves in it.
func (t *Tree) openSrc(name string) (fs.File, error) {
	f, err := confine.Open(t.src, name)
	if err != nil {
		if t.dirs[name] {
			return &treeDir{t: t, name: name, info: dirInfo(path.Base(name))}, nil
		}
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	if !info.IsDir() && !t.dirs[name] {
		if name != "." && info.Name() != path.Base(name) {
			// Opened through a link: the file keeps the name it has here.
			return renamedFile{File: f, info: renamedInfo{FileInfo: info, name: path.Base(name)}}, nil
		}
		return f, nil
	}
	f.Close()
	if !info.IsDir() {
		info = dirInfo(path.Base(name))
	}
	return &treeDir{t: t, name: name, info: info}, nil
}

// ReadDir lists the directory name of the tree, sorted by name: the names
// of the source that Open opens, with the asset Files and precompressed
// siblings the tree serves there. A symbolic link of the source that
// leads out of it, or nowhere, is not listed, since Open opens none.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	if _, ok := t.files[name]; ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	if _, ok := t.siblings[name]; ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	list, err := t.srcReadDir(name)
	if err != nil && !t.dirs[name] {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: unwrapPath(err)}
	}
	return t.merge(name, list), nil
}

// srcReadDir lists the directory name of the source, following only the
// links that stay inside it.
func (t *Tree) srcReadDir(name string) ([]fs.DirEntry, error) {
	f, err := confine.Open(t.src, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, errNotDir
	}
	return d.ReadDir(-1)
}

// merge returns the entries of the source directory dir that the tree
// opens, with those the tree adds, sorted by name.
func (t *Tree) merge(dir string, src []fs.DirEntry) []fs.DirEntry {
	added := t.added[dir]
	list := make([]fs.DirEntry, 0, len(src)+len(added))
	lfs, links := t.src.(fs.ReadLinkFS)
	for _, e := range src {
		name := path.Join(dir, e.Name())
		if _, ok := slices.BinarySearch(added, e.Name()); ok {
			continue // the tree's own entry takes its place
		}
		if links && e.Type()&fs.ModeSymlink != 0 {
			if _, err := confine.Resolve(lfs, name); err != nil {
				continue
			}
		}
		list = append(list, e)
	}
	for _, base := range added {
		name := path.Join(dir, base)
		list = append(list, treeEntry{t: t, name: name, dir: t.dirs[name]})
	}
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list
}

// treeEntry is a name the tree adds to a directory of the source.
type treeEntry struct {
	t    *Tree
	name string // the whole name in the tree
	dir  bool
}

func (e treeEntry) Name() string               { return path.Base(e.name) }
func (e treeEntry) IsDir() bool                { return e.dir }
func (e treeEntry) Info() (fs.FileInfo, error) { return e.t.Stat(e.name) }

func (e treeEntry) Type() fs.FileMode {
	if e.dir {
		return fs.ModeDir
	}
	return 0
}

// treeDir is a directory of the tree, opened.
type treeDir struct {
	t    *Tree
	name string
	info fs.FileInfo
	list []fs.DirEntry // nil until the first ReadDir
	read bool
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *treeDir) Close() error               { return nil }

func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errIsDir}
}

// ReadDir returns the next n entries of the directory, or all the rest
// for n <= 0, as fs.ReadDirFile says.
func (d *treeDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.read {
		list, err := d.t.ReadDir(d.name)
		if err != nil {
			return nil, err
		}
		d.list, d.read = list, true
	}
	if n <= 0 {
		list := d.list
		d.list = nil
		return list, nil
	}
	if len(d.list) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.list))
	list := d.list[:n:n]
	d.list = d.list[n:]
	return list, nil
}

// dirInfo describes a directory that only the tree has: one that holds
// asset Files a form puts where the source has no directory.
type dirInfo string

func (i dirInfo) Name() string       { return string(i) }
func (i dirInfo) Size() int64        { return 0 }
func (i dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (i dirInfo) ModTime() time.Time { return time.Time{} }
func (i dirInfo) IsDir() bool        { return true }
func (i dirInfo) Sys() any           { return nil }

// unwrapPath returns the cause of a *fs.PathError, or err.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
