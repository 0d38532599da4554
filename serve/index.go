package serve

import (
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/strategy"
)

// index is one manifest, prepared for serving.
type index struct {
	manifest *core.Manifest
	fsys     fs.FS              // the files that serve manifest
	form     strategy.Form      // nil if the resolver does not know it
	paths    map[string]*target // request path, relative to the mount point
}

// target is what a request path serves: an entity, with the cache rule of
// that path. An index holds two per asset, so it is kept small.
type target struct {
	*entity
	cache string
	query *queries // in the query form only
}

// queries are the query strings of the plain URL of an asset in the query
// form: the one that confirms the current hash, and those of kept
// generations.
type queries struct {
	current string
	kept    []string
}

// entity is one file and its precompressed siblings, with the header
// values that describe them, made once. The fingerprinted URL and the
// plain URL of an asset share one.
type entity struct {
	file   string   // file to open
	ctype  string   // the Content-Type, shared by all entities of a type
	etag   string   // the strong ETag, quoted, or "" for none
	br, gz *sibling // compressed siblings, if any
}

// sibling is a precompressed sibling of an entity's file.
type sibling struct {
	file string
	etag string
}

// index returns the index of the current manifest: the one made when the
// handler was, or in Swap, or else one it builds the first time the
// manifest is seen.
func (h *Handler) index() *index {
	m, _ := h.current()
	if ix := h.ix.Load(); ix != nil && ix.manifest == m {
		return ix
	}
	if ix := h.next.Load(); ix != nil && ix.manifest == m {
		h.ix.Store(ix)
		return ix
	}
	return h.reindex()
}

// reindex builds the index of the current manifest once: concurrent first
// requests after a swap wait for the one that builds it, rather than each
// building their own.
func (h *Handler) reindex() *index {
	h.mu.Lock()
	defer h.mu.Unlock()
	m, fsys := h.current()
	if ix := h.ix.Load(); ix != nil && ix.manifest == m {
		return ix
	}
	ix := h.build(m, fsys)
	h.ix.Store(ix)
	return ix
}

// indexer builds one index.
type indexer struct {
	h      *Handler
	ix     *index
	length int               // the manifest's Length
	ctypes map[string]string // Content-Type header values, one per extension
}

// build indexes m, served from fsys.
func (h *Handler) build(m *core.Manifest, fsys fs.FS) *index {
	ix := &index{manifest: m, fsys: fsys, paths: make(map[string]*target, 2*len(m.Assets))}
	ix.form, _ = h.r.Form(m.Form)
	b := &indexer{h: h, ix: ix, length: m.Length, ctypes: make(map[string]string)}
	// The current build first: its names win over older ones.
	names := slices.AppendSeq(make([]string, 0, len(m.Assets)), maps.Keys(m.Assets))
	slices.Sort(names)
	for _, name := range names {
		b.current(name, m.Assets[name])
	}
	for _, g := range m.Generations {
		for _, name := range slices.Sorted(maps.Keys(g.Assets)) {
			b.kept(name, g.Assets[name])
		}
	}
	return ix
}

// current indexes the asset name of the current build: its File as
// immutable, and its plain URL.
//
// The plain URL serves the same bytes as the File, under the same ETag,
// when the manifest records their hash (every manifest a build of this
// module writes): the copy whose references were rewritten rather than
// the original, so that its ETag is the hash of what it serves and its
// references lead to immutable URLs. An asset of another tool's manifest,
// with no hash, serves the file of its plain name.
func (b *indexer) current(name string, a core.Asset) {
	if a.ExternalURL != "" {
		return
	}
	if a.File == name {
		// The query form: the plain URL is the file, made immutable by the
		// query string that names its hash.
		if t := b.add(name, CacheRevalidate, b.entity(name, name, a.Hash, a.Encodings)); t != nil {
			if q := b.queryOf(name, a.Hash); q != "" {
				t.query = &queries{current: q}
			}
		}
		return
	}
	e := b.entity(a.File, name, a.Hash, a.Encodings)
	b.add(a.File, CacheImmutable, e)
	if a.Hash == "" {
		e = b.entity(name, name, "", nil)
	}
	b.add(name, CacheRevalidate, e)
}

