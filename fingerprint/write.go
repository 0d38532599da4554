package fingerprint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// A tempFile is a file written under a temporary name beside its final
// name, in a root, until commit renames it into place.
type tempFile struct {
	root    *os.Root
	tmp     string // its temporary name, relative to root
	name    string // its final name, relative to root
	durable bool   // sync the directory after the rename
}

// commit renames t into place. A durable t's directory is synced after.
func (t *tempFile) commit() error {
	if err := t.root.Rename(t.tmp, t.name); err != nil {
		t.discard()
		return err
	}
	if !t.durable {
		return nil
	}
	return syncName(t.root, filepath.Dir(t.name))
}

// discard removes t's temporary file.
func (t *tempFile) discard() { t.root.Remove(t.tmp) }

// tempName returns a new temporary name beside name:
// tempPrefix+base(name)+"-"+random.
func tempName(name string) string {
	dir, base := filepath.Split(name)
	return dir + tempPrefix + base + "-" + strconv.FormatUint(rand.Uint64(), 36)
}

// createTemp creates a new, empty file beside name in root and returns it
// with its name.
func createTemp(root *os.Root, name string) (*os.File, string, error) {
	for {
		tmp := tempName(name)
		f, err := root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, fs.ErrExist) {
			return f, tmp, err
		}
	}
}

// writeTemp writes a temporary file beside name in root, with the content
// fill gives it and the permissions perm, for commit to rename into place.
// With durable it syncs the file, and commit its directory, so that the
// rename survives a power failure; files written without are made durable
// all at once by syncOutputs.
func writeTemp(root *os.Root, name string, perm fs.FileMode, durable bool, fill func(io.Writer) error) (_ *tempFile, err error) {
	name = filepath.FromSlash(name)
	f, tmp, err := createTemp(root, name)
	if err != nil {
		return nil, err
	}
	t := &tempFile{root: root, tmp: tmp, name: name, durable: durable}
	defer func() {
		if err != nil {
			f.Close()
			t.discard()
		}
	}()
	if err := fill(f); err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Chmod(perm); err != nil {
		return nil, err
	}
	if durable {
		if err := syncFile(f); err != nil {
			return nil, err
		}
	}
	return t, f.Close()
}

// writeBytes returns a fill function for writeTemp that writes data.
func writeBytes(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// linkAtomic makes to a hard link to from, both in root, replacing any
// file at to atomically. It fails where hard links are not supported, and
// the caller copies instead.
func linkAtomic(root *os.Root, from, to string) error {
	from, to = filepath.FromSlash(from), filepath.FromSlash(to)
	for {
		tmp := tempName(to)
		err := root.Link(from, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := root.Rename(tmp, to); err != nil {
			root.Remove(tmp)
			return err
		}
		return nil
	}
}
