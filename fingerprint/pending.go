package fingerprint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/recordfile"
)

// pendingName is the file in the output directory where Dir records,
// before it writes anything, every file it may leave behind that no
// manifest names if it stops half-way (killed, or failing): the copies it
// is about to write and the files of dropped builds it is about to remove.
// The next build or Clean removes those the manifest then in place does not
// name, and a build never takes them for inputs. It is a dotfile, so it is
// never an input either.
const pendingName = ".cachebust-pending.json"

// readPending returns the files recorded in root by a build that did not
// finish, and whether the record was there at all. Every name must be a
// clean relative path. It refuses what recordfile refuses: a file that is
// not a regular one, and one larger than core.MaxManifestSize.
func readPending(root *os.Root) (files []string, ok bool, err error) {
	data, err := recordfile.ReadRoot(root, pendingName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read pending record: %w", err)
	}
	name := filepath.Join(root.Name(), pendingName)
	if err := json.Unmarshal([]byte(data), &files); err != nil {
		return nil, false, fmt.Errorf("%s: %w (it lists the files of an interrupted build; remove them and it to go on)", name, err)
	}
	for _, f := range files {
		if c, err := core.CleanPath(f); err != nil || c != f {
			return nil, false, fmt.Errorf("%s: %q is not a clean relative path", name, f)
		}
	}
	return files, true, nil
}

// writePending records files, sorted and without duplicates, atomically
// and durably: it writes a temporary file, renames it into place and makes
// both durable with syncOutputs, which on Linux is one syncfs, where a
// sync of the file and then of its directory would wait on the disk twice.
// An empty record still says that a build is writing.
func writePending(root *os.Root, files []string) error {
	files = slices.Clone(files)
	slices.Sort(files)
	files = slices.Compact(files)
	if files == nil {
		files = []string{}
	}
	data, err := json.Marshal(files)
	if err != nil {
		return err
	}
	t, err := writeTemp(root, pendingName, 0o644, false, writeBytes(data))
	if err != nil {
		return err
	}
	if err := t.commit(); err != nil {
		return err
	}
	return syncOutputs(root, []string{pendingName})
}

// removePending removes the record once the files it lists are dealt with.
func removePending(root *os.Root) error {
	err := root.Remove(pendingName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
