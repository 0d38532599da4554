package fingerprint

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/generations"
)

// DefaultPoll is how often a Dev checks for changed files when
// DevOptions.Poll is zero.
const DefaultPoll = 500 * time.Millisecond

// DevOptions configure NewDev.
type DevOptions struct {
	// Options configure how files are found, hashed, named and rewritten.
	Options
	// Keep is how many earlier versions of changed assets stay resolvable,
	// so that a page rendered just before a change still loads; 0 keeps
	// none.
	Keep int
	// Poll is the time between two checks for changed files; 0 means
	// DefaultPoll.
	Poll time.Duration
}

// A Dev keeps a Resolver's manifest in step with a changing asset tree,
// for development: it builds the manifest of the tree in memory, as FS
// does, checks the files every DevOptions.Poll and swaps a new manifest
// into the resolver when one changed. A check stats every file and
// re-hashes those whose size or modification time changed, once they have
// settled: a changed file is fingerprinted only if its size and
// modification time are those the previous check saw, or it was last
// modified a second (or Poll, if shorter) or more before the check, and
// only if they did not change while it was read. A file that has not
// settled keeps the hash of the bytes last fingerprinted, and a new one
// stays out of the manifest, until a later check: so half-written bytes
// never get a URL of their own. A file rewritten with the same size within
// the file system's timestamp resolution goes unnoticed until it changes
// again.
//
// Assets that changed are kept as a generation (up to DevOptions.Keep), so
// that a page rendered just before a change still loads: a source handler
// (package github.com/cachebust/cachebust/serve) answers their old URLs
// with the current bytes and a revalidating cache. A failed check is
// logged and the manifest kept.
//
// Between an edit and the check that fingerprints it, the files a Dev serves
// are those of a Tree over a source that changed: each is read and hashed
// again when opened, and a source handler answers the edited bytes, under
// the old URL or the plain one, with a revalidating cache and the ETag of
// their own hash, never as immutable (see Tree). So a browser never keeps
// an edit, or a file read half-written, under a URL that names other
// bytes.
type Dev struct {
	r     *core.Resolver
	fsys  fs.FS
	opts  DevOptions
	cur   atomic.Pointer[Tree]
	stop  chan struct{}
	done  chan struct{}
	close sync.Once

	mu    sync.Mutex // held during a check
	files map[string]stamp
}

// stamp is what a check compares, and the hash it found.
type stamp struct {
	size    int64
	modtime time.Time
	entry   entry // of the bytes last fingerprinted; none for a new file
	pending bool  // changed, and not fingerprinted until settled
}

// NewDev builds fsys and returns a Dev whose Resolver, made with ropts,
// follows its changes until Close.
func NewDev(fsys fs.FS, opts DevOptions, ropts core.Options) (*Dev, error) {
	if opts.Keep < 0 {
		return nil, fmt.Errorf("keep %d: want 0 or more earlier versions", opts.Keep)
	}
	var err error
	if opts.Options, err = opts.withDefaults(); err != nil {
		return nil, err
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	d := &Dev{fsys: fsys, opts: opts, stop: make(chan struct{}), done: make(chan struct{})}
	t, err := d.rebuild(context.Background())
	if err != nil {
		return nil, fmt.Errorf("dev build: %w", err)
	}
	if d.r, err = core.New(t.manifest, ropts); err != nil {
		return nil, err
	}
	d.cur.Store(t)
	go d.watch()
	return d, nil
}

// Resolver returns the resolver that follows the tree.
func (d *Dev) Resolver() *core.Resolver { return d.r }

// Snapshot returns the latest manifest and the files that serve it. It
// makes a Dev a source for
// github.com/cachebust/cachebust/serve.NewSourceHandler.
func (d *Dev) Snapshot() (*core.Manifest, fs.FS) {
	t := d.cur.Load()
	return t.manifest, t
}

// Close stops the checks. The resolver keeps the last manifest.
func (d *Dev) Close() error {
	d.close.Do(func() { close(d.stop) })
	<-d.done
	return nil
}

// watch checks for changes every d.opts.Poll until Close.
func (d *Dev) watch() {
	defer close(d.done)
	tick := time.NewTicker(d.opts.Poll)
	defer tick.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-tick.C:
			if err := d.Check(context.Background()); err != nil {
				d.opts.Logger.Warn("cachebust: dev rebuild failed; keeping the manifest", "err", err)
			}
		}
	}
}

