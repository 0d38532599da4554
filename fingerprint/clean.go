package fingerprint

import (
	"context"
	"fmt"
	"io/fs"
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
//
// Like Dir, it works through an os.Root opened on out: it removes only
// files inside out, looks for temporary files without following symbolic
// links or entering dot-directories, and never touches a manifest entry
// that is not a file (a URL in another tool's map). A manifest another
// tool wrote is refused with ErrForeignManifest.
func Clean(ctx context.Context, out string, opts CleanOptions) ([]string, error) {
	if opts.Keep < 0 {
		return nil, fmt.Errorf("keep %d: want 0 or more earlier builds", opts.Keep)
	}
	o, err := openOut(ctx, out, opts.Manifest, true, nil)
	if err != nil {
		return nil, err
	}
	defer o.close()
	removed := o.swept
	if o.old == nil {
		return removed, fmt.Errorf("read manifest %s: %w", o.manifest.path, fs.ErrNotExist)
	}
	m := o.old
	if len(m.Generations) > opts.Keep {
		trimmed := *m
		trimmed.Generations = m.Generations[:opts.Keep]
		if err := o.manifest.write(&trimmed); err != nil {
			return removed, err
		}
		m = &trimmed
	}
	dropped, err := removeDropped(o.root, dropped(o.old, m, o.pending))
	removed = append(removed, dropped...)
	if err != nil {
		return removed, err
	}
	return removed, removePending(o.root)
}
