package fingerprint

import (
	"embed"
	"io/fs"
)

// An ImmutableFS is a file system whose files, and their bytes, never
// change while the program runs, as those of an embed.FS, which are part
// of the program. A Tree over a source that cannot change serves its
// files as they are, with no read and hash per open, and serves their
// precompressed siblings (see Tree).
//
// An embed.FS is one without implementing it. A file system that wraps
// another implements it to say what the one it wraps is; fs.Sub hides it,
// and Sub keeps it.
type ImmutableFS interface {
	fs.FS
	// Immutable reports whether the files of the file system never change.
	Immutable() bool
}

// immutable reports whether the files of fsys never change: it is an
// embed.FS, or an ImmutableFS that says so.
func immutable(fsys fs.FS) bool {
	switch f := fsys.(type) {
	case embed.FS, *embed.FS:
		return true
	case ImmutableFS:
		return f.Immutable()
	}
	return false
}

// Sub returns the subtree of fsys at dir, as fs.Sub does, and, if the
// files of fsys never change (an embed.FS, or an ImmutableFS that says
// so), an ImmutableFS that says so too:
//
//	//go:embed static
//	var files embed.FS
//
//	static, err := fingerprint.Sub(files, "static")
//
// A Tree over fs.Sub of an embed.FS cannot tell that its files never
// change, and reads and hashes each file it opens.
func Sub(fsys fs.FS, dir string) (fs.FS, error) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil || !immutable(fsys) {
		return sub, err
	}
	return immutableSub{sub}, nil
}

// immutableSub is a subtree of a file system whose files never change.
// It offers the optional interfaces of io/fs that fs.Sub does.
type immutableSub struct{ fsys fs.FS }

var (
	_ ImmutableFS   = immutableSub{}
	_ fs.ReadDirFS  = immutableSub{}
	_ fs.ReadFileFS = immutableSub{}
	_ fs.StatFS     = immutableSub{}
	_ fs.ReadLinkFS = immutableSub{}
	_ fs.SubFS      = immutableSub{}
)

// Immutable reports true: the files never change.
func (s immutableSub) Immutable() bool { return true }

// Open opens the file name.
func (s immutableSub) Open(name string) (fs.File, error) { return s.fsys.Open(name) }

// ReadDir lists the directory name.
func (s immutableSub) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(s.fsys, name) }

// ReadFile reads the file name.
func (s immutableSub) ReadFile(name string) ([]byte, error) { return fs.ReadFile(s.fsys, name) }

// Stat describes the file name.
func (s immutableSub) Stat(name string) (fs.FileInfo, error) { return fs.Stat(s.fsys, name) }

// ReadLink returns the target of the symbolic link name.
func (s immutableSub) ReadLink(name string) (string, error) { return fs.ReadLink(s.fsys, name) }

// Lstat describes the file name, not following a link.
func (s immutableSub) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(s.fsys, name) }

// Sub returns the subtree at dir, whose files never change either.
func (s immutableSub) Sub(dir string) (fs.FS, error) {
	sub, err := fs.Sub(s.fsys, dir)
	if err != nil {
		return nil, err
	}
	return immutableSub{sub}, nil
}
