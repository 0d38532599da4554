package build

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/core"
)

// pendingName is the file in the output directory where Dir records,
// before it writes anything, every file it may leave behind that no
// manifest names if it stops half-way (killed, or failing): the copies it
// is about to write and the files of dropped builds it is about to remove.
// The next build or Clean removes those the manifest then in place does not
// name, and a build never takes them for inputs. It is a dotfile, so it is
// never an input either.
const pendingName = ".cachebust-pending.json"

// readPending returns the files recorded by a build that did not finish,
// or nil if every build finished.
func readPending(out string) ([]string, error) {
	name := filepath.Join(out, pendingName)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []string
	if err := json.Unmarshal(data, &files); err != nil {
		return nil, fmt.Errorf("%s: %w (it lists the files of an interrupted build; remove them and it to go on)", name, err)
	}
	for _, f := range files {
		if c, err := core.CleanPath(f); err != nil || c != f {
			return nil, fmt.Errorf("%s: %q is not a clean relative path", name, f)
		}
	}
	return files, nil
}

// writePending records files, sorted and without duplicates, atomically.
func writePending(out string, files []string) error {
	files = slices.Clone(files)
	slices.Sort(files)
	data, err := json.Marshal(slices.Compact(files))
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(out, pendingName), data)
}

// removePending removes the record once the files it lists are dealt with.
func removePending(out string) error {
	err := os.Remove(filepath.Join(out, pendingName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// named returns the set of files in the output directory that m accounts
// for: its renamed copies and, when originals were copied, the originals.
func named(m *core.Manifest) map[string]bool {
	set := make(map[string]bool)
	if m == nil {
		return set
	}
	for _, f := range m.Files() {
		set[f] = true
	}
	if m.Originals {
		for name := range m.Assets {
			set[name] = true
		}
	}
	return set
}
