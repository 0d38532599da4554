package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachebust/cachebust/core"
)

// CleanOptions configure Clean.
type CleanOptions struct {
	// Manifest is the manifest of the output directory; empty means
	// core.ManifestName in it.
	Manifest string
	// Keep is how many earlier builds keep their files; 0 keeps none.
	Keep int
}

// Clean trims the manifest of the output directory out to opts.Keep
// generations and removes the files the dropped generations had, and any
// files a killed or failed build left behind: its temporary files and the
// copies no manifest names. It takes the same lock as Dir. It returns the
// files removed, relative to out.
func Clean(ctx context.Context, out string, opts CleanOptions) ([]string, error) {
	if opts.Keep < 0 {
		return nil, fmt.Errorf("keep %d: want 0 or more earlier builds", opts.Keep)
	}
	manifestPath := manifestPath(out, opts.Manifest)
	unlock, err := lockDir(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	old, err := core.ReadManifest(manifestPath)
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