// kept indexes the asset name of a kept generation.
func (b *indexer) kept(name string, a core.Asset) {
	if a.ExternalURL != "" {
		return
	}
	cur, ok := b.ix.paths[name]
	switch {
	case a.File == name:
		// The query form: the old bytes were overwritten.
		if q := b.queryOf(name, a.Hash); ok && cur.query != nil && q != "" {
			cur.query.kept = append(cur.query.kept, q)
		}
	case !b.h.sources:
		// A renamed copy of an earlier build, still on disk.
		b.add(a.File, CacheImmutable, b.entity(a.File, name, a.Hash, a.Encodings))
	case ok:
		// A source handler: only the current bytes exist.
		b.add(a.File, CacheRevalidate, cur.entity)
	}
}

// add makes reqPath serve e with the Cache-Control value cache, unless
// another target has it already or it must not be served. It returns the
// new target, or nil.
func (b *indexer) add(reqPath, cache string, e *entity) *target {
	if e == nil || !b.h.servable(reqPath) {
		return nil
	}
	if _, dup := b.ix.paths[reqPath]; dup {
		return nil
	}
	t := &target{entity: e, cache: cache}
	b.ix.paths[reqPath] = t
	return t
}

// entity returns the entity of file, the asset name with the given hash
// and recorded encodings, or nil if file must not be served.
func (b *indexer) entity(file, name, hash string, encodings []string) *entity {
	if !b.h.servable(file) {
		return nil
	}
	ext := path.Ext(name)
	e := &entity{file: file, ctype: b.ctypes[ext]}
	if e.ctype == "" {
		e.ctype = ContentType(name)
		b.ctypes[ext] = e.ctype
	}
	if hash != "" {
		e.etag = `"` + hash + `"`
	}
	e.br = b.sibling(file, hash, core.Brotli, "-br", encodings)
	e.gz = b.sibling(file, hash, core.Gzip, "-gz", encodings)
	return e
}

// sibling returns the precompressed sibling of file in the encoding enc,
// with hash and suffix making its ETag, or nil if it has none: the
// manifest records the siblings fingerprint.Dir wrote; others are looked for
// only when Options.Precompressed asks for them.
func (b *indexer) sibling(file, hash, enc, suffix string, encodings []string) *sibling {
	name := file + precompressed.Ext(enc)
	if !slices.Contains(encodings, enc) && !(b.h.opts.Precompressed && isFile(b.ix.fsys, name)) {
		return nil
	}
	s := &sibling{file: name}
	if hash != "" {
		s.etag = `"` + hash + suffix + `"`
	}
	return s
}

// queryOf returns the query string that confirms hash for the asset name
// in the query form, or "" in any other form.
func (b *indexer) queryOf(name, hash string) string {
	if b.ix.form == nil || hash == "" {
		return ""
	}
	if b.length > 0 && b.length < len(hash) {
		hash = hash[:b.length]
	}
	s, file := b.ix.form.Format(name, hash), b.ix.form.File(name, hash)
	if file == name && strings.HasPrefix(s, name+"?") {
		return s[len(name)+1:]
	}
	return ""
}

// servable reports whether the clean relative path p may be served: not a
// manifest, and no element starting with ".".
func (h *Handler) servable(p string) bool {
	if p == "" || p == h.opts.HiddenManifest || path.Base(p) == core.ManifestName {
		return false
	}
	if c, err := core.CleanPath(p); err != nil || c != p {
		return false
	}
	return p[0] != '.' && !strings.Contains(p, "/.")
}

// isFile reports whether name is a regular file in fsys.
func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}
