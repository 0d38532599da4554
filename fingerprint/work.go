package fingerprint

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/parallel"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/internal/treeroot"
	"github.com/cachebust/cachebust/strategy"
)

// work is what Dir writes for one asset.
type work struct {
	name string // logical path, which is also the source file
	file string // the asset's file in the output directory
	hash string
	data []byte // the served bytes, when they differ from the source
	// content is the source's bytes as hashed, if the build kept them,
	// and perm the permissions of its copies.
	content []byte
	perm    fs.FileMode
	// size is the length of the served bytes.
	size int64
	// original asks for a copy of the original into a separate output
	// directory; it is skipped when the copy is already current (see
	// copyOriginal). vouched reports that the previous manifest recorded
	// the copy there with the hash of the original's bytes now.
	original, vouched bool
	// known reports that the previous manifest names file with the same
	// hash, with the encodings in prevEnc.
	known   bool
	prevEnc []string
	// copied reports that the build copied the original into the output
	// directory as it hashed it (see writer.hashCopy): the copy holds the
	// bytes hashed.
	copied bool
}

// works lists the outputs of a build. With trusted, the files the previous
// manifest names hold the bytes it records, but for changes by hand:
// no build stopped half-way since it was written (see writer.trusted).
func works(m, old *core.Manifest, entries []entry, sameDir, trusted bool) []work {
	prev := make(map[string][]string) // file+hash -> encodings
	if old != nil {
		for _, assets := range old.Builds() {
			for _, a := range assets {
				prev[a.File+"\x00"+a.Hash] = a.Encodings
			}
		}
	}
	ws := make([]work, len(entries))
	for i, e := range entries {
		a := m.Assets[e.name]
		enc, known := prev[a.File+"\x00"+a.Hash]
		ws[i] = work{name: e.name, file: a.File, hash: a.Hash, size: a.Size, data: e.data, original: !sameDir && !e.copied, known: known, prevEnc: enc, copied: e.copied}
		if trusted && ws[i].original && e.data == nil && old != nil && old.Originals {
			// The hash of a rewritten asset is that of its rewritten
			// bytes, which says nothing of its original's.
			prev, ok := old.Assets[e.name]
			ws[i].vouched = ok && prev.Hash == a.Hash
		}
		if e.content != nil && e.data == nil {
			ws[i].content, ws[i].perm = e.content, e.mode.Perm()|0o444
		}
	}
	return ws
}

// writer writes the outputs of a build into the output directory (step 4
// of Dir) and renames those it staged into place (step 6).
type writer struct {
	src, out *treeroot.Root
	// serves is the set of files the manifest in place names. An output
	// that replaces one of them is staged: written to a temporary file and
	// renamed into place by commit, just before the new manifest.
	serves map[string]bool
	// trusted reports that the files serves names hold the bytes the
	// manifest in place records, but for changes by hand: no build
	// stopped half-way since it was written. One killed while it renamed
	// the outputs that replace such files (step 6 of Dir) leaves some
	// with new bytes; until a build finishes, none is kept for the hash
	// the manifest records.
	trusted   bool
	encodings []string
	hash      strategy.Hash
	workers   int
	progress  func(Progress)
	// record, if set, writes the pending record before the first
	// temporary file (see recordPending).
	record     func() error
	recordOnce sync.Once
	recordErr  error
	made       sync.Map // directories of out known to be there
	// created lists the directories of out this writer made, for rollback
	// to remove.
	createdMu sync.Mutex
	created   []string

	written []string    // files in place, relative to out, in work order
	staged  []*tempFile // files for commit to rename into place
}

func newWriter(src, out *treeroot.Root, serves map[string]bool, trusted bool, opts DirOptions) *writer {
	w := &writer{src: src, out: out, serves: serves, trusted: trusted, hash: opts.Hash, workers: opts.Workers, progress: opts.Progress}
	if opts.Brotli {
		w.encodings = append(w.encodings, core.Brotli)
	}
	if opts.Gzip {
		w.encodings = append(w.encodings, core.Gzip)
	}
	return w
}

// outputs are what the writer wrote for one work.
type outputs struct {
	written []string
	staged  []*tempFile
	encs    []string // the encodings the asset has, sorted
}

