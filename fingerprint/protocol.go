package fingerprint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/generations"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/internal/treeroot"
)

// Dir builds the asset tree in the directory src into the directory
// out, which may be src itself, and writes the manifest. An empty out
// means src: a build in place.
//
// In the rename form it writes each renamed copy beside its original (so
// that url(../fonts/x.woff2) inside a copied stylesheet still resolves).
// When out differs from src it also copies the originals, so that plain
// URLs resolve there too.
//
// A build writes in this order, each step one function (named in
// parentheses) of protocol.go:
//
//  1. Lock (lockOut): it takes an exclusive lock on .cachebust.lock in
//     out, so that two builds into one directory run one after the other,
//     and, while step 2 walks the source, removes the temporary files
//     (.cachebust-tmp-*) a killed build left.
//  2. Hash (dirBuild.scan): it hashes every file in parallel and rewrites
//     the references between them. With out apart from src, it first
//     records in .cachebust-pending.json (see step 3) the copies of
//     originals the previous manifest does not name, then writes each of
//     them, as a new file, as it reads and hashes its original
//     (writer.hashCopy): every original is read once, and its copy holds
//     exactly the bytes hashed. An unreadable file, or an output that
//     would replace a file of the source, stops the build: before
//     anything is written in place, and apart once the copies written
//     are removed.
//  3. Record (recordPending): it records in .cachebust-pending.json the
//     files it is about to write that the previous manifest does not name,
//     and those it will drop; if none, an empty list before its first
//     temporary file, so that the next build knows to look for temporary
//     files left throughout the tree.
//  4. Write (writer.write): it writes every output whose name the previous
//     manifest does not name (renamed copies, new originals not written in
//     step 2, their precompressed siblings) at that name, as a new file
//     (one there before, which the pending record lists, is removed
//     first); a renamed copy of an original copied in step 2 is a hard
//     link to that copy, made with one system call. An output
//     that replaces a file the previous manifest names with other bytes (a
//     changed original with out apart from src, a precompressed sibling in
//     the query form) is written to a temporary file only.
//  5. Sync (dirBuild.sync): the new manifest is written to a temporary
//     file, and one sync makes it and all of them durable (a manifest at
//     a path opts.Manifest names is synced on its own).
//  6. Commit (dirBuild.commit): the replacing outputs are renamed into
//     place, synced, and at once the manifest is renamed into place. So
//     the previous manifest never names other bytes than it records but
//     for the few renames of this step, rather than for the whole build.
//     (Only the query form has such outputs among the files its manifest
//     vouches for by hash: if the process is killed during these renames,
//     the previous manifest stays in place naming some of them, with their
//     new bytes, until a build finishes; the next build, finding the
//     pending record, writes them again rather than trust that manifest.)
//  7. Drop (dirBuild.drop): only then are the files of builds older than
//     opts.Keep, which the new manifest no longer lists, removed, and the
//     pending record with them.
//
// A reader therefore sees the old manifest or the new one, and every file
// the manifest it sees names exists. If Dir fails before step 6, it
// removes what it wrote, and the previous manifest and every file it names
// are as they were. If the process is killed, the next build (or Clean)
// removes its temporary files and the outputs the pending record lists
// that no manifest names. A source file that changes between steps 2 and 4
// fails the build with an error wrapping ErrChanged (run it again), unless
// its copy was written in step 2 from the bytes hashed.
//
// A build never fingerprints outputs: the files the previous manifest and
// the pending record name, and the manifest itself, are not inputs; with
// out apart from src, neither are the files an earlier build in place left
// in src, nor out when it lies inside src. Where out and the manifest lie is
// found by where their paths lead (links resolved, directories compared
// with os.SameFile), not by their spelling. An out that holds src is
// refused. A build never writes over a file of the source either: if an
// output would have the name of an input (a file the user named
// css/a-3f2a9c1b2c4d.css beside css/a.css, say) or, in place, of another
// file the walk left out, Dir fails naming it before it writes anything.
//
// With out apart from src, the copy of an original is kept only if the
// previous manifest recorded it with the hash of the original's bytes now
// and it has their size, or its bytes are the original's: a size and
// modification time that match prove nothing after cp -p, a tar
// extraction or SOURCE_DATE_EPOCH. A renamed copy whose bytes were not
// rewritten is a hard link to the original's copy (every write replaces a
// file, so the two never diverge). A renamed copy the previous manifest
// names is written again if it is missing or its size is not the
// manifest's. Concurrent builds into the same output directory are
// serialized by the lock file on systems that support it.
//
// Every file operation goes through an os.Root opened on src or out (but
// for the manifest at a path opts.Manifest names): no name that a
// manifest, a pending record or a symbolic link holds reaches outside
// them. A symbolic link in src that leads out of it is skipped
// with a warning. A manifest in place that another tool wrote (see
// ErrForeignManifest) stops the build before it writes anything.
func Dir(ctx context.Context, src, out string, opts DirOptions) (*Result, error) {
	if opts.Keep < 0 {
		return nil, fmt.Errorf("keep %d: want 0 or more earlier builds", opts.Keep)
	}
	var err error
	if opts.Options, err = opts.withDefaults(); err != nil {
		return nil, err
	}
	srcRoot, err := os.OpenRoot(src)
	if err != nil {
		return nil, fmt.Errorf("source directory: %w", err)
	}
	defer srcRoot.Close()
	if out == "" {
		out = src
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	o, err := lockOut(out, opts.Manifest) // step 1
	if err != nil {
		return nil, err
	}
	defer o.close()
	d := &dirBuild{src: treeroot.New(srcRoot), srcPath: src, outPath: out, out: o, opts: opts}
	defer d.src.Close()
	return d.run(ctx)
}

// dirBuild is one run of Dir.
type dirBuild struct {
	src              *treeroot.Root
	srcPath, outPath string
	out              *outDir
	opts             DirOptions
	// w is the build's writer, once made: by scan when it copies the
	// originals as it hashes them.
	w *writer
	// manifestData is the manifest in place once sync is done.
	manifestData []byte
}

// run does steps 2 to 7 of Dir, in order.
func (d *dirBuild) run(ctx context.Context) (*Result, error) {
	o, opts := d.out, d.opts
	sameDir, err := sameRoot(d.src.OS(), o.root)
	if err != nil {
		return nil, err
	}
	if !sameDir {
		if err := d.checkOverlap(); err != nil {
			return nil, err
		}
	}
	var keep *keeper
	if sameDir && (opts.renames() || opts.Gzip || opts.Brotli) {
		// Copies are written from the bytes hashed.
		keep = newKeeper()
	}
	// Step 2: hash (and, apart from the source, copy the originals).
	entries, others, err := d.scan(ctx, sameDir, keep)
	if err != nil {
		return nil, d.fail(err)
	}
	m := opts.manifest(entries)
	m.Originals = !sameDir
	res := &Result{Manifest: m, ManifestPath: o.manifest.path, Files: len(entries), Removed: o.swept}
	for _, e := range entries {
		res.Bytes += e.size
	}
	if err := checkCollisions(m, o.old); err != nil {
		return res, d.fail(err)
	}
	if err := d.checkOverwrites(m, others); err != nil {
		return res, d.fail(err)
	}
	if opts.renames() || o.old != nil && o.old.Form != m.Form {
		// Only renamed copies outlive their build.
		m.Generations = generations.Kept(m, o.old, opts.Keep)
	}
	var ws []work
	if !sameDir || opts.renames() || opts.Gzip || opts.Brotli {
		// In the query form in place there is nothing to write but the
		// manifest.
		ws = works(m, o.old, entries, sameDir, !o.hadPending)
	}
	w := d.w
	if w == nil {
		w = newWriter(d.src, o.tree, named(o.old), !o.hadPending, opts)
	}
	// Step 3: record.
	if err := recordPending(o, m, ws, w); err != nil {
		err = d.fail(fmt.Errorf("record pending files: %w", err))
		res.Written = w.written
		return res, err
	}
	// Steps 4 to 6: write, sync, commit.
	if err = w.write(ctx, m, ws); err != nil {
		w.rollback(o)
	} else {
		var manifest *tempFile
		if manifest, err = d.sync(w, m); err == nil {
			err = d.commit(w, manifest)
		}
	}
	res.Written = w.written
	if err != nil {
		return res, err
	}
	if sameDir && opts.graphOnly() && !opts.renames() {
		writeGraphRecord(o.root, d.manifestData, opts.Options)
	}
	// Step 7: drop.
	removed, err := d.drop(m)
	res.Removed = append(res.Removed, removed...)
	return res, err
}

// fail removes what the build wrote before step 3, the copies of
// originals that scan wrote, if any, and returns err.
func (d *dirBuild) fail(err error) error {
	if d.w != nil && len(d.w.written) > 0 {
		d.w.rollback(d.out)
	}
	return err
}

// recordPending records, before a build writes anything, the files it may
// leave that no manifest names if it stops half-way: the files a build that
// stopped earlier left, the copies about to be written that the previous
// manifest does not name, and the files about to be dropped. If there are
// none, the writer records an empty list before its first temporary file,
// so that the next build knows to look for them. Step 3 of Dir.
func recordPending(o *outDir, m *core.Manifest, ws []work, w *writer) error {
	had := w.serves // the files the previous manifest names
	files := slices.Clone(o.pending)
	add := func(f string) {
		if !had[f] {
			files = append(files, f)
		}
	}
	for _, wk := range ws {
		if wk.original || wk.copied {
			add(wk.name)
		}
		if wk.file != wk.name {
			add(wk.file)
		}
		if compressible(wk.name) {
			for _, enc := range w.encodings {
				add(wk.file + precompressed.Ext(enc))
			}
		}
	}
	files = append(files, dropped(o.old, m, nil)...)
	if len(files) == 0 {
		w.record = func() error { return writePending(o.root, nil) }
		return nil
	}
	return writePending(o.root, files)
}

// sync writes the manifest m to a temporary file and makes it and the
// outputs w wrote durable, and returns it; step 5 of Dir. A manifest in the
// output directory is made durable by the one sync of the outputs; one
// elsewhere (DirOptions.Manifest) is synced on its own. It returns nil and
// no error when there is nothing to put in place: nothing staged, and a
// manifest with the bytes of the one in place. If it fails, it removes
// what w wrote.
func (d *dirBuild) sync(w *writer, m *core.Manifest) (manifest *tempFile, err error) {
	o := d.out
	defer func() {
		if err != nil {
			if manifest != nil {
				manifest.discard()
			}
			manifest = nil
			w.rollback(o)
		}
	}()
	if err := o.tree.CheckDirs(); err != nil {
		return nil, err
	}
	data, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	d.manifestData = data
	unsynced := w.unsynced()
	if len(w.staged) > 0 || o.oldData == nil || !bytes.Equal(data, o.oldData) {
		inOut := !o.manifest.named
		if manifest, err = o.manifest.prepare(data, !inOut); err != nil {
			return nil, err
		}
		if inOut {
			unsynced = append(unsynced, filepath.ToSlash(manifest.tmp))
		}
	}
	if err := syncOutputs(o.root, unsynced); err != nil {
		return manifest, fmt.Errorf("sync outputs: %w", err)
	}
	return manifest, nil
}

// commit renames the outputs w staged into place, then the manifest, a
// temporary file from sync (nil if there is none); step 6 of Dir. If a
// rename of an output fails, it removes what w wrote.
func (d *dirBuild) commit(w *writer, manifest *tempFile) error {
	if manifest == nil {
		return nil
	}
	if err := w.commit(); err != nil {
		manifest.discard()
		w.rollback(d.out)
		return fmt.Errorf("write outputs: %w", err)
	}
	if err := manifest.commit(); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// drop removes the files of the output directory that the new manifest m
// no longer needs (see dropped), then the pending record, and returns the
// files removed; step 7 of Dir.
func (d *dirBuild) drop(m *core.Manifest) ([]string, error) {
	o := d.out
	removed, err := removeDropped(o.root, dropped(o.old, m, o.pending))
	if err != nil {
		return removed, err
	}
	return removed, removePending(o.root)
}

// removeDropped removes the files drop lists from root.
func removeDropped(root *os.Root, drop []string) ([]string, error) {
	var removed []string
	var errs []error
	for _, f := range drop {
		err := root.Remove(filepath.FromSlash(f))
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
