package fingerprint

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/confine"
	"github.com/cachebust/cachebust/internal/parallel"
	"github.com/cachebust/cachebust/internal/rewrite"
	"github.com/cachebust/cachebust/internal/treeroot"
	"github.com/cachebust/cachebust/strategy"

	"golang.org/x/sync/errgroup"
)

// DefaultLength is how many hex digits of a hash appear in URLs when
// Options.Length is zero. 12 digits (48 bits) tell versions apart with
// room to spare; the manifest keeps the full digest regardless.
const DefaultLength = 12

// Options configure a build: how files are found, hashed, named and
// rewritten. The zero value builds with SHA-256 in the rename form.
type Options struct {
	// Hash is the content hash; the zero value means [strategy.SHA256].
	Hash strategy.Hash
	// Form is the URL form; nil means strategy.Rename{}.
	Form strategy.Form
	// Length is how many hex digits of a hash appear in file names and
	// URLs: 0 means DefaultLength. More digits than the hash has is an
	// error.
	Length int
	// Exclude lists path.Match patterns of files and directories to leave
	// out. A pattern matches a slash-separated path relative to the root or
	// the last element of it: "*.scss" leaves out every Sass file,
	// "vendor/*" everything inside vendor, "src" every directory named
	// src. Names starting with "." are always left out.
	Exclude []string
	// Integrity, if set, records a Subresource Integrity value for every
	// asset over its served bytes: "sha256", "sha384" or "sha512".
	Integrity string
	// Prefix is the URL path the assets are served under, such as
	// "/static/", so that root-relative references in stylesheets
	// ("/static/img/a.png") can be resolved; empty means core.DefaultPrefix.
	Prefix string
	// NoRewrite leaves references in renamed copies as written. By default,
	// in a form that renames files, the url(), @import and
	// sourceMappingURL references in copies of stylesheets and scripts,
	// the module specifiers of scripts and the "file" of source maps are
	// rewritten to the renamed copies of their targets, and hashes cover
	// the rewritten bytes.
	NoRewrite bool
	// StrictRefs makes a reference to a file missing from the build an
	// error. By default it is logged as a warning, with file and line, and
	// left as written.
	StrictRefs bool
	// Workers is how many files are hashed at once; 0 means GOMAXPROCS.
	Workers int
	// Logger receives warnings, such as files skipped; nil means
	// slog.Default().
	Logger *slog.Logger
	// Progress, if set, is called after each file a build hashes and,
	// for Dir, after each asset whose outputs are in place, one call at a
	// time, from the goroutines doing the work: it must be quick.
	Progress func(Progress)
}

// withDefaults returns o with its zero fields set to their defaults, or an
// error naming the first invalid field.
func (o Options) withDefaults() (Options, error) {
	if o.Hash.New == nil {
		if o.Hash.Name != "" {
			return o, fmt.Errorf("hash %q has no constructor", o.Hash.Name)
		}
		o.Hash = strategy.SHA256()
	}
	if o.Form == nil {
		o.Form = strategy.Rename{}
	}
	if o.Length == 0 {
		o.Length = min(DefaultLength, o.Hash.Size())
	}
	if o.Length < 0 || o.Length > o.Hash.Size() {
		return o, fmt.Errorf("length %d: want 1 to %d, the hex digits of %s", o.Length, o.Hash.Size(), o.Hash.Name)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if err := checkIntegrity(o.Integrity); err != nil {
		return o, err
	}
	for _, p := range o.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			return o, fmt.Errorf("exclude pattern %q: %w", p, err)
		}
	}
	return o, nil
}

