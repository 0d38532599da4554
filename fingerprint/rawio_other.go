//go:build !linux

package fingerprint

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// openRead opens the file name, which a walk found to be a file, for
// reading.
func (t *treeRoot) openRead(name string) (fs.File, error) { return t.Open(name) }

// writeNew writes name, a valid slash-separated path, as a new file, as
// writeNew does in the root.
func (t *treeRoot) writeNew(name string, perm fs.FileMode, fill func(io.Writer) error) error {
	return t.writeNewRoot(name, perm, fill)
}

// ReadDir lists the directory name, sorted by name, as root.FS does.
func (t *treeRoot) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(t.fsys, name) }

// openDirFile opens the directory dir of root; only Linux uses it.
func openDirFile(root *os.Root, dir string) (*os.File, error) {
	return root.Open(filepath.FromSlash(dir))
}
