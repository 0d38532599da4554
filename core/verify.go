package core

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/strategy"
)

// Verify checks that every file m names exists in fsys with the size and
// hash m records: the current build's files and the renamed copies of kept
// generations. It returns every problem found, joined, each naming the file
// and the asset.
func Verify(fsys fs.FS, m *Manifest) error {
	var h strategy.Hash
	if m.Hash != "" {
		var err error
		if h, err = strategy.HashByName(m.Hash); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	var errs []error
	check := func(name string, a Asset) {
		if a.URL != "" {
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
	for _, name := range sortedKeys(m.Assets) {
		check(name, m.Assets[name])
	}
	for _, g := range m.Generations {
		for _, name := range sortedKeys(g.Assets) {
			// A kept generation of the query form shares its files with
			// the current build, so only renamed copies can be checked.
			if a := g.Assets[name]; a.File != name {
				check(name, a)
			}
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Clean trims the manifest of the output directory out to opts.Keep
// generations and removes the files the dropped generations had, and any
// files a killed or failed build left behind: its temporary files and the
// copies no manifest names. It takes the same lock as
// BuildDir. It returns the files removed, relative to out.
func Clean(ctx context.Context, out string, opts BuildOptions) ([]string, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	manifestPath := opts.manifestPath(out)
	unlock, err := lockDir(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	old, err := ReadManifest(manifestPath)
	if err != nil {
		return nil, err
	}
	pending, err := readPending(out)
	if err != nil {
		return nil, err
	}
	m := old
	if len(old.Generations) > opts.Keep {
		trimmed := *old
		trimmed.Generations = old.Generations[:opts.Keep]
		data, err := trimmed.Marshal()
		if err != nil {
			return nil, err
		}
		if err := writeFileAtomic(manifestPath, data); err != nil {
			return nil, fmt.Errorf("write manifest: %w", err)
		}
		m = &trimmed
	}
	removed, err := removeDropped(out, dropped(old, m, pending))
	if err != nil {
		return removed, err
	}
	if err := removePending(out); err != nil {
		return removed, err
	}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".cachebust-tmp-") {
			if err := os.Remove(p); err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			removed = append(removed, filepath.ToSlash(rel))
		}
		return ctx.Err()
	})
	return removed, err
}

// verifySibling checks that the precompressed sibling of a in the encoding
// enc decompresses to the asset's bytes.
func verifySibling(fsys fs.FS, h strategy.Hash, a Asset, enc string) error {
	name := a.File + EncodingExt(enc)
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader
	switch enc {
	case Gzip:
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r = zr
	case Brotli:
		r = brotli.NewReader(f)
	default:
		return fmt.Errorf("%s: unknown encoding %q", name, enc)
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
