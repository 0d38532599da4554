//go:build !linux || cachebust_noraw

package treeroot

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// OpenRead opens the file name, which a walk found to be a file, for
// reading.
func (t *Root) OpenRead(name string) (fs.File, error) { return t.Open(name) }

// WriteNew writes name, a valid slash-separated path, as a new file, as
// writeNew does in the root.
func (t *Root) WriteNew(name string, perm fs.FileMode, fill func(io.Writer) error) error {
	return t.writeNewRoot(name, perm, fill)
}

// ReadDir lists the directory name, sorted by name, as root.FS does.
func (t *Root) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(t.fsys, name) }

// openDirFile opens the directory dir of the tree; only the system calls
// of rawio_linux.go use it.
func (t *Root) openDirFile(dir string) (*os.File, error) {
	return t.root.Open(filepath.FromSlash(dir))
}
