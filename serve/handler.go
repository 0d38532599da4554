package serve

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/confine"
	"github.com/cachebust/cachebust/internal/mediatype"
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
	// Stat calls per asset. They are trusted to hold the asset's bytes,
	// compressed; a fingerprint.Tree offers them only from a source that cannot
	// change.
	Precompressed bool
	// HiddenManifest is the name, relative to the file system, of a manifest
	// file that must never be served, in addition to any file named
	// core.ManifestName. Paths with an element starting with "." (such as
	// ".vite/manifest.json") are never served either.
	HiddenManifest string
}

// A Handler serves the assets a Resolver's manifest vouches for, with the
// caching rules of fingerprinted URLs:
//
//   - a URL whose hash the manifest confirms (the current build, or a
//     renamed copy of a kept generation) gets [CacheImmutable], and
//     exactly the bytes that hash names (see [Decision.Open]);
//   - a plain URL, such as /static/css/app.css, gets [CacheRevalidate] and
//     the bytes of the asset's fingerprinted URL (for a stylesheet whose
//     references the build rewrote, the rewritten copy), under a strong
//     ETag made from the manifest's hash, so that nothing is hashed per
//     request in an output directory;
//   - an unknown or stale hash is a 404 with [CacheNotFound]. When a kept
//     generation's old bytes no longer exist apart from the current ones
//     (the query form, or a source handler), its URL is answered with the
//     current bytes and CacheRevalidate, never as immutable;
//   - every other path, including the manifest, directories, and any
//     spelling of a path outside the tree, is a 404, and so is a file
//     reached through a symbolic link that leads out of the file system,
//     whatever fs.FS it is: links that stay inside are followed (over
//     os.DirFS they are resolved before each open; the FS of an os.Root,
//     the one to pass for a directory on disk, refuses the others in the
//     open itself);
//   - methods other than GET and HEAD get 405.
//
// Every asset response carries "Vary: Accept-Encoding". HEAD, Range and
// conditional requests are handled by [http.ServeContent].
//
// # What immutable guarantees
//
// An immutable answer carries exactly the bytes its URL's hash names, and
// an ETag is the hash of the bytes it comes with:
//
//   - in an output directory of fingerprint.Dir ([NewHandler]), the renamed
//     copies are written once, under names made from their hash, and
//     served as they are, with nothing hashed per request. In the query
//     form the URL's file is the original itself, which a build never
//     writes: it must change only through a build;
//   - from a source ([NewSourceHandler]), whose files may change (a
//     directory, dev mode), a fingerprint.Tree reads and hashes a file again
//     each time it is opened and the handler compares (see
//     [Decision.Open]): a file that changed since the build, even while
//     it is read, is answered with the bytes read, CacheRevalidate and
//     their own ETag, never as immutable, until the source has a manifest
//     for them. The files of an embed.FS cannot change and are served with
//     no extra read or hash, as are copies whose references were
//     rewritten, which the build holds in memory.
//
// A Handler serves paths relative to its mount point: mount it with
// [http.StripPrefix] at the path of the resolver's prefix,
//
//	mux.Handle("/static/", http.StripPrefix("/static", h))
//
// It indexes the manifest when it is made, and follows Resolver.Swap: a
// Handler from NewHandler indexes each new manifest inside Swap (see
// Resolver.OnSwap), before any page can hold its URLs. Where the manifest
// changes otherwise, as a Source's does, the first request after the
// change indexes it, once, while concurrent requests wait for it. Every
// other request costs a few map lookups.
type Handler struct {
	r       *core.Resolver
	current func() (*core.Manifest, fs.FS)
	sources bool // the files are an in-memory build's: only the current bytes exist
	opts    Options
	ix      atomic.Pointer[index]
	next    atomic.Pointer[index] // indexed in Swap, before lookups see it
	mu      sync.Mutex            // held while an index is built
	stop    func() bool           // unregisters the Swap hook of NewHandler
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns a Handler serving the assets of r's manifest from
// fsys, the output directory of a build (github.com/cachebust/cachebust/fingerprint.Dir),
// where every renamed copy the manifest names exists.
//
// The handler indexes each manifest r swaps in from a hook registered with
// Resolver.OnSwap. Close unregisters it; so does the garbage collector,
// once nothing else refers to the handler, so that a handler dropped
// without Close costs later swaps nothing either.
func NewHandler(fsys fs.FS, r *core.Resolver, opts Options) *Handler {
	h := &Handler{r: r, opts: opts, current: func() (*core.Manifest, fs.FS) { return r.Manifest(), fsys }}
	// The hook holds the handler weakly, so that the resolver does not
	// keep it alive.
	wh := weak.Make(h)
	h.stop = r.OnSwap(func(m *core.Manifest) {
		if h := wh.Value(); h != nil {
			h.next.Store(h.build(m, fsys))
		}
	})
	runtime.AddCleanup(h, func(stop func() bool) { stop() }, h.stop)
	h.reindex()
	return h
}

// Close unregisters the hook by which h indexes, inside Resolver.Swap,
// each manifest its resolver swaps in: after it, a Swap does no work for h.
// h keeps serving; it then indexes a new manifest on the first request
// that sees it, as a source handler does. Close of a handler from
// NewSourceHandler, or a second Close, does nothing. It returns nil.
func (h *Handler) Close() error {
	if h.stop != nil {
		h.stop()
	}
	return nil
}

// A Source gives the manifest of an in-memory build and the files that
// serve it. fingerprint.Tree (a build at start-up, for example of an embed.FS)
// and fingerprint.Dev (development, where the files change) are sources.
//
// Files that may hold other bytes than the manifest names, because they
// changed since they were hashed, must open as a [HashedFile], as those of
// a fingerprint.Tree over a directory do: the handler answers as immutable only
// the bytes whose hash is the manifest's.
type Source interface {
	// Snapshot returns the latest manifest and the files that serve it.
	Snapshot() (*core.Manifest, fs.FS)
}

// A HashedFile is a file that knows the digest of the bytes it reads.
type HashedFile interface {
	fs.File
	// Hash returns the full lowercase hex digest of every byte the file
	// reads, in the hash the manifest names.
	Hash() string
}

// NewSourceHandler returns a Handler serving the manifest and files of
// src, resolving URLs as r does (r must follow src's manifest). Only the
// current bytes of an in-memory build exist, so the URLs of kept
// generations are answered with them and CacheRevalidate, never as
// immutable. A file that changed since src hashed it is answered the same
// way, under the ETag of its new bytes, until src has a manifest for them.
func NewSourceHandler(src Source, r *core.Resolver, opts Options) *Handler {
	h := &Handler{r: r, opts: opts, current: src.Snapshot, sources: true}
	h.reindex()
	return h
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
	// manifest records no hash for the asset. Open may change it.
	ETag string

	fsys fs.FS // where File is
}

// Open opens the file of a Decision with status http.StatusOK, and returns
// it with its FileInfo. It fails for anything but a regular file, so that
// a directory is never listed. Servers act on d only after Open.
//
// When the file is a [HashedFile] whose bytes are not those of the
// decided ETag (a Source's file that changed since it was hashed), Open
// makes d a revalidating answer for the bytes it opened: CacheControl
// becomes [CacheRevalidate] and ETag their own hash. So an immutable
// answer always carries the bytes its URL's hash names.
func (d *Decision) Open() (fs.File, fs.FileInfo, error) {
	if d.fsys == nil {
		return nil, nil, &fs.PathError{Op: "open", Path: d.File, Err: fs.ErrNotExist}
	}
	f, info, err := openAsset(d.fsys, d.File)
	if err != nil {
		return nil, nil, err
	}
	if hf, ok := f.(HashedFile); ok && d.Encoding == "" {
		if hash := hf.Hash(); !isTag(d.ETag, hash) {
			d.CacheControl, d.ETag = CacheRevalidate, `"`+hash+`"`
		}
	}
	return f, info, nil
}

// isTag reports whether etag is the strong entity tag made of hash.
func isTag(etag, hash string) bool {
	return len(etag) == len(hash)+2 && etag[0] == '"' && etag[len(etag)-1] == '"' && etag[1:len(etag)-1] == hash
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
	d := Decision{Status: http.StatusOK, File: t.file, ContentType: t.ctype, CacheControl: t.cache, ETag: t.etag, fsys: ix.fsys}
	if t.query != nil && rawQuery != "" {
		switch {
		case rawQuery == t.query.current:
			d.CacheControl = CacheImmutable
		case slices.Contains(t.query.kept, rawQuery):
			// A kept generation of the query form: its bytes were
			// replaced by the current ones.
		case ix.form != nil:
			if _, _, ok := ix.form.Parse(urlPath + "?" + rawQuery); ok {
				return Decision{Status: http.StatusNotFound, CacheControl: CacheNotFound}
			}
			// Some other query string: a plain URL.
		}
	}
	if t.br != nil && accepts(acceptEncoding, "br") {
		d.File, d.Encoding, d.ETag = t.br.file, "br", t.br.etag
	} else if t.gz != nil && accepts(acceptEncoding, "gzip") {
		d.File, d.Encoding, d.ETag = t.gz.file, "gzip", t.gz.etag
	}
	return d
}

// ServeHTTP serves the asset at req.URL.Path, relative to the mount point.
func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	d := h.Decide(req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get("Accept-Encoding"))
	hdr := w.Header()
	if d.Status != http.StatusOK {
		hdr["Cache-Control"] = []string{CacheNotFound}
		if d.Status == http.StatusMethodNotAllowed {
			hdr["Allow"] = []string{"GET, HEAD"}
		}
		http.Error(w, http.StatusText(d.Status), d.Status)
		return
	}
	f, info, err := d.Open()
	if err != nil {
		hdr["Cache-Control"] = []string{CacheNotFound}
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
	setHeaders(hdr, &d)
	http.ServeContent(w, req, d.File, info.ModTime(), rs)
}

// setHeaders sets the headers of the answer d in hdr. Every value is a
// slice of its own, with len == cap, so that whoever edits one, or appends
// to it, after the handler changes this response only; the values of one
// response share one allocation.
func setHeaders(hdr http.Header, d *Decision) {
	vals := new([5]string)
	n := 0
	set := func(key, value string) {
		vals[n] = value
		hdr[key] = vals[n : n+1 : n+1]
		n++
	}
	set("Vary", "Accept-Encoding")
	set("Cache-Control", d.CacheControl)
	set("Content-Type", d.ContentType)
	if d.Encoding != "" {
		set("Content-Encoding", d.Encoding)
	}
	if d.ETag != "" {
		set("Etag", d.ETag)
	}
}

// openAsset opens the file name of fsys and returns it with its FileInfo.
// It follows no symbolic link out of fsys (see confine.Open), and fails
// for anything but a regular file, so that a directory is never listed.
func openAsset(fsys fs.FS, name string) (fs.File, fs.FileInfo, error) {
	f, err := confine.Open(fsys, name)
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

// ContentType returns the media type a Handler sends for the asset name:
// the type of its extension, in any case, from a fixed table of the types
// web assets need (styles, scripts, source maps, JSON, HTML, images,
// fonts, WebAssembly, text, audio and video), or
// application/octet-stream. It is the same on every machine, whatever
// MIME tables the host has; cachebust publish sends the same types.
func ContentType(name string) string { return mediatype.Of(name) }

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
