package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/cachebust/cachebust/core"
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
	// core.ManifestName in the output directory.
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
	// source, changed originals.
	Written []string
	// Removed lists the files of builds no longer kept that were removed.
	Removed []string
}

// Dir builds the asset tree in the directory src into the directory
// out, which may be src itself, and writes the manifest.
//
// In the rename form it writes each renamed copy beside its original. When
// out differs from src it also copies the originals, so that plain URLs
// resolve there too. Every file is written to a temporary name and renamed
// into place, and all of them exist before the manifest that names them,
// which is written last, atomically. The files of the previous opts.Keep
// builds stay on disk and are listed in the manifest; older ones are
// removed only after the new manifest is in place.
//
// A build never fingerprints its own earlier outputs: the files the
// previous manifest records as written, and the manifest itself, are not
// inputs. If Dir fails, or the process is killed, the previous
// manifest and every file it names are as they were; the copies such a
// build wrote are recorded in .cachebust-pending.json before they are
// written, are not inputs either, and are removed by the next build or by
// Clean. Concurrent builds into the same output directory are
// serialized by a lock file, .cachebust.lock, on systems that support it.
func Dir(ctx context.Context, src, out string, opts DirOptions) (*Result, error) {
	if opts.Keep < 0 {
		return nil, fmt.Errorf("keep %d: want 0 or more earlier builds", opts.Keep)
	}
	var err error
	if opts.Options, err = opts.withDefaults(); err != nil {
		return nil, err
	}
	info, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("source directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("source directory %s: not a directory", src)
	}
	if out == "" {
		out = src
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	manifestPath := manifestPath(out, opts.Manifest)
	unlock, err := lockDir(out)
	if err != nil {
		return nil, err
	}
	defer unlock()

	old, err := readPrevious(manifestPath)
	if err != nil {
		return nil, err
	}
	pending, err := readPending(out)
	if err != nil {
		return nil, err
	}
	sameDir, err := samePath(src, out)
	if err != nil {
		return nil, err
	}
	skip, err := outputsIn(src, out, manifestPath, old, pending, sameDir)
	if err != nil {
		return nil, err
	}
	entries, err := build(ctx, os.DirFS(src), opts.Options, skip)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", src, err)
	}
	m := opts.manifest(entries)
	m.Originals = !sameDir

	res := &Result{Manifest: m, ManifestPath: manifestPath, Files: len(entries)}
	for _, e := range entries {
		res.Bytes += e.size
	}
	if err := checkCollisions(m, old); err != nil {
		return nil, err
	}
	m.Generations = generations(m, old, opts.Keep)
	var ws []work
	if !sameDir || opts.renames() || opts.Gzip || opts.Brotli {
		// In the query form in place there is nothing to write but the
		// manifest.
		ws = works(m, old, entries, sameDir)
	}
	if err := recordPending(out, old, m, ws, opts, pending); err != nil {
		return res, fmt.Errorf("record pending files: %w", err)
	}
	written, err := runWorks(ctx, src, out, m, ws, opts)
	res.Written = written
	if err != nil {
		return res, err
	}
	if err := syncOutputs(out, written); err != nil {
		return res, fmt.Errorf("sync outputs: %w", err)
	}

	data, err := m.Marshal()
	if err != nil {
		return res, err
	}
	if err := writeFileAtomic(manifestPath, data); err != nil {
		return res, fmt.Errorf("write manifest: %w", err)
	}
	res.Removed, err = removeDropped(out, dropped(old, m, pending))
	if err != nil {
		return res, err
	}
	return res, removePending(out)
}

// recordPending records, before a build writes anything, the files it may
// leave that no manifest names if it stops half-way: the files a build that
// stopped earlier left, the copies about to be written that the previous
// manifest does not name, and the files about to be dropped.
func recordPending(out string, old, m *core.Manifest, ws []work, opts DirOptions, pending []string) error {
	had := named(old)
	files := slices.Clone(pending)
	add := func(f string) {
		if !had[f] {
			files = append(files, f)
		}
	}
	for _, w := range ws {
		if w.original {
			add(w.name)
		}
		if w.file != w.name {
			add(w.file)
		}
		if compressible(w.name) {
			if opts.Gzip {
				add(w.file + core.EncodingExt(core.Gzip))
			}
			if opts.Brotli {
				add(w.file + core.EncodingExt(core.Brotli))
			}
		}
	}
	files = append(files, dropped(old, m, nil)...)
	if len(files) == 0 {
		return nil
	}
	return writePending(out, files)
}

// manifestPath returns where the manifest of the output directory out is:
// name, or by default core.ManifestName in out.
func manifestPath(out, name string) string {
	if name != "" {
		return name
	}
	return filepath.Join(out, core.ManifestName)
}

// readPrevious reads the manifest a build replaces, or returns nil if there
// is none. A manifest that exists but cannot be parsed stops the build: its
// files could not be told from inputs, nor kept.
func readPrevious(name string) (*core.Manifest, error) {
	m, err := core.ReadManifest(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w (fix or remove it to build afresh)", err)
	}
	return m, nil
}

