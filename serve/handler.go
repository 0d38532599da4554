package serve

import (
	"bytes"
	"io"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

// Cache-Control values a Handler sends.
const (
	// CacheImmutable is sent for a URL whose hash the manifest confirms:
	// its bytes never change, so caches keep it for a year without asking.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is sent for a plain URL, and for an old hash whose
	// bytes are gone: caches may store the response but must revalidate it
	// (with its ETag) before every use.
	CacheRevalidate = "no-cache"
	// CacheNotFound is sent with a 404, so that a shared cache does not pin
	// the error while a rolling deploy brings the asset to every server.
	CacheNotFound = "no-store"
)

// Options configure a Handler. The zero value serves what the manifest
// records, without looking for other precompressed siblings.
type Options struct {
	// Precompressed serves the sibling File+".br" or File+".gz" of an asset,
	// when it exists and the request accepts that encoding, with
	// Content-Encoding set and the Content-Type of the asset. Siblings are
	// looked for once per manifest, when the handler first serves it: two
	// Stat calls per asset.
	Precompressed bool
	// Manifest is the name, relative to the file system, of a manifest
	// file that must never be served, in addition to any file named
	// core.ManifestName. Paths with an element starting with "." (such as
	// ".vite/manifest.json") are never served either.
	Manifest string
}

// A Handler serves the assets a Resolver's manifest vouches for, with the
// caching rules of fingerprinted URLs:
//
//   - a URL whose hash the manifest confirms (the current build, or a
//     renamed copy of a kept generation) gets [CacheImmutable];
//   - a plain URL, such as /static/css/app.css, gets [CacheRevalidate] and
//     a strong ETag made from the manifest's hash, so nothing is hashed per
//     request;
//   - an unknown or stale hash is a 404 with [CacheNotFound]. When a kept
//     generation's old bytes no longer exist apart from the current ones
//     (the query form, or a source handler), its URL is answered with the
//     current bytes and CacheRevalidate, never as immutable;
//   - every other path, including the manifest, directories, and any
//     spelling of a path outside the tree, is a 404;
//   - methods other than GET and HEAD get 405.
//
// Every asset response carries "Vary: Accept-Encoding". HEAD, Range and
// conditional requests are handled by [http.ServeContent].
//
// A Handler serves paths relative to its mount point: mount it with
// [http.StripPrefix] at the path of the resolver's prefix,
//
//	mux.Handle("/static/", http.StripPrefix("/static", h))
//
// It follows Resolver.Swap: the first request after a swap indexes the new
// manifest once; every other request costs a few map lookups.
type Handler struct {
	r       *core.Resolver
	current func() (*core.Manifest, fs.FS)
	sources bool // the files are an in-memory build's: only the current bytes exist
	opts    Options
	ix      atomic.Pointer[index]
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns a Handler serving the assets of r's manifest from
// fsys, the output directory of a build (github.com/cachebust/cachebust/build.Dir),
// where every renamed copy the manifest names exists.
func NewHandler(fsys fs.FS, r *core.Resolver, opts Options) *Handler {
	return &Handler{r: r, opts: opts, current: func() (*core.Manifest, fs.FS) { return r.Manifest(), fsys }}
}

// A Source gives the manifest of an in-memory build and the files that
// serve it, consistent with each other. build.Tree (a build at start-up,
// for example of an embed.FS) and build.Dev (development, where the files
// change) are sources.
type Source interface {
	// Current returns the latest manifest and the files that serve it.
	Current() (*core.Manifest, fs.FS)
}

// NewSourceHandler returns a Handler serving the manifest and files of
// src, resolving URLs as r does (r must follow src's manifest). Only the
// current bytes of an in-memory build exist, so the URLs of kept
// generations are answered with them and CacheRevalidate, never as
// immutable.
func NewSourceHandler(src Source, r *core.Resolver, opts Options) *Handler {
	return &Handler{r: r, opts: opts, current: src.Current, sources: true}
}

// Resolver returns the resolver whose URLs h serves.
func (h *Handler) Resolver() *core.Resolver { return h.r }

// Decision is how to answer a request for an asset. Handler.ServeHTTP and
// the Fiber middlewares in package
// github.com/cachebust/cachebust/adapters/fiberstatic act on the same
// Decision, so they behave alike by construction.
type Decision struct {
	// Status is http.StatusOK, http.StatusNotFound or
	// http.StatusMethodNotAllowed.
	Status int
	// File is the file to send, relative to the handler's file system, when
	// Status is http.StatusOK: the asset, its renamed copy, or a compressed
	// sibling of either.
	File string
	// ContentType is the media type of the asset's logical name.
	ContentType string
	// Encoding is the Content-Encoding of File: "br", "gzip" or "".
	Encoding string
	// CacheControl is the value of the Cache-Control header.
	CacheControl string
	// ETag is the strong entity tag of File, quoted, or "" when the
	// manifest records no hash for the asset.
	ETag string

	t    *target // for ServeHTTP's preallocated header values
	fsys fs.FS   // where File is
}

// Open opens the file of a Decision with status http.StatusOK, and returns
// it with its FileInfo. It fails for anything but a regular file, so that
// a directory is never listed.
func (d Decision) Open() (fs.File, fs.FileInfo, error) {
	if d.fsys == nil {
		return nil, nil, &fs.PathError{Op: "open", Path: d.File, Err: fs.ErrNotExist}
	}
	return openAsset(d.fsys, d.File)
}

// Decide returns how to answer a request with the given method for the
// path urlPath, relative to the handler's mount point and already
// percent-decoded (as http.Request.URL.Path is), with the raw query string
// rawQuery and the Accept-Encoding header acceptEncoding.
//
// Only paths the manifest names, spelled exactly as the resolver writes
// them, are served; a leading "/" is optional.
func (h *Handler) Decide(method, urlPath, rawQuery, acceptEncoding string) Decision {
	if method != http.MethodGet && method != http.MethodHead {
		return Decision{Status: http.StatusMethodNotAllowed, CacheControl: CacheNotFound}
	}
	ix := h.index()
	if len(urlPath) > 0 && urlPath[0] == '/' {
		urlPath = urlPath[1:]
	}
	t := ix.paths[urlPath]
	if t == nil {
		return Decision{Status: http.StatusNotFound, CacheControl: CacheNotFound}
	}
	d := Decision{Status: http.StatusOK, File: t.file, ContentType: t.ctype, CacheControl: t.cache, ETag: t.etag, t: t, fsys: ix.fsys}
	if t.query != "" && rawQuery != "" {
		switch {
		case rawQuery == t.query:
			d.CacheControl = CacheImmutable
		case slices.Contains(t.kept, rawQuery):
			// A kept generation of the query form: its bytes were
			// replaced by the current ones.
		case ix.form != nil:
			if _, _, ok := ix.form.Parse(urlPath + "?" + rawQuery); ok {
				return Decision{Status: http.StatusNotFound, CacheControl: CacheNotFound}
			}
			// Some other query string: a plain URL.
		}
	}
	if t.br != "" && accepts(acceptEncoding, "br") {
		d.File, d.Encoding, d.ETag = t.br, "br", t.brTag
	} else if t.gz != "" && accepts(acceptEncoding, "gzip") {
		d.File, d.Encoding, d.ETag = t.gz, "gzip", t.gzTag
	}
	return d
}

// Shared header values. They are never modified, and have len == cap, so
// that a later Header.Add copies rather than writes into them.
var (
	hdrVary         = []string{"Accept-Encoding"}
	hdrImmutable    = []string{CacheImmutable}
	hdrRevalidate   = []string{CacheRevalidate}
	hdrNotFound     = []string{CacheNotFound}
	hdrAllow        = []string{"GET, HEAD"}
	hdrBr           = []string{"br"}
	hdrGzip         = []string{"gzip"}
	hdrCacheControl = map[string][]string{
		CacheImmutable:  hdrImmutable,
		CacheRevalidate: hdrRevalidate,
		CacheNotFound:   hdrNotFound,
	}
)

// ServeHTTP serves the asset at req.URL.Path, relative to the mount point.
func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	d := h.Decide(req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get("Accept-Encoding"))
	hdr := w.Header()
	if d.Status != http.StatusOK {
		hdr["Cache-Control"] = hdrNotFound
		if d.Status == http.StatusMethodNotAllowed {
			hdr["Allow"] = hdrAllow
		}
		http.Error(w, http.StatusText(d.Status), d.Status)
		return
	}
	f, info, err := d.Open()
	if err != nil {
		hdr["Cache-Control"] = hdrNotFound
		http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(data)
	}
	hdr["Vary"] = hdrVary
	hdr["Cache-Control"] = hdrCacheControl[d.CacheControl]
	hdr["Content-Type"] = d.t.ctypeHdr
	switch d.Encoding {
	case "br":
		hdr["Content-Encoding"] = hdrBr
		if d.ETag != "" {
			hdr["Etag"] = d.t.brTagHdr
		}
	case "gzip":
		hdr["Content-Encoding"] = hdrGzip
		if d.ETag != "" {
			hdr["Etag"] = d.t.gzTagHdr
		}
	default:
		if d.ETag != "" {
			hdr["Etag"] = d.t.etagHdr
		}
	}
	http.ServeContent(w, req, d.File, info.ModTime(), rs)
}

// openAsset opens the file name of fsys and returns it with its FileInfo.
// It fails for anything but a regular file, so that a directory is never
// listed.
func openAsset(fsys fs.FS, name string) (fs.File, fs.FileInfo, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f, info, nil
}

// index is one manifest, prepared for serving.
type index struct {
	manifest *core.Manifest
	fsys     fs.FS              // the files that serve manifest
	form     strategy.Form      // nil if the resolver does not know it
	paths    map[string]*target // request path, relative to the mount point
}

// target is what a request path serves.
type target struct {
	file  string // file to open
	ctype string
	cache string
	etag  string
	// query is the query string that confirms the current hash, in the
	// query form; kept are those of kept generations.
	query string
	kept  []string
	// br and gz are the compressed siblings of file, if any, with their
	// entity tags.
	br, brTag string
	gz, gzTag string
	// Header values for ServeHTTP, made once.
	ctypeHdr, etagHdr, brTagHdr, gzTagHdr []string
}

// index returns the index of the resolver's current manifest, building it
// the first time a manifest is seen.
func (h *Handler) index() *index {
	m, fsys := h.current()
	if ix := h.ix.Load(); ix != nil && ix.manifest == m {
		return ix
	}
	// Concurrent first requests may each build it; they build the same.
	ix := h.build(m, fsys)
	h.ix.Store(ix)
	return ix
}

// build indexes m, served from fsys.
func (h *Handler) build(m *core.Manifest, fsys fs.FS) *index {
	ix := &index{manifest: m, fsys: fsys, paths: make(map[string]*target, 2*len(m.Assets))}
	ix.form, _ = h.r.Form(m.URL)
	short := func(hash string) string {
		if m.Length > 0 && m.Length < len(hash) {
			return hash[:m.Length]
		}
		return hash
	}
	queryOf := func(name, hash string) string {
		if ix.form == nil || hash == "" {
			return ""
		}
		h := short(hash)
		s, file := ix.form.Format(name, h), ix.form.File(name, h)
		if file == name && strings.HasPrefix(s, name+"?") {
			return s[len(name)+1:]
		}
		return ""
	}
	add := func(reqPath, file, hash, cache, name string, encodings []string) *target {
		if _, ok := ix.paths[reqPath]; ok || !h.servable(reqPath) || !h.servable(file) {
			return nil
		}
		t := &target{file: file, ctype: ContentType(name), cache: cache}
		if hash != "" {
			t.etag = `"` + hash + `"`
		}
		// The manifest records the siblings build.Dir wrote; others are
		// looked for only when asked to.
		has := func(enc string) bool {
			return slices.Contains(encodings, enc) ||
				h.opts.Precompressed && isFile(ix.fsys, file+core.EncodingExt(enc))
		}
		if has(core.Brotli) {
			t.br = file + ".br"
			if hash != "" {
				t.brTag = `"` + hash + `-br"`
			}
		}
		if has(core.Gzip) {
			t.gz = file + ".gz"
			if hash != "" {
				t.gzTag = `"` + hash + `-gz"`
			}
		}
		t.ctypeHdr = []string{t.ctype}
		t.etagHdr, t.brTagHdr, t.gzTagHdr = []string{t.etag}, []string{t.brTag}, []string{t.gzTag}
		ix.paths[reqPath] = t
		return t
	}
	// The current build first: its names win over older ones.
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		a := m.Assets[name]
		if a.URL != "" {
			continue
		}
		if a.File != name {
			add(a.File, a.File, a.Hash, CacheImmutable, name, a.Encodings)
		}
		var enc []string
		if a.File == name {
			enc = a.Encodings
		}
		if t := add(name, name, a.Hash, CacheRevalidate, name, enc); t != nil {
			t.query = queryOf(name, a.Hash)
		}
	}
	for _, g := range m.Generations {
		for _, name := range slices.Sorted(maps.Keys(g.Assets)) {
			a := g.Assets[name]
			if a.URL != "" {
				continue
			}
			cur, ok := ix.paths[name]
			switch {
			case a.File == name:
				// The query form: the old bytes were overwritten.
				if q := queryOf(name, a.Hash); ok && q != "" {
					cur.kept = append(cur.kept, q)
				}
			case !h.sources:
				// A renamed copy of an earlier build, still on disk.
				add(a.File, a.File, a.Hash, CacheImmutable, name, a.Encodings)
			case ok:
				// A source handler: only the current bytes exist.
				if _, dup := ix.paths[a.File]; !dup && h.servable(a.File) {
					t := *cur
					t.query, t.kept = "", nil
					ix.paths[a.File] = &t
				}
			}
		}
	}
	return ix
}

// servable reports whether the clean relative path p may be served: not a
// manifest, and no element starting with ".".
func (h *Handler) servable(p string) bool {
	if p == "" || p == h.opts.Manifest || path.Base(p) == core.ManifestName {
		return false
	}
	if c, err := core.CleanPath(p); err != nil || c != p {
		return false
	}
	for elem := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(elem, ".") {
			return false
		}
	}
	return true
}

// isFile reports whether name is a regular file in fsys.
func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}

// ContentType returns the media type a Handler sends for the asset name:
// the type of its extension, or application/octet-stream.
func ContentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// accepts reports whether the Accept-Encoding header value ae accepts the
// content coding enc with a non-zero quality, without allocating.
func accepts(ae, enc string) bool {
	for ae != "" {
		var part string
		part, ae, _ = strings.Cut(ae, ",")
		name, params, _ := strings.Cut(part, ";")
		// Only codings named explicitly count: "*" is rare in practice and
		// would need the other elements weighed against it.
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			return !zeroQ(params)
		}
	}
	return false
}

// zeroQ reports whether the parameters of an Accept-Encoding element set
// q=0.
func zeroQ(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			v = strings.TrimSpace(v)
			return strings.Trim(v, "0.") == "" && v != ""
		}
	}
	return false
}