// Check looks for changed files now and, if any changed, makes the
// resolver use the new manifest before it returns. On error the manifest
// is kept.
func (d *Dev) Check(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := d.rebuild(ctx)
	if err != nil || t == nil {
		return err
	}
	if err := d.r.Swap(t.manifest); err != nil {
		return err
	}
	d.cur.Store(t)
	return nil
}

// settle is how long a changed file must have gone unmodified, by its
// modification time, before a check fingerprints it without having seen
// it unchanged at the check before (or Poll, if shorter).
const settle = time.Second

// rebuild stats every file and re-hashes those that changed and have
// settled (see Dev). It returns the new tree, or nil if the manifest stays
// the same. d.mu must be held, or d not yet shared.
func (d *Dev) rebuild(ctx context.Context) (*Tree, error) {
	start := time.Now()
	names, err := list(ctx, d.fsys, d.opts.Options, nil, nil)
	if err != nil {
		return nil, err
	}
	files := make(map[string]stamp, len(names))
	var changed []string
	for _, name := range names {
		info, err := fs.Stat(d.fsys, name)
		if err != nil {
			return nil, err
		}
		s, ok := d.files[name]
		now := stamp{size: info.Size(), modtime: info.ModTime(), entry: s.entry}
		same := ok && s.size == now.size && s.modtime.Equal(now.modtime)
		switch {
		case same && !s.pending:
		case d.files == nil, same, start.Sub(now.modtime) >= min(settle, d.opts.Poll):
			// The first build, or unchanged since the last check, or not
			// modified for a while: settled, if it stays so while read.
			changed = append(changed, name)
		default:
			// Maybe being written: fingerprinted once settled; until
			// then the manifest keeps its old hash, if any, which its
			// new bytes do not match, so it is answered with no-cache.
			now.pending = true
		}
		files[name] = now
	}
	last := d.cur.Load()
	if len(changed) == 0 && len(files) == len(d.files) && last != nil && !pendingChanged(d.files, files) {
		d.files = files
		return nil, nil
	}
	hashed, err := hashAll(ctx, d.fsys, d.opts.Options, changed, nil, nil)
	if err != nil {
		return nil, err
	}
	for _, e := range hashed {
		s := files[e.name]
		if info, err := fs.Stat(d.fsys, e.name); err != nil || info.Size() != s.size || !info.ModTime().Equal(s.modtime) {
			// Written while it was read: its bytes are not settled.
			s.pending = true
			files[e.name] = s
			continue
		}
		s.entry = e
		files[e.name] = s
	}
	entries := make([]entry, 0, len(names))
	for _, name := range names {
		if e := files[name].entry; e.name != "" {
			entries = append(entries, e)
		}
	}
	if last != nil && sameEntries(d.files, entries) {
		// Touched, not changed, or changed but not settled.
		d.files = files
		return nil, nil
	}
	// References are rewritten afresh on every change: a changed image
	// renames the stylesheets that refer to it.
	if err := d.opts.rewrite(d.fsys, entries); err != nil {
		return nil, err
	}
	t := newTree(d.fsys, d.opts.Options, entries)
	if last != nil {
		t.manifest.Generations = generations.Kept(t.manifest, last.manifest, d.opts.Keep)
	}
	d.files = files
	return t, nil
}

// pendingChanged reports whether a file of before or after is pending in
// one and not the other, or gone.
func pendingChanged(before, after map[string]stamp) bool {
	for name, s := range after {
		if b, ok := before[name]; !ok || b.pending != s.pending {
			return true
		}
	}
	return false
}

// sameEntries reports whether entries are those the files of the last
// check, before, were fingerprinted as, with the same hashes.
func sameEntries(before map[string]stamp, entries []entry) bool {
	n := 0
	for _, s := range before {
		if s.entry.name != "" {
			n++
		}
	}
	if len(entries) != n {
		return false
	}
	for _, e := range entries {
		if b, ok := before[e.name]; !ok || b.entry.hash != e.hash {
			return false
		}
	}
	return true
}