// samePath reports whether the directories a and b are the same.
func samePath(a, b string) (bool, error) {
	ai, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	bi, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ai, bi), nil
}

// outputsIn returns the skip function that keeps a build's own outputs out
// of its inputs: the manifest, the files the previous manifest recorded as
// written, and the output directory if it lies inside the source.
func outputsIn(src, out, manifestPath string, old *core.Manifest, pending []string, sameDir bool) (func(string, bool) bool, error) {
	skipFiles := make(map[string]bool)
	skipDirs := make(map[string]bool)
	rel := func(p string) (string, bool) {
		absSrc, err1 := filepath.Abs(src)
		absP, err2 := filepath.Abs(p)
		if err1 != nil || err2 != nil {
			return "", false
		}
		r, err := filepath.Rel(absSrc, absP)
		if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	if r, ok := rel(manifestPath); ok {
		skipFiles[r] = true
	}
	if !sameDir {
		if r, ok := rel(out); ok {
			skipDirs[r] = true
		}
	}
	if old != nil && sameDir {
		for _, f := range old.Files() {
			skipFiles[f] = true
		}
	}
	if sameDir {
		for _, f := range pending {
			skipFiles[f] = true
		}
	}
	return func(name string, dir bool) bool {
		if dir {
			return skipDirs[name]
		}
		return skipFiles[name]
	}, nil
}

// checkCollisions fails if a file of the new build would overwrite a file
// the previous manifest names with other content, which happens only when
// a shortened hash collides.
func checkCollisions(m, old *core.Manifest) error {
	if old == nil {
		return nil
	}
	prev := make(map[string]string)
	for _, assets := range allAssets(old) {
		for name, a := range assets {
			if a.File != name {
				prev[a.File] = a.Hash
			}
		}
	}
	for name, a := range m.Assets {
		if h, ok := prev[a.File]; ok && a.File != name && h != a.Hash {
			return fmt.Errorf("asset %s: %s already holds other content (hash %s, now %s): use a longer hash length", name, a.File, h, a.Hash)
		}
	}
	return nil
}

// allAssets returns the asset maps of m's current build and generations.
func allAssets(m *core.Manifest) []map[string]core.Asset {
	all := []map[string]core.Asset{m.Assets}
	for _, g := range m.Generations {
		all = append(all, g.Assets)
	}
	return all
}

// work is what Dir writes for one asset.
type work struct {
	name string // logical path, which is also the source file
	file string // the asset's file in the output directory
	hash string
	data []byte // the served bytes, when they differ from the source
	// original asks for a copy of the original into a separate output
	// directory; it is skipped when the copy is already current.
	original bool
	// known reports that the previous manifest names file with the same
	// hash, with the encodings in prevEnc.
	known   bool
	prevEnc []string
}

// works lists the outputs of a build.
func works(m, old *core.Manifest, entries []entry, sameDir bool) []work {
	prev := make(map[string][]string) // file+hash -> encodings
	if old != nil {
		for _, assets := range allAssets(old) {
			for _, a := range assets {
				prev[a.File+"\x00"+a.Hash] = a.Encodings
			}
		}
	}
	ws := make([]work, len(entries))
	for i, e := range entries {
		a := m.Assets[e.name]
		enc, known := prev[a.File+"\x00"+a.Hash]
		ws[i] = work{name: e.name, file: a.File, hash: a.Hash, data: e.data, original: !sameDir, known: known, prevEnc: enc}
	}
	return ws
}

// runWorks does ws in parallel. It records the encodings written in m and
// returns the files written.
func runWorks(ctx context.Context, src, out string, m *core.Manifest, ws []work, opts DirOptions) ([]string, error) {
	var encodings []string
	if opts.Brotli {
		encodings = append(encodings, core.Brotli)
	}
	if opts.Gzip {
		encodings = append(encodings, core.Gzip)
	}
	written := make([][]string, len(ws))
	encs := make([][]string, len(ws))
	errs := make([]error, len(ws))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opts.Workers, max(len(ws), 1)) {
		wg.Go(func() {
			for i := range next {
				written[i], encs[i], errs[i] = ws[i].do(src, out, encodings)
			}
		})
	}
	for i := range ws {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var all []string
	for i, w := range ws {
		all = append(all, written[i]...)
		if a := m.Assets[w.name]; len(encs[i]) > 0 {
			a.Encodings = encs[i]
			m.Assets[w.name] = a
		}
	}
	for _, err := range errs {
		if err != nil {
			return all, fmt.Errorf("write outputs: %w", err)
		}
	}
	return all, ctx.Err()
}

// do writes w's outputs: the copy of the original, the renamed copy and
// the precompressed siblings in the encodings asked for. It returns the
// files written and the encodings the asset has.
func (w work) do(srcDir, outDir string, encodings []string) (written, encs []string, err error) {
	from := filepath.Join(srcDir, filepath.FromSlash(w.name))
	info, err := os.Stat(from)
	if err != nil {
		return nil, nil, err
	}
	// copied is the copy of the original this build wrote into a separate
	// output directory, if any.
	var copied string
	if w.original {
		to := filepath.Join(outDir, filepath.FromSlash(w.name))
		cur, err := os.Stat(to)
		if err != nil || cur.Size() != info.Size() || !cur.ModTime().Equal(info.ModTime()) {
			if err := copyFile(from, to, info); err != nil {
				return written, nil, err
			}
			if err := os.Chtimes(to, info.ModTime(), info.ModTime()); err != nil {
				return written, nil, err
			}
			written = append(written, w.name)
			copied = to
		}
	}
	to := filepath.Join(outDir, filepath.FromSlash(w.file))
	if w.file != w.name && !(w.known && exists(to)) {
		var err error
		switch {
		case w.data != nil:
			err = writeOutput(to, w.data)
		case copied != "" && linkAtomic(copied, to) == nil:
			// The renamed copy shares the bytes of the copy just
			// written: no second file to create. Every write into the
			// output directory replaces a file rather than changing it,
			// so the two never diverge.
		default:
			err = copyFile(from, to, info)
		}
		if err != nil {
			return written, nil, err
		}
		written = append(written, w.file)
	}
	if len(encodings) == 0 || !compressible(w.name) {
		return written, nil, nil
	}
	data := w.data
	for _, enc := range encodings {
		sibling := to + core.EncodingExt(enc)
		if w.known && slices.Contains(w.prevEnc, enc) && exists(sibling) {
			encs = append(encs, enc)
			continue
		}
		if data == nil {
			if data, err = os.ReadFile(from); err != nil {
				return written, nil, err
			}
		}
		z, err := compress(enc, data)
		if err != nil {
			return written, nil, fmt.Errorf("compress %s: %w", w.name, err)
		}
		if len(z) >= len(data) {
			continue
		}
		if err := writeOutput(sibling, z); err != nil {
			return written, nil, err
		}
		written = append(written, w.file+core.EncodingExt(enc))
		encs = append(encs, enc)
	}
	slices.Sort(encs)
	return written, encs, nil
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// linkAtomic makes to a hard link to from, replacing any file at to
// atomically. It fails where hard links are not supported, and the caller
// copies instead.
func linkAtomic(from, to string) error {
	dir, base := filepath.Split(to)
	tmp := filepath.Join(dir, ".cachebust-tmp-"+base+"-link")
	os.Remove(tmp)
	if err := os.Link(from, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, to); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// copyFile copies the file from, described by info, to the path to,
// atomically.
func copyFile(from, to string, info fs.FileInfo) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return writeAtomic(to, info.Mode().Perm()|0o444, false, func(w *os.File) error {
		_, err := io.Copy(w, f)
		return err
	})
}

// generations returns the generations the new manifest m keeps: the
// previous build and its kept generations, each less the files a newer
// build also has, without empty ones, at most keep of them.
func generations(m, old *core.Manifest, keep int) []core.Generation {
	if old == nil || keep == 0 {
		return nil
	}
	seen := make(map[string]bool)
	mark := func(assets map[string]core.Asset) {
		for _, a := range assets {
			seen[a.File+"\x00"+a.Hash] = true
		}
	}
	mark(m.Assets)
	var gens []core.Generation
	for _, assets := range allAssets(old) {
		g := core.Generation{Assets: make(map[string]core.Asset)}
		for name, a := range assets {
			if !seen[a.File+"\x00"+a.Hash] && a.File != name {
				g.Assets[name] = a
			}
		}
		mark(assets)
		if len(g.Assets) > 0 {
			gens = append(gens, g)
		}
		if len(gens) == keep {
			break
		}
	}
	return gens
}

// dropped returns the files in the output directory that m no longer
// needs: the renamed copies old names and m does not, when originals were
// copied the copies of originals m no longer has, and the files a build
// that stopped half-way left (pending) that m does not name.
func dropped(old, m *core.Manifest, pending []string) []string {
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

// removeDropped removes the files drop lists, relative to out.
func removeDropped(out string, drop []string) ([]string, error) {
	var removed []string
	var errs []error
	for _, f := range drop {
		err := os.Remove(filepath.Join(out, filepath.FromSlash(f)))
		switch {
		case err == nil:
			removed = append(removed, f)
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("remove old files: %w", err)
	}
	return removed, nil
}

// writeFileAtomic writes data to name through a temporary file in the same
// directory, synced before it is renamed into place.
func writeFileAtomic(name string, data []byte) error {
	return writeAtomic(name, 0o644, true, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// writeOutput writes data to name like writeFileAtomic, but leaves syncing
// to syncOutputs.
func writeOutput(name string, data []byte) error {
	return writeAtomic(name, 0o644, false, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// writeAtomic creates name with the content write gives it, atomically: a
// reader, or a build after this process was killed, sees the old file or
// the whole new one, never part of it; that takes only the rename. With
// durable it also syncs the file before the rename and its directory
// after, so that the same holds after a power failure. Outputs are written
// without, and made durable all at once by syncOutputs before the manifest
// that names them is written.
func writeAtomic(name string, perm fs.FileMode, durable bool, write func(*os.File) error) (err error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, ".cachebust-tmp-"+base+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return err
	}
	if !durable {
		return nil
	}
	return syncDir(dir)
}