// write does ws in parallel and records in m the encodings written.
func (w *writer) write(ctx context.Context, m *core.Manifest, ws []work) error {
	// What each group wrote, in the order of its works: one record per
	// group rather than per work, since a build of many files keeps them
	// all until the end.
	type groupOutputs struct {
		written []string
		staged  []*tempFile
		encs    map[int][]string // by index in ws
	}
	prog := newProgress(w.progress, PhaseWrite, len(ws))
	defer prog.stop()
	groups := w.groups(ws)
	outs := make([]groupOutputs, len(groups))
	err := parallel.For(ctx, w.workers, len(groups), func(ctx context.Context, g int) error {
		out := &outs[g]
		for _, i := range groups[g] {
			o, err := w.do(ctx, prog, ws[i])
			out.written = append(out.written, o.written...)
			out.staged = append(out.staged, o.staged...)
			if err != nil {
				return err
			}
			if len(o.encs) > 0 {
				if out.encs == nil {
					out.encs = make(map[int][]string)
				}
				out.encs[i] = o.encs
			}
			written := len(o.written)+len(o.staged) > 0
			var n int64
			if written {
				n = m.Assets[ws[i].name].Size
			}
			prog.done(ws[i].name, ws[i].file, n, written)
		}
		return nil
	})
	for _, o := range outs {
		w.written = append(w.written, o.written...)
		w.staged = append(w.staged, o.staged...)
		for i, encs := range o.encs {
			a := m.Assets[ws[i].name]
			a.Encodings = encs
			m.Assets[ws[i].name] = a
		}
	}
	slices.SortFunc(w.staged, func(a, b *tempFile) int { return cmp.Compare(a.name, b.name) })
	var changed *changedError
	if errors.As(err, &changed) {
		return changed
	}
	if err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	return nil
}

