package treeroot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeNew writes name in root with the content fill gives it and the
// permissions perm, as a new file: a file already there is removed
// first, never written through, since it may be a hard link to a file that
// is served; a directory there is an error. A file that fails half-way is removed. The caller makes it
// durable before anything names it.
func writeNew(root *os.Root, name string, perm fs.FileMode, fill func(io.Writer) error) (err error) {
	name = filepath.FromSlash(name)
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		if info, lerr := root.Lstat(name); lerr == nil && info.IsDir() {
			return err // never remove a directory in the way
		}
		if err := root.Remove(name); err != nil {
			return err
		}
		f, err = root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			root.Remove(name)
		}
	}()
	if err := fill(f); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	return f.Close()
}
