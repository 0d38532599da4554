package fingerprint

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/precompressed"
)

// DefaultKeep is how many earlier builds the command line keeps on disk
// unless told otherwise: enough for a rolling deploy that overlaps two
// builds.
const DefaultKeep = 2

// DirOptions configure Dir.
type DirOptions struct {
	// Options configure how files are found, hashed, named and rewritten.
	Options
	// Manifest is where the manifest is written; empty means
	// core.ManifestName in the output directory. It may lie outside the
	// output directory, and is the one path Dir opens as given.
	Manifest string
	// Keep is how many earlier builds keep their files on disk besides the
	// new one, for pages still using them; 0 keeps none.
	Keep int
	// Gzip and Brotli write precompressed siblings, File+".gz" and
	// File+".br", of text-like assets where they are smaller.
	Gzip, Brotli bool
}

// Result describes what Dir did.
type Result struct {
	// Manifest is the manifest written.
	Manifest *core.Manifest
	// ManifestPath is where it was written.
	ManifestPath string
	// Files and Bytes count the assets built.
	Files int
	Bytes int64
	// Written lists the files written, relative to the output directory:
	// new renamed copies and, with an output directory apart from the
	// source, changed originals. After a failed build it lists those
	// left: the build removes the others.
	Written []string
	// Removed lists the files removed, relative to the output directory:
	// those of builds no longer kept, and those a killed or failed build
	// left behind (a temporary file beside a manifest kept elsewhere is
	// given by its path).
	Removed []string
}

// scan walks and hashes the source and rewrites its references, as build
// does, leaving the build's outputs out of its inputs (see outputs). With
// the output directory apart from the source, it copies the originals
// there as it hashes them (see writer.hashCopy), with the writer it makes
// for the build, d.w; if it fails, the caller removes what d.w wrote. The
// output directory is loaded (outDir.load) while the source is walked:
// the manifest in place is read and parsed on one goroutine while the
// walk, which reads directories one after another, keeps another busy.
// In place, it also returns the other files of the source that the walk
// met and the manifest in place does not account for (see list), which
// the build must not overwrite.
func (d *dirBuild) scan(ctx context.Context, sameDir bool, keep *keeper) ([]entry, []string, error) {
	var recorded []string
	loaded := make(chan error, 1)
	go func() {
		err := d.out.load(ctx, false, d.opts.excluded)
		if err == nil && !sameDir {
			recorded = readRecords(d.src.OS())
		}
		loaded <- err
	}()
	skipDir, err := d.outInSource(sameDir)
	if err != nil {
		<-loaded
		return nil, nil, err
	}
	var others []string
	names, err := list(ctx, d.src, d.opts.Options, func(name string, dir bool) bool { return dir && name == skipDir }, &others)
	if lerr := <-loaded; lerr != nil {
		return nil, nil, lerr
	}
	if keep != nil && d.out.old != nil {
		keep.unchanged = d.out.old.Assets
	}
	if err != nil {
		return nil, nil, fmt.Errorf("build %s: %w", d.srcPath, err)
	}
	isOutput := d.outputs(sameDir, recorded)
	names = slices.DeleteFunc(names, isOutput)
	if sameDir {
		others = slices.DeleteFunc(others, isOutput)
	} else {
		others = nil // they stay in the source; nothing is written there
	}
	var entries []entry
	if sameDir {
		entries, err = hashAll(ctx, d.src, d.opts.Options, names, keep, reusableGraphs(d.out, names, d.opts.Options))
	} else {
		// Apart from the source, the originals are copied as they are
		// hashed: each is read once.
		d.w = newWriter(d.src, d.out.tree, named(d.out.old), !d.out.hadPending, d.opts)
		if err = recordOriginals(d.out, d.w, names); err != nil {
			return nil, nil, err
		}
		entries, err = d.w.hashCopy(ctx, names, d.opts.Options, d.opts.renames() && !d.opts.NoRewrite)
	}
	if err == nil {
		err = d.opts.rewrite(d.src, entries)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("build %s: %w", d.srcPath, err)
	}
	if !sameDir {
		// The copies are written from the source or from the copies of
		// originals: only rewritten bytes are kept.
		for i := range entries {
			entries[i].content, entries[i].found = nil, nil
		}
	}
	return entries, others, nil
}

// outputs returns the function that tells a build's outputs among the
// files of its source: the manifest, the files the previous manifest and
// the pending record name and, when out is apart from src, recorded, what
// an earlier build in place left in src. Paths are compared by where they
// lead, not by how the user spelled them (see within).
func (d *dirBuild) outputs(sameDir bool, recorded []string) func(string) bool {
	skip := make(map[string]bool)
	if r, ok := d.manifestInSource(); ok {
		skip[r] = true
	}
	if sameDir {
		recorded = append(d.out.old.Files(), d.out.pending...)
	}
	for _, f := range recorded {
		skip[f] = true
	}
	return func(name string) bool { return skip[name] }
}

// checkOverlap refuses an output directory apart from the source that
// holds it: the copies of the source's files would land on the source's
// own files (with -out P P/static, the copy of static/a.css on
// P/static/a.css), and the removal of dropped copies would remove them.
func (d *dirBuild) checkOverlap() error {
	outInfo, err := d.out.root.Stat(".")
	if err != nil {
		return fmt.Errorf("output directory %s: %w", d.outPath, err)
	}
	if _, ok := within(outInfo, d.srcPath); ok {
		return fmt.Errorf("output directory %s holds the source directory %s: build in place, or into a directory that does not hold the source", d.outPath, d.srcPath)
	}
	return nil
}