// groups returns the indexes of ws in the groups the writer's workers
// take one at a time. Two processes creating files in one directory wait
// on the directory's lock in the kernel, spinning on it, and a rename
// build of many files spent much of its time there, well behind cp -r
// (docs/PERFORMANCE.md has the figures). So each directory's outputs are
// one group, written by one worker. With precompression, which is most
// of the work and is done before a file is created, each output is a
// group of its own.
func (w *writer) groups(ws []work) [][]int {
	groups := make([][]int, 0, len(ws))
	if len(w.encodings) > 0 {
		for i := range ws {
			groups = append(groups, []int{i})
		}
		return groups
	}
	byDir := make(map[string]int)
	for i, wk := range ws {
		dir := path.Dir(wk.file)
		g, ok := byDir[dir]
		if !ok {
			g = len(groups)
			byDir[dir] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}

// unsynced returns the files written and staged, relative to out.
func (w *writer) unsynced() []string {
	names := slices.Clone(w.written)
	for _, t := range w.staged {
		names = append(names, filepath.ToSlash(t.tmp))
	}
	return names
}

// commit renames the staged files into place, in name order, and makes the
// renames durable.
func (w *writer) commit() error {
	var done []string
	for len(w.staged) > 0 {
		t := w.staged[0]
		if err := t.commit(); err != nil {
			return err
		}
		w.staged = w.staged[1:]
		done = append(done, filepath.ToSlash(t.name))
		w.written = append(w.written, filepath.ToSlash(t.name))
	}
	return syncOutputs(w.out.OS(), done)
}

// rollback removes what the writer wrote that the manifest in place does
// not name, the staged files and the directories it made that are empty
// then, and, if nothing is left, restores the pending record of the output
// directory o to what it was before the build.
func (w *writer) rollback(o *outDir) {
	for _, t := range w.staged {
		t.discard()
	}
	w.staged = nil
	var kept, left []string
	for _, f := range w.written {
		if w.serves[f] {
			// A file the manifest in place names, written again with the
			// same bytes because it was missing.
			kept = append(kept, f)
			continue
		}
		if err := w.out.OS().Remove(filepath.FromSlash(f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			left = append(left, f)
		}
	}
	w.written = append(kept, left...)
	w.removeCreated()
	switch {
	case len(left) > 0:
	case o.hadPending:
		writePending(o.root, o.pending)
	default:
		removePending(o.root)
	}
}

// recorded makes sure the pending record is written before the first
// temporary file.
func (w *writer) recorded() error {
	w.recordOnce.Do(func() {
		if w.record != nil {
			w.recordErr = w.record()
		}
	})
	return w.recordErr
}

// do writes the outputs of one asset: the copy of the original, the
// renamed copy and the precompressed siblings in the writer's encodings,
// reporting compression to prog.
func (w *writer) do(ctx context.Context, prog *progress, wk work) (outputs, error) {
	var o outputs
	if wk.copied {
		return o, w.writeFromCopy(ctx, prog, &o, wk)
	}
	if wk.content != nil && !wk.original {
		return o, w.writeKept(ctx, prog, &o, wk)
	}
	// One open of the source serves its mode, its modification time and
	// every copy of it.
	f, err := w.src.Open(wk.name)
	if err != nil {
		return o, err
	}
	defer f.Close()
	src := f.(*os.File) // a treeroot.Root opens through os.Root
	info, err := src.Stat()
	if err != nil {
		return o, err
	}
	var copied string // the name in out of the original's copy just written
	if wk.original {
		if copied, err = w.copyOriginal(&o, wk, src, info); err != nil {
			return o, err
		}
	}
	if err := w.writeRenamed(&o, wk, src, info, copied); err != nil {
		return o, err
	}
	if len(w.encodings) > 0 && compressible(wk.name) {
		err = w.writeSiblings(ctx, prog, &o, wk)
	}
	return o, err
}

// copied reports whether wk needs no renamed copy written: the form keeps
// its name, or the previous build wrote the same file and it is there
// with the size the manifest records. A file of another size cannot hold
// the bytes its name's hash names: it is written again. (One changed but
// of the same size is not found without reading it; Verify finds it.)
func (w *writer) copied(wk work) bool {
	if wk.file == wk.name {
		return true
	}
	if !wk.known {
		return false
	}
	info, err := w.out.Stat(wk.file)
	return err == nil && info.Mode().IsRegular() && info.Size() == wk.size
}

// writeKept writes the renamed copy and the precompressed siblings of wk
// from the bytes the build hashed.
func (w *writer) writeKept(ctx context.Context, prog *progress, o *outputs, wk work) error {
	if !w.copied(wk) {
		if _, err := w.put(o, wk.file, wk.perm, writeBytes(wk.content)); err != nil {
			return err
		}
	}
	if len(w.encodings) > 0 && compressible(wk.name) {
		return w.writeSiblings(ctx, prog, o, wk)
	}
	return nil
}

// writeFromCopy writes the renamed copy and the precompressed siblings of
// wk, whose original the build copied into the output directory as it
// hashed it: a renamed copy of the original's bytes is a hard link to that
// copy, made with one system call, or where hard links fail a copy of it.
func (w *writer) writeFromCopy(ctx context.Context, prog *progress, o *outputs, wk work) error {
	switch {
	case w.copied(wk):
	case wk.data != nil:
		if _, err := w.put(o, wk.file, 0o644, writeBytes(wk.data)); err != nil {
			return err
		}
	case w.serves[wk.file]:
		// It replaces a file the manifest in place names: atomically.
		if err := w.out.SameDir(wk.name, wk.file, func(r *os.Root, from, to string) error { return linkAtomic(r, from, to) }); err != nil {
			return w.copyFromCopy(o, wk)
		}
		o.written = append(o.written, wk.file)
	default:
		if err := w.recorded(); err != nil {
			return err
		}
		if err := w.out.LinkNew(wk.name, wk.file); err != nil {
			return w.copyFromCopy(o, wk)
		}
		o.written = append(o.written, wk.file)
	}
	if len(w.encodings) > 0 && compressible(wk.name) {
		return w.writeSiblings(ctx, prog, o, wk)
	}
	return nil
}

// copyFromCopy writes the renamed copy of wk from the copy of its original
// that the build wrote, checking its hash as it copies it.
func (w *writer) copyFromCopy(o *outputs, wk work) error {
	f, err := open(w.out, wk.name)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = w.put(o, wk.file, info.Mode().Perm()|0o444, w.copyChecked(wk, f))
	return err
}

// copyOriginal copies the original of wk into a separate output directory
// unless the copy there is known to hold its bytes, and returns the name in
// out of the copy written, or "" if none was.
//
// A size and modification time that match prove nothing: a file changed
// without changing its size keeps its time under SOURCE_DATE_EPOCH, in a
// Nix store, after cp -p or a tar extraction. So the copy is kept only if
// it has the original's size and either the previous manifest recorded it
// with the hash of the original's bytes now (vouched: that build wrote or
// kept it, checking the hash), or its bytes are the original's, compared.
func (w *writer) copyOriginal(o *outputs, wk work, src *os.File, info fs.FileInfo) (string, error) {
	if cur, err := w.out.Stat(wk.name); err == nil && cur.Mode().IsRegular() && cur.Size() == info.Size() {
		if wk.vouched {
			return "", nil
		}
		same, err := w.sameBytes(wk.name, src)
		if err != nil {
			return "", err
		}
		if same {
			return "", nil
		}
	}
	if err := w.mkdirAll(path.Dir(wk.name)); err != nil {
		return "", err
	}
	copied, err := w.copySource(o, wk, src, wk.name, info)
	if err != nil {
		return "", err
	}
	return copied, w.out.Chtimes(copied, info.ModTime(), info.ModTime())
}

// sameBytes reports whether the file name of out holds the bytes of the
// open file src, read from its start.
func (w *writer) sameBytes(name string, src *os.File) (bool, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	cur, err := open(w.out, name)
	if err != nil {
		return false, nil // written again
	}
	defer cur.Close()
	a, b := copyBuffers.Get().(*[]byte), copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(a)
	defer copyBuffers.Put(b)
	for {
		n, err := io.ReadFull(src, *a)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return false, fmt.Errorf("read %s: %w", name, err)
		}
		m, cerr := io.ReadFull(cur, (*b)[:max(n, 1)])
		if cerr != nil && cerr != io.EOF && cerr != io.ErrUnexpectedEOF {
			return false, nil // written again
		}
		if n == 0 {
			return m == 0, nil
		}
		if m != n || !bytes.Equal((*a)[:n], (*b)[:m]) {
			return false, nil
		}
		if n < len(*a) {
			m, _ := io.ReadFull(cur, (*b)[:1])
			return m == 0, nil
		}
	}
}

// mkdirAll makes the directory dir of out, once, and records the
// directories it creates.
func (w *writer) mkdirAll(dir string) error {
	if _, done := w.made.Load(dir); done || dir == "." {
		return nil
	}
	// The directories missing now, deepest first.
	var missing []string
	for d := dir; d != "."; d = path.Dir(d) {
		if _, err := w.out.OS().Lstat(filepath.FromSlash(d)); err == nil {
			break
		}
		missing = append(missing, d)
	}
	err := w.out.OS().MkdirAll(filepath.FromSlash(dir), 0o755)
	w.createdMu.Lock()
	w.created = append(w.created, missing...)
	w.createdMu.Unlock()
	if err != nil {
		return err
	}
	w.made.Store(dir, true)
	return nil
}

// removeCreated removes the directories the writer made that are empty,
// the deepest first. A directory made by another process at the same time,
// or holding files, stays.
func (w *writer) removeCreated() {
	w.createdMu.Lock()
	defer w.createdMu.Unlock()
	slices.SortFunc(w.created, func(a, b string) int {
		return cmp.Or(-cmp.Compare(strings.Count(a, "/"), strings.Count(b, "/")), cmp.Compare(a, b))
	})
	for _, d := range slices.Compact(w.created) {
		w.out.OS().Remove(filepath.FromSlash(d)) // fails if not empty
	}
	w.created = nil
}

// writeRenamed writes the renamed copy of wk, unless the form keeps the
// name or the previous build wrote the same file. A renamed copy of the
// bytes of an original just copied is a hard link to that copy: every
// write into the output directory replaces a file rather than changing
// it, so the two never diverge.
func (w *writer) writeRenamed(o *outputs, wk work, src *os.File, info fs.FileInfo, copied string) error {
	if w.copied(wk) {
		return nil
	}
	if copied != "" && wk.data == nil {
		err := w.out.SameDir(copied, wk.file, func(r *os.Root, from, to string) error { return linkAtomic(r, from, to) })
		if err == nil {
			o.written = append(o.written, wk.file)
			return nil
		}
	}
	var err error
	if wk.data != nil {
		_, err = w.put(o, wk.file, 0o644, writeBytes(wk.data))
	} else {
		_, err = w.copySource(o, wk, src, wk.file, info)
	}
	return err
}

// writeSiblings writes the precompressed siblings of wk's file that are
// smaller than it, keeping those the previous build wrote for the same
// bytes, and records in o the encodings the asset has.
func (w *writer) writeSiblings(ctx context.Context, prog *progress, o *outputs, wk work) error {
	data := wk.data
	if data == nil {
		data = wk.content
	}
	for _, enc := range w.encodings {
		sibling := wk.file + precompressed.Ext(enc)
		if w.trusted && wk.known && slices.Contains(wk.prevEnc, enc) && w.exists(sibling) {
			o.encs = append(o.encs, enc)
			continue
		}
		if data == nil {
			// The copy of the original the build wrote holds the bytes
			// it hashed; the source may have changed since.
			from := w.src
			if wk.copied {
				from = w.out
			}
			var err error
			if data, err = from.ReadFile(wk.name); err != nil {
				return err
			}
			if w.hash.SumBytes(data) != wk.hash {
				return &changedError{wk.name}
			}
		}
		z, err := compress(ctx, enc, data, prog.compressed)
		if err != nil {
			return fmt.Errorf("compress %s: %w", wk.name, err)
		}
		if len(z) >= len(data) {
			continue
		}
		if _, err := w.put(o, sibling, 0o644, writeBytes(z)); err != nil {
			return err
		}
		o.encs = append(o.encs, enc)
	}
	slices.Sort(o.encs)
	return nil
}

// copySource copies the source file of wk, open as f and described by
// info, from its start to the output to, and returns the name written
// (see put). It hashes the bytes
// as it copies them, and fails with a *changedError if they are not those
// the manifest records: a file changed since it was hashed must not be
// served under a name its old bytes gave. (The copy of a rewritten file's
// original is not checked: the manifest records the rewritten bytes.)
func (w *writer) copySource(o *outputs, wk work, f *os.File, to string, info fs.FileInfo) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return w.put(o, to, info.Mode().Perm()|0o444, w.copyChecked(wk, f))
}

// copyChecked returns a fill function for put that copies f from where it
// is, hashing the bytes as it copies them, and fails with a *changedError
// if they are not those the manifest records for wk.
func (w *writer) copyChecked(wk work, f io.Reader) func(io.Writer) error {
	return func(dst io.Writer) error {
		d := w.hash.New()
		buf := copyBuffers.Get().(*[]byte)
		defer copyBuffers.Put(buf)
		if _, err := io.CopyBuffer(io.MultiWriter(dst, d), onlyReader{f}, *buf); err != nil {
			return err
		}
		// A rewritten file's hash is that of its rewritten bytes, which
		// are written from memory; its original is served by its plain
		// name only.
		if wk.data == nil && hex.EncodeToString(d.Sum(nil)) != wk.hash {
			return &changedError{wk.name}
		}
		return nil
	}
}

// ErrChanged is wrapped by the error of Dir when a source file changed
// between the hashing of the build and the copy of its bytes: its new
// bytes must not be served under the name its old bytes gave. The build
// removed what it wrote, and the one case worth retrying is this one:
// running the build again hashes the file afresh.
var ErrChanged = errors.New("changed during the build")

// changedError reports a source file whose bytes changed between the
// hashing of a build and the copy of them. It wraps ErrChanged.
type changedError struct{ name string }

func (e *changedError) Error() string {
	return e.name + " changed during the build; run it again"
}

func (e *changedError) Unwrap() error { return ErrChanged }

// put writes the output name with the content fill gives it. An output
// that replaces a file the manifest in place names is staged for commit.
// Any other is written at its name at once: the pending record lists it,
// and no manifest names it until the build has synced it, so a build
// killed half-way through it leaves a file the next build removes or
// writes again. It returns the name in out that holds the bytes now: the
// temporary file of a staged output.
func (w *writer) put(o *outputs, name string, perm fs.FileMode, fill func(io.Writer) error) (string, error) {
	if err := w.recorded(); err != nil {
		return "", err
	}
	if w.serves[name] {
		t, err := writeTemp(w.out.OS(), name, perm, false, fill)
		if err != nil {
			return "", err
		}
		o.staged = append(o.staged, t)
		return filepath.ToSlash(t.tmp), nil
	}
	if err := w.out.WriteNew(name, perm, fill); err != nil {
		return "", err
	}
	o.written = append(o.written, name)
	return name, nil
}

// exists reports whether the output name exists.
func (w *writer) exists(name string) bool {
	_, err := w.out.Stat(name)
	return err == nil
}