// FS builds the asset tree fsys in memory, writing nothing, and returns
// its manifest with the bytes it serves. Files are named by opts.Form as if
// renamed copies existed, and references are rewritten as Dir rewrites
// them; the Tree opens the result, for serving straight from fsys (an
// embed.FS, say) with no build step.
//
// It fails, naming the path, on the first file it cannot read.
//
// A symbolic link that leads out of fsys, directly, to an absolute path or
// through a linked directory, is skipped with a warning naming link and
// target, where fsys can read links (fs.ReadLinkFS). The Tree checks the
// links of a file again each time it opens it, and opens none that leads
// out of fsys, even one a later change points there; over os.DirFS that
// check comes just before the open, while the FS of an os.Root refuses
// such a link in the open itself: for a directory on disk, pass
// os.Root.FS, as Dir does.
func FS(ctx context.Context, fsys fs.FS, opts Options) (*Tree, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	entries, err := build(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	return newTree(fsys, opts, entries), nil
}

func (o Options) prefix() string {
	if o.Prefix == "" {
		return core.DefaultPrefix
	}
	return o.Prefix
}

// short returns the digits of hash that go into names and URLs.
func (o Options) short(hash string) string { return hash[:o.Length] }

// renames reports whether the form serves files under new names.
func (o Options) renames() bool {
	return o.Form.File("a.css", "00") != "a.css"
}

// build scans fsys and, in a form that renames files, rewrites references.
func build(ctx context.Context, fsys fs.FS, opts Options) ([]entry, error) {
	entries, err := scan(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	if err := opts.rewrite(fsys, entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// rewrite rewrites the references among entries, if opts ask for it, and
// records the graph of the build in every form.
func (o Options) rewrite(fsys fs.FS, entries []entry) error {
	if o.graphOnly() {
		return recordGraph(fsys, entries, o)
	}
	return rewriteRefs(fsys, entries, o)
}

// graphOnly reports whether a build rewrites no references, and only
// finds them for the graph it records.
func (o Options) graphOnly() bool { return !o.renames() || o.NoRewrite }

// entry is one file found by scan.
type entry struct {
	name      string // logical path, clean and slash-separated
	size      int64
	hash      string // full digest of the served bytes
	integrity string // Subresource Integrity value, if asked for
	data      []byte // the served bytes when references were rewritten
	cycleHash string // the hash in the name of a file in a reference cycle
	// imports and refs are the file's edges of the graph of the build,
	// for core.Asset's Imports and Refs.
	imports, refs []string
	// found are the references in the file's bytes as hashed, if scanned
	// says they were looked for as the file was read (see writer.hashCopy
	// and the build that rewrites nothing); copied says that the output
	// directory holds a copy of those bytes at the file's name, written by
	// this build.
	found           []rewrite.Ref
	scanned, copied bool
	// content is the file's bytes as hashed, kept to be written (see
	// keeper) or, with scanned, because they hold the references found;
	// mode is the file's mode then.
	content []byte
	mode    fs.FileMode
}

// nameHash returns the hash that goes into e's file name.
func (e *entry) nameHash() string {
	if e.cycleHash != "" {
		return e.cycleHash
	}
	return e.hash
}

// setData makes b the served bytes of e.
func (e *entry) setData(b []byte, opts Options) {
	e.data = b
	e.size = int64(len(b))
	e.hash = opts.Hash.SumBytes(b)
	if opts.Integrity != "" {
		h := integrityHashes[opts.Integrity]()
		h.Write(b)
		e.integrity = integrityValue(opts.Integrity, h.Sum(nil))
	}
}

// manifest returns the manifest of entries.
func (o Options) manifest(entries []entry) *core.Manifest {
	m := &core.Manifest{
		Version: core.ManifestVersion,
		Hash:    o.Hash.Name,
		Form:    o.Form.Name(),
		Length:  o.Length,
		Assets:  make(map[string]core.Asset, len(entries)),
	}
	for _, e := range entries {
		a := core.Asset{
			File:      o.Form.File(e.name, o.short(e.nameHash())),
			Hash:      e.hash,
			Size:      e.size,
			Integrity: e.integrity,
			Imports:   e.imports,
			Refs:      e.refs,
		}
		m.Assets[e.name] = a
	}
	return m
}

// scan walks fsys and hashes its files in parallel. It leaves out dotfiles
// and excluded paths. Entries come back sorted by name.
func scan(ctx context.Context, fsys fs.FS, opts Options) ([]entry, error) {
	names, err := list(ctx, fsys, opts, nil, nil)
	if err != nil {
		return nil, err
	}
	return hashAll(ctx, fsys, opts, names, nil, nil)
}

// list walks fsys and returns, sorted, the files a build hashes: it leaves
// out dotfiles, excluded paths and every path for which skip returns true.
// With others, it appends to it, in walk order, the files it left out
// that are not dotfiles: excluded files, special files and skipped links,
// which a build must not overwrite either.
//
// It reads directories on opts.Workers goroutines, since a walk of one
// directory after another kept one core busy for a third of a second on a
// tree of 100,000 files, and gives the names, the warnings and the first
// error in the order a walk in lexical order (fs.WalkDir) gives them.
func list(ctx context.Context, fsys fs.FS, opts Options, skip func(name string, dir bool) bool, others *[]string) ([]string, error) {
	w := &walker{ctx: ctx, fsys: fsys, opts: opts, skip: skip}
	w.g.SetLimit(max(opts.Workers, 1))
	root := &dirNode{name: "."}
	w.g.Go(func() error { w.read(root); return nil })
	w.g.Wait() // the errors are in the nodes, in walk order

	var names []string
	if err := root.flatten(&names, others, opts.Logger); err != nil {
		return nil, err
	}
	return names, ctx.Err()
}

// A walker reads the directories of a tree in parallel, each into a
// dirNode.
type walker struct {
	ctx  context.Context
	fsys fs.FS
	opts Options
	skip func(name string, dir bool) bool
	g    errgroup.Group // the goroutines reading directories
}

// A dirNode is what the walk found in one directory, in order: files and
// subdirectories, each with the warnings it gave, and the error that
// stopped it.
type dirNode struct {
	name  string
	items []dirItem
	err   error
}

// dirItem is a file to hash, a subdirectory, or only warnings, and
// perhaps a file left out (see list).
type dirItem struct {
	file  string
	other string
	sub   *dirNode
	warns []warning
}

// warning is a message for the logger, with its attributes.
type warning struct {
	msg  string
	args []any
}

// read reads the directory of n, then the subdirectories it found, each
// on a goroutine of its own if the walker's limit allows one more, and
// here otherwise.
func (w *walker) read(n *dirNode) {
	n.items, n.err = w.entries(n.name)
	for _, it := range n.items {
		if it.sub != nil && !w.g.TryGo(func() error { w.read(it.sub); return nil }) {
			w.read(it.sub)
		}
	}
}

// entries lists the directory dir, as fs.WalkDir's function would see
// its entries.
func (w *walker) entries(dir string) ([]dirItem, error) {
	if err := w.ctx.Err(); err != nil {
		return nil, err
	}
	list, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		return nil, err
	}
	items := make([]dirItem, 0, len(list))
	for _, d := range list {
		name := d.Name()
		if dir != "." {
			name = dir + "/" + name
		}
		isDir := d.IsDir()
		if strings.HasPrefix(d.Name(), ".") || w.skip != nil && w.skip(name, isDir) {
			continue
		}
		var it dirItem
		if w.opts.excluded(name) {
			if !isDir {
				it.other = name
				items = append(items, it)
			}
			continue
		}
		warn := func(msg string, args ...any) { it.warns = append(it.warns, warning{msg, args}) }
		switch {
		case !utf8.ValidString(d.Name()):
			// No URL, manifest or file system API can name it faithfully.
			what := "file"
			if isDir {
				what = "directory"
			}
			warn("cachebust: skipping "+what+" whose name is not UTF-8", "path", fmt.Sprintf("%q", name))
			items = append(items, it)
			continue
		case isDir:
			it.sub = &dirNode{name: name}
			items = append(items, it)
			continue
		case d.Type().IsRegular():
		case d.Type()&fs.ModeSymlink != 0:
			ok, err := linkedFile(w.fsys, name, warn)
			if err != nil {
				return items, err
			}
			if !ok {
				it.other = name
				items = append(items, it)
				continue
			}
		default:
			warn("cachebust: skipping special file", "path", name, "mode", d.Type().String())
			it.other = name
			items = append(items, it)
			continue
		}
		if strings.ContainsRune(name, '\\') {
			warn("cachebust: skipping file with a backslash in its name", "path", name)
		} else {
			it.file = name
		}
		items = append(items, it)
	}
	return items, nil
}

// flatten appends the files of n and of its subdirectories to names, and
// with others the files left out to others, in walk order, logs their
// warnings in that order, and returns the first error met.
func (n *dirNode) flatten(names, others *[]string, logger *slog.Logger) error {
	for _, it := range n.items {
		for _, wr := range it.warns {
			logger.Warn(wr.msg, wr.args...)
		}
		if it.file != "" {
			*names = append(*names, it.file)
		}
		if it.other != "" && others != nil {
			*others = append(*others, it.other)
		}
		if it.sub != nil {
			if err := it.sub.flatten(names, others, logger); err != nil {
				return err
			}
		}
	}
	return n.err
}

// linkedFile reports whether the symbolic link name in fsys is an input: a
// link to a regular file inside the tree. Links to directories are not
// followed, since they could loop. Where fsys can read links
// (fs.ReadLinkFS, as os.DirFS, os.Root.FS and fstest.MapFS can), a link
// that leads out of the tree, directly or through other links, is skipped
// with a warning naming it and its target. A dangling link is an error.
func linkedFile(fsys fs.FS, name string, warn func(msg string, args ...any)) (bool, error) {
	if lfs, ok := fsys.(fs.ReadLinkFS); ok {
		var out *confine.OutOfTree
		_, err := confine.Resolve(lfs, name)
		switch {
		case errors.As(err, &out):
			target, _ := lfs.ReadLink(name)
			args := []any{"path", name, "target", target}
			if out.Link != name {
				args = append(args, "through", out.Link+" -> "+out.Target)
			}
			warn("cachebust: skipping link out of the tree", args...)
			return false, nil
		case err != nil:
			// Stat names the path in the error, as for any other file.
		}
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return false, err
	}
	if !info.Mode().IsRegular() {
		warn("cachebust: skipping link to a non-file", "path", name)
		return false, nil
	}
	return true, nil
}

// hashAll hashes the files names of fsys in parallel, returning their
// entries in the same order. With keep, the entries keep the bytes of the
// files it allows.
func hashAll(ctx context.Context, fsys fs.FS, opts Options, names []string, keep *keeper, graphs map[string]core.Asset) ([]entry, error) {
	entries := make([]entry, len(names))
	prog := newProgress(opts.Progress, PhaseHash, len(names))
	err := parallel.For(ctx, opts.Workers, len(names), func(_ context.Context, i int) error {
		buf := copyBuffers.Get().(*[]byte)
		defer copyBuffers.Put(buf)
		var err error
		if entries[i], err = hashFile(fsys, names[i], opts, *buf, keep, graphs); err == nil {
			prog.done(names[i], "", entries[i].size, false)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// copyBuffers holds the buffers files are read with.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// scanBuffers holds the buffers a build that rewrites nothing reads
// stylesheets and scripts into, to find their references.
var scanBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// find returns the references in data, the bytes of the file name.
func find(name string, data []byte) []rewrite.Ref {
	if traceFind != nil {
		traceFind(name)
	}
	return rewrite.Find(name, data)
}

// traceFind, if set, is called with the name of every file whose
// references a build looks for; only tests set it (see export_test.go).
var traceFind func(name string)

// maxScanBuffer is the capacity of the largest buffer scanBuffers keeps.
const maxScanBuffer = 4 << 20

func putScanBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxScanBuffer {
		scanBuffers.Put(b)
	}
}

// hashFile hashes the file name in fsys, using buf for reading. If keep
// allows, the entry keeps the bytes hashed, and the file's mode. In a
// build that rewrites nothing, it finds the references of a stylesheet or
// script in the bytes it hashed, unless graphs (see reusableGraphs)
// records the same name with the same hash and size: the entry then takes
// the edges recorded there, and has no references found.
func hashFile(fsys fs.FS, name string, opts Options, buf []byte, keep *keeper, graphs map[string]core.Asset) (entry, error) {
	f, err := open(fsys, name)
	if err != nil {
		return entry{}, err
	}
	defer f.Close()
	d := opts.Hash.New()
	var w io.Writer = d
	var sri hash.Hash
	if opts.Integrity != "" {
		sri = integrityHashes[opts.Integrity]()
		w = io.MultiWriter(d, sri)
	}
	var e entry
	if keep != nil {
		if e.content, e.mode, err = keep.read(f, name); err != nil {
			return entry{}, fmt.Errorf("read %s: %w", name, err)
		}
		w.Write(e.content)
	}
	// A build that rewrites nothing finds the references of the graph in
	// the bytes it hashes, rather than read the file again for them.
	scan := opts.graphOnly() && rewrite.Scans(name)
	var n int64
	var scanned []byte // the bytes to find references in, once hashed
	whole := false     // scanned holds them all
	if scan && e.content == nil {
		b := scanBuffers.Get().(*bytes.Buffer)
		defer putScanBuffer(b)
		b.Reset()
		if n, err = b.ReadFrom(onlyReader{f}); err == nil {
			w.Write(b.Bytes())
			scanned, whole = b.Bytes(), true
		}
	} else {
		n, err = io.CopyBuffer(w, onlyReader{f}, buf)
		if err == nil && scan && n == 0 {
			scanned, whole = e.content, true
		}
	}
	if err != nil {
		return entry{}, fmt.Errorf("read %s: %w", name, err)
	}
	e.name, e.size, e.hash = name, int64(len(e.content))+n, hex.EncodeToString(d.Sum(nil))
	if whole {
		if a, ok := graphs[name]; ok && a.Hash == e.hash && a.Size == e.size {
			// The bytes the previous build recorded: so are its edges.
			e.imports, e.refs, e.scanned = a.Imports, a.Refs, true
		} else {
			e.found, e.scanned = find(name, scanned), true
		}
	}
	if n > 0 {
		// It grew while it was read: its bytes are not all kept.
		e.content = nil
	}
	if sri != nil {
		e.integrity = integrityValue(opts.Integrity, sri.Sum(nil))
	}
	return e, nil
}

// open opens the file name of fsys for reading, with the system calls of
// a treeroot.Root where fsys is one, and otherwise following no link out of
// fsys (see confine.Open).
func open(fsys fs.FS, name string) (fs.File, error) {
	if t, ok := fsys.(*treeroot.Root); ok {
		return t.OpenRead(name)
	}
	return confine.Open(fsys, name)
}

// A keeper lets a build keep the bytes of the files it hashes, so that the
// copies it writes are written from memory: no second open and read of
// the file, and no check that it is unchanged, since the bytes written
// are those hashed. It keeps files of up to maxFile bytes, and up to
// budget bytes in all; a build streams the others a second time.
//
// A file the previous build recorded with the same size is most likely
// unchanged, its copy already there: it is not kept, and if it did change
// it is streamed again, as one too big to keep.
type keeper struct {
	maxFile   int64
	left      atomic.Int64
	unchanged map[string]core.Asset // the previous build's assets, if any
}

// keepBudget is how much a build's memory may grow by the bytes it keeps.
const keepBudget = 64 << 20

// keepMaxFile is the size of the largest file a build keeps; only tests
// change it (see export_test.go).
var keepMaxFile int64 = 8 << 20

func newKeeper() *keeper {
	k := &keeper{maxFile: keepMaxFile}
	k.left.Store(keepBudget)
	return k
}

// read reads the whole of f, the file name open at its start, if its
// size is within the keeper's limits and it is not likely unchanged, and
// returns its bytes (nil if not kept) and its mode.
func (k *keeper) read(f fs.File, name string) ([]byte, fs.FileMode, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := info.Size()
	if a, ok := k.unchanged[name]; !info.Mode().IsRegular() || size > k.maxFile || ok && a.Size == size {
		return nil, info.Mode(), nil
	}
	if k.left.Add(-size) < 0 {
		k.left.Add(size)
		return nil, info.Mode(), nil
	}
	data := make([]byte, size)
	n, err := io.ReadFull(f, data)
	if err == io.ErrUnexpectedEOF {
		// It shrank while it was read: what was read is what is hashed.
		err = nil
	}
	return data[:n], info.Mode(), err
}

// onlyReader hides every method but Read, so that io.CopyBuffer uses the
// buffer it is given instead of a WriterTo that allocates its own.
type onlyReader struct{ io.Reader }

// excluded reports whether name matches an exclude pattern.
func (o Options) excluded(name string) bool {
	base := path.Base(name)
	for _, p := range o.Exclude {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if ok, _ := path.Match(p, base); ok {
			return true
		}
	}
	return false
}

// Validate reports the first invalid field of o, naming it and what it
// accepts, as a build given o would.
func (o Options) Validate() error {
	_, err := o.withDefaults()
	return err
}