// outInSource returns where the output directory lies in the source, as
// the walk of the source names it, or "" if it lies outside it or is the
// source itself.
func (d *dirBuild) outInSource(sameDir bool) (string, error) {
	if sameDir {
		return "", nil
	}
	srcInfo, err := d.src.OS().Stat(".")
	if err != nil {
		return "", fmt.Errorf("source directory %s: %w", d.srcPath, err)
	}
	r, _ := within(srcInfo, d.outPath)
	return r, nil
}

// manifestInSource returns where the manifest lies in the source, as the
// walk of the source names it, if it does.
func (d *dirBuild) manifestInSource() (string, bool) {
	srcInfo, err := d.src.OS().Stat(".")
	if err != nil {
		return "", false
	}
	p := d.out.manifest.path
	r, ok := within(srcInfo, filepath.Dir(p))
	if !ok {
		return "", false
	}
	return path.Join(r, filepath.Base(p)), true
}

// checkOverwrites fails if an output of the build m would replace a file
// that is not an output: an input, or another file of the source in
// others. A renamed copy is written at a name the user may have given a
// file of their own (css/a-3f2a9c1b2c4d.css beside css/a.css, or
// css/a.css.gz beside css/a.css with -gzip); replacing it would lose it.
// It names the first such file in sorted order.
func (d *dirBuild) checkOverwrites(m *core.Manifest, others []string) error {
	var exts []string
	if d.opts.Brotli {
		exts = append(exts, precompressed.Ext(core.Brotli))
	}
	if d.opts.Gzip {
		exts = append(exts, precompressed.Ext(core.Gzip))
	}
	if !d.opts.renames() && len(exts) == 0 {
		return nil // every output is an original
	}
	other := make(map[string]bool, len(others))
	for _, f := range others {
		other[f] = true
	}
	taken := func(f string) bool {
		_, input := m.Assets[f]
		return input || other[f]
	}
	// The first asset in sorted order with an output in the way, and it.
	var first, file, what string
	for name, a := range m.Assets {
		if first != "" && name > first {
			continue
		}
		if a.File != name && taken(a.File) {
			first, file, what = name, a.File, "the renamed copy of "+name
			continue
		}
		if !compressible(name) {
			continue
		}
		for _, ext := range exts {
			if taken(a.File + ext) {
				first, file, what = name, a.File+ext, "the "+ext+" sibling of "+a.File
				break
			}
		}
	}
	if first == "" {
		return nil
	}
	return fmt.Errorf("%s: a file in %s has the name of %s, which would replace it: rename the file, or remove it if an earlier build whose manifest is gone wrote it", file, d.srcPath, what)
}

// sameRoot reports whether the roots a and b are the same directory.
func sameRoot(a, b *os.Root) (bool, error) {
	ai, err := a.Stat(".")
	if err != nil {
		return false, err
	}
	bi, err := b.Stat(".")
	if err != nil {
		return false, err
	}
	return os.SameFile(ai, bi), nil
}

// within returns the path p, a directory the user named, relative to the
// directory dir, slash-separated, if it lies inside dir: "." if it is dir.
// It compares where paths lead, not how they are spelled: p's symbolic
// links are resolved, and each directory above it is compared with dir as
// a file (os.SameFile), so that a link to a directory inside dir, or dir
// reached by another path, is found inside dir.
func within(dir fs.FileInfo, p string) (string, bool) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", false
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", false
	}
	for a := real; ; {
		if info, err := os.Stat(a); err == nil && os.SameFile(info, dir) {
			r, err := filepath.Rel(a, real)
			if err != nil {
				return "", false
			}
			return filepath.ToSlash(r), true
		}
		parent := filepath.Dir(a)
		if parent == a {
			return "", false
		}
		a = parent
	}
}

// checkCollisions fails if a file of the new build would overwrite a file
// the previous manifest names with other content, which happens only when
// a shortened hash collides.
func checkCollisions(m, old *core.Manifest) error {
	if old == nil {
		return nil
	}
	prev := make(map[string]string)
	for _, assets := range old.Builds() {
		for name, a := range assets {
			if a.File != name {
				prev[a.File] = a.Hash
			}
		}
	}
	if len(prev) == 0 {
		return nil // no renamed copies to overwrite
	}
	var first string // the first colliding asset in sorted order
	for name, a := range m.Assets {
		if h, ok := prev[a.File]; ok && a.File != name && h != a.Hash && (first == "" || name < first) {
			first = name
		}
	}
	if first == "" {
		return nil
	}
	a := m.Assets[first]
	return fmt.Errorf("asset %s: %s already holds other content (hash %s, now %s): use a longer hash length", first, a.File, prev[a.File], a.Hash)
}

// dropped returns the files in the output directory that m no longer
// needs: the renamed copies old names and m does not, when originals were
// copied the copies of originals m no longer has, and the files a build
// that stopped half-way left (pending) that m does not name.
func dropped(old, m *core.Manifest, pending []string) []string {
	if old == nil && len(pending) == 0 {
		return nil // nothing to drop, and no set of m's files to build
	}
	keep := named(m)
	var drop []string
	if old != nil {
		drop = slices.DeleteFunc(old.Files(), func(f string) bool { return keep[f] })
		if old.Originals && m.Originals {
			for name := range old.Assets {
				if !keep[name] {
					drop = append(drop, name)
				}
			}
		}
	}
	for _, f := range pending {
		if !keep[f] {
			drop = append(drop, f)
		}
	}
	slices.Sort(drop)
	return slices.Compact(drop)
}
