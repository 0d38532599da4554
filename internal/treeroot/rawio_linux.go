//go:build linux && !cachebust_noraw

package treeroot

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// On Linux, unless built with the tag cachebust_noraw, a Root reads and
// creates the files of a build, and lists its directories, with system
// calls of its own, since an *os.File costs five system calls more than
// the open: it offers every file it opens to the network poller (fcntl
// four times, epoll_ctl), which a regular file refuses, and a directory
// opened in an os.Root stats every entry it lists. For a build, which
// opens every file once or twice, that was more time than hashing them.
//
// Every such call is relative to a descriptor of the file's directory
// that the Root opened through its os.Root, and names one element, a
// name read from that directory, with O_NOFOLLOW: it cannot reach outside
// the directory the root confined. Whatever such a call cannot do (a
// symbolic link, a file in the way) is done again through the root.

// rawFlags are added to every open: O_NONBLOCK keeps a file replaced by a
// named pipe from blocking the open, and changes nothing for a regular
// file.
const rawFlags = syscall.O_CLOEXEC | syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// rawFile is a file opened by a Root with its own system calls.
type rawFile struct {
	fd   int
	name string // slash-separated, relative to the tree
}

var _ fs.File = (*rawFile)(nil)

// Read reads up to len(p) bytes, returning io.EOF at the end of the file.
func (f *rawFile) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Write writes all of p.
func (f *rawFile) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Write(f.fd, p[done:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return done, &fs.PathError{Op: "write", Path: f.name, Err: err}
		}
		if n == 0 {
			return done, &fs.PathError{Op: "write", Path: f.name, Err: io.ErrShortWrite}
		}
		done += n
	}
	return done, nil
}

// Stat describes the open file.
func (f *rawFile) Stat() (fs.FileInfo, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: err}
	}
	return &rawInfo{name: path.Base(f.name), st: st}, nil
}

