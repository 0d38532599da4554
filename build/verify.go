package build

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/coding"
	"github.com/cachebust/cachebust/strategy"
)

// Verify checks that every file m names exists in fsys with the size and
// hash m records: the current build's files and the renamed copies of kept
// generations. It returns every problem found, joined, each naming the file
// and the asset. Entries that are not files (a URL in another tool's map)
// are not checked.
//
// For an output directory on disk, pass the FS of an os.Root opened on it:
// it refuses to follow a symbolic link out of the directory, which the
// fs.FS of os.DirFS follows.
func Verify(fsys fs.FS, m *core.Manifest) error {
	var h strategy.Hash
	if m.Hash != "" {
		var err error
		if h, err = strategy.HashByName(m.Hash); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	var errs []error
	check := func(name string, a core.Asset) {
		if !isFile(a) {
			return
		}
		info, err := fs.Stat(fsys, a.File)
		if err != nil {
			errs = append(errs, fmt.Errorf("asset %s: %w", name, err))
			return
		}
		if h.New == nil {
			return
		}
		if info.Size() != a.Size {
			errs = append(errs, fmt.Errorf("asset %s: %s has %d bytes, manifest says %d", name, a.File, info.Size(), a.Size))
			return
		}
		f, err := fsys.Open(a.File)
		if err != nil {
			errs = append(errs, fmt.Errorf("asset %s: %w", name, err))
			return
		}
		defer f.Close()
		sum, err := h.Sum(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("asset %s: read %s: %w", name, a.File, err))
			return
		}
		if sum != a.Hash {
			errs = append(errs, fmt.Errorf("asset %s: %s has %s %s, manifest says %s", name, a.File, m.Hash, sum, a.Hash))
		}
		for _, enc := range a.Encodings {
			if err := verifySibling(fsys, h, a, enc); err != nil {
				errs = append(errs, fmt.Errorf("asset %s: %w", name, err))
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		check(name, m.Assets[name])
	}
	for _, g := range m.Generations {
		for _, name := range slices.Sorted(maps.Keys(g.Assets)) {
			// A kept generation of the query form shares its files with
			// the current build, so only renamed copies can be checked.
			if a := g.Assets[name]; a.File != name {
				check(name, a)
			}
		}
	}
	return errors.Join(errs...)
}

// verifySibling checks that the precompressed sibling of a in the encoding
// enc decompresses to the asset's bytes.
func verifySibling(fsys fs.FS, h strategy.Hash, a core.Asset, enc string) error {
	name := a.File + core.EncodingExt(enc)
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := coding.NewReader(enc, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d := h.New()
	n, err := io.Copy(d, r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if sum := hex.EncodeToString(d.Sum(nil)); n != a.Size || sum != a.Hash {
		return fmt.Errorf("%s decompresses to %d bytes with %s %s, manifest says %d bytes with %s", name, n, h.Name, sum, a.Size, a.Hash)
	}
	return nil
}
