package core

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPoll is how often, at most, a resolver made by NewDev checks for
// changed files when Options.Poll is zero.
const DefaultPoll = 500 * time.Millisecond

// NewDev returns a Resolver for development: it builds the manifest of fsys
// in memory, as Build does, and keeps it current without a restart.
//
// A lookup (URL, Integrity, Manifest, or a request to a Handler) at least
// opts.Poll after the previous check stats every file of fsys, re-hashes
// those whose size or modification time changed, and swaps in the new
// manifest before it resolves; concurrent lookups meanwhile use the
// manifest they have. Between checks a lookup costs one atomic load more
// than a normal Resolver's: a timer, not the lookup, tells when the
// interval has passed, and no goroutine runs while nothing is looked up. A file rewritten with the same size within the
// file system's timestamp resolution goes unnoticed.
//
// Assets that changed are kept as a generation (up to build.Keep), so that
// a page rendered just before a change still loads: a Handler in Sources
// mode answers their old URLs with the current bytes and CacheRevalidate.
// A failed check is logged to opts.Logger and the manifest kept.
func NewDev(fsys fs.FS, build BuildOptions, opts Options) (*Resolver, error) {
	build, err := build.withDefaults()
	if err != nil {
		return nil, err
	}
	w := &watcher{fsys: fsys, opts: build, every: opts.Poll}
	if w.every <= 0 {
		w.every = DefaultPoll
	}
	m, err := w.rebuild(context.Background())
	if err != nil {
		return nil, fmt.Errorf("dev build: %w", err)
	}
	r, err := New(m, opts)
	if err != nil {
		return nil, err
	}
	r.dev = w
	w.arm()
	return r, nil
}

// watcher keeps a dev resolver's manifest in step with its files.
type watcher struct {
	fsys  fs.FS
	opts  BuildOptions
	every time.Duration
	// due is set by a timer every after the last check. Lookups test it
	// instead of reading the clock: an atomic load is all a dev resolver
	// adds to a lookup between checks. At most one timer is pending, and
	// none while no lookup happens.
	due atomic.Bool

	mu    sync.Mutex // held during a check
	files map[string]stamp
	last  *Manifest
}

// stamp is what a check compares, and the hash it found.
type stamp struct {
	size    int64
	modtime time.Time
	entry   entry
}

// arm makes the next lookup after w.every check for changes.
func (w *watcher) arm() {
	time.AfterFunc(w.every, func() { w.due.Store(true) })
}

// poll checks for changes if it is time to and no other check is running.
func (w *watcher) poll(r *Resolver) {
	if !w.due.Load() || !w.mu.TryLock() {
		return
	}
	defer w.mu.Unlock()
	if !w.due.Load() {
		return // another check just finished
	}
	w.due.Store(false)
	m, err := w.rebuild(context.Background())
	w.arm()
	if err != nil {
		r.logger.Warn("cachebust: dev rebuild failed; keeping the manifest", "err", err)
		return
	}
	if m == nil {
		return
	}
	if err := r.Swap(m); err != nil {
		r.logger.Warn("cachebust: dev rebuild failed; keeping the manifest", "err", err)
	}
}

// rebuild stats every file and re-hashes those that changed. It returns the
// new manifest, or nil if nothing changed. w.mu must be held, or w not yet
// shared.
func (w *watcher) rebuild(ctx context.Context) (*Manifest, error) {
	names, err := list(ctx, w.fsys, w.opts, nil)
	if err != nil {
		return nil, err
	}
	files := make(map[string]stamp, len(names))
	var changed []string
	for _, name := range names {
		info, err := fs.Stat(w.fsys, name)
		if err != nil {
			return nil, err
		}
		s, ok := w.files[name]
		if !ok || s.size != info.Size() || !s.modtime.Equal(info.ModTime()) {
			changed = append(changed, name)
		}
		files[name] = stamp{size: info.Size(), modtime: info.ModTime(), entry: s.entry}
	}
	if len(changed) == 0 && len(files) == len(w.files) && w.last != nil {
		return nil, nil
	}
	hashed, err := hashAll(ctx, w.fsys, w.opts, changed)
	if err != nil {
		return nil, err
	}
	same := len(files) == len(w.files) && w.last != nil
	for _, e := range hashed {
		s := files[e.name]
		same = same && s.entry.hash == e.hash
		s.entry = e
		files[e.name] = s
	}
	if same {
		// Touched, not changed.
		w.files = files
		return nil, nil
	}
	entries := make([]entry, 0, len(names))
	for _, name := range names {
		entries = append(entries, files[name].entry)
	}
	// References are rewritten afresh on every change: a changed image
	// renames the stylesheets that refer to it.
	if err := w.opts.rewrite(w.fsys, entries); err != nil {
		return nil, err
	}
	m := w.opts.manifest(entries)
	if w.last != nil {
		m.Generations = generations(m, w.last, w.opts.Keep)
	}
	w.files, w.last = files, m
	return m, nil
}