// Close closes the file.
func (f *rawFile) Close() error {
	if err := syscall.Close(f.fd); err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// rawInfo is the fs.FileInfo of a rawFile.
type rawInfo struct {
	name string
	st   syscall.Stat_t
}

func (i *rawInfo) Name() string       { return i.name }
func (i *rawInfo) Size() int64        { return i.st.Size }
func (i *rawInfo) ModTime() time.Time { return time.Unix(i.st.Mtim.Unix()) }
func (i *rawInfo) IsDir() bool        { return i.Mode().IsDir() }
func (i *rawInfo) Sys() any           { return &i.st }

func (i *rawInfo) Mode() fs.FileMode {
	m := fs.FileMode(i.st.Mode & 0o777)
	switch i.st.Mode & syscall.S_IFMT {
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	}
	if i.st.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if i.st.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if i.st.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// dirFlags open a directory: O_DIRECTORY fails on anything else, a named
// pipe included, so O_NONBLOCK is not needed, and without it the
// *os.File is not offered to the network poller.
const dirFlags = syscall.O_RDONLY | syscall.O_DIRECTORY | syscall.O_CLOEXEC | syscall.O_NOFOLLOW

// openDirFile opens the directory dir of the tree, "." for its top, as a
// file whose descriptor system calls can start from: below the top, with
// one openat(2) of its last name relative to its parent's descriptor,
// following no link, so that it lies inside the tree as its parent does
// (the root would open every directory on the way again); the top, and a
// directory that cannot be opened so, through the root, which decides.
func (t *Root) openDirFile(dir string) (*os.File, error) {
	if parent, base := path.Split(dir); dir != "." {
		if pfd, done, ok := t.dirFD(strings.TrimSuffix(parent, "/")); ok {
			fd, err := openAt(pfd, base, dirFlags, 0)
			done()
			if err == nil {
				return os.NewFile(uintptr(fd), dir), nil
			}
		}
	}
	f, err := t.root.Open(filepath.FromSlash(dir))
	if err != nil {
		return nil, err
	}
	if info, err := f.Stat(); err != nil || !info.IsDir() {
		f.Close()
		return nil, syscall.ENOTDIR
	}
	return f, nil
}

// dirFD returns a descriptor of the directory dir ("" for the tree's
// top), opened through the tree's root, and the function that lets go of
// it, or false if it cannot be opened.
func (t *Root) dirFD(dir string) (int, func(), bool) {
	if dir == "" {
		dir = "."
	}
	f, done, ok := t.fds.get(dir)
	if !ok {
		return 0, nil, false
	}
	return int(f.Fd()), done, true
}

// rawOpenAt opens the file name, a valid slash-separated path, with
// openat(2) relative to its directory and the flags, or reports false if
// its directory cannot be opened.
func (t *Root) rawOpenAt(name string, flags int, perm uint32) (*rawFile, bool, error) {
	dir, base := path.Split(name)
	if base == "" || base == "." || base == ".." {
		return nil, false, nil
	}
	dfd, done, ok := t.dirFD(strings.TrimSuffix(dir, "/"))
	if !ok {
		return nil, false, nil
	}
	defer done()
	fd, err := openAt(dfd, base, flags|rawFlags, perm)
	if err != nil {
		return nil, true, err
	}
	return &rawFile{fd: fd, name: name}, true, nil
}

// openAt is openat(2), repeated when a signal interrupts it.
func openAt(dfd int, name string, flags int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Openat(dfd, name, flags, perm)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// OpenRead opens the file name, which a walk found to be a file, for
// reading: with one system call where it can. (Open cannot do the same: a
// file it opens may be a directory, which must then list its entries, and
// finding out costs a system call of its own.)
func (t *Root) OpenRead(name string) (fs.File, error) {
	if fs.ValidPath(name) {
		if f, ok, err := t.rawOpenAt(name, syscall.O_RDONLY, 0); ok && err == nil {
			return f, nil
		}
	}
	// A symbolic link, or any other failure, is decided by the root.
	return t.Open(name)
}

// WriteNew writes name, a valid slash-separated path, as a new file, as
// writeNew does in the root.
func (t *Root) WriteNew(name string, perm fs.FileMode, fill func(io.Writer) error) error {
	f, ok, err := t.rawOpenAt(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL, uint32(perm.Perm()))
	if !ok || err != nil {
		// A file in the way, or a directory that cannot be opened: the
		// root removes it, or fails with the error a user can act on.
		return t.writeNewRoot(name, perm, fill)
	}
	err = fill(f)
	if err != nil {
		err = fmt.Errorf("write %s: %w", name, err)
	} else if perm.Perm()&^umask() != perm.Perm() {
		if err = syscall.Fchmod(f.fd, uint32(perm.Perm())); err != nil {
			err = &fs.PathError{Op: "chmod", Path: name, Err: err}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Remove(name)
	}
	return err
}

// umask returns the process's file mode creation mask, read once from
// /proc/self/status; if it cannot be read, it is taken to mask everything,
// so that every new file's permissions are set after it is created.
var umask = sync.OnceValue(func() fs.FileMode {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0o777
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			if err != nil {
				return 0o777
			}
			return fs.FileMode(m) & 0o777
		}
	}
	return 0o777
})

// ReadDir lists the directory name, sorted by name, through a descriptor
// of its own, opened from that of the directory.
func (t *Root) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return fs.ReadDir(t.fsys, name)
	}
	dir := name
	if dir == "." {
		dir = ""
	}
	dfd, done, ok := t.dirFD(dir)
	if !ok {
		return fs.ReadDir(t.fsys, name)
	}
	fd, err := openAt(dfd, ".", dirFlags, 0)
	done()
	if err != nil {
		return fs.ReadDir(t.fsys, name)
	}
	f := os.NewFile(uintptr(fd), name)
	list, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: unwrapPath(err)}
	}
	entries := make([]fs.DirEntry, len(list))
	raw := make([]rawDirEntry, len(list))
	for i, e := range list {
		raw[i] = rawDirEntry{e, t, name}
		entries[i] = &raw[i]
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// rawDirEntry is an entry ReadDir listed. Its Info is read through the
// root: the *os.File it was listed with knows no path to read it by.
type rawDirEntry struct {
	fs.DirEntry
	t   *Root
	dir string
}

func (e *rawDirEntry) Info() (fs.FileInfo, error) { return e.t.Lstat(path.Join(e.dir, e.Name())) }
