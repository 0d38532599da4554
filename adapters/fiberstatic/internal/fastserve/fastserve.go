// Package fastserve answers asset requests on a fasthttp.RequestCtx, the
// part the Fiber v2 and v3 middlewares share. What to answer comes from
// serve.Handler.Decide and serve.Preconditions.Evaluate, as it does for
// serve.Handler.ServeHTTP.
package fastserve

import (
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"

	"github.com/cachebust/cachebust/serve"
)

// inlineMax is the largest body copied into the response buffer; larger
// ones are streamed from the file.
const inlineMax = 64 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// str returns b as a string without copying, for values that do not
// outlive the request handler call (serve.Handler.Decide and
// serve.Preconditions.Evaluate keep none of their arguments).
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Serve answers the request in ctx if its path starts with mount, and
// reports whether it did.
func Serve(ctx *fasthttp.RequestCtx, h *serve.Handler, mount string) bool {
	rel, ok := relPath(ctx, mount)
	if !ok {
		return false
	}
	d := h.Decide(method(ctx), rel, str(ctx.URI().QueryString()), str(ctx.Request.Header.Peek("Accept-Encoding")))
	if d.Status != http.StatusOK {
		fail(ctx, d.Status, d.CacheControl)
		return true
	}
	f, info, err := d.Open()
	if err != nil {
		fail(ctx, http.StatusNotFound, serve.CacheNotFound)
		return true
	}
	serveFile(ctx, &d, f, info)
	return true
}

// relPath returns the request's path relative to mount, percent-decoded,
// and whether the path starts with mount.
func relPath(ctx *fasthttp.RequestCtx, mount string) (string, bool) {
	// The raw path: decoding it here, once, as net/http does, keeps
	// fasthttp's normalisation (which resolves "..") out of the way so that
	// every spelling reaches Decide as it would through net/http.
	raw := str(ctx.URI().PathOriginal())
	if !strings.HasPrefix(raw, mount) {
		return "", false
	}
	rel := raw[len(mount)-1:]
	if strings.IndexByte(rel, '%') >= 0 {
		dec, err := url.PathUnescape(rel)
		if err != nil {
			dec = "\x00" // not a path: Decide refuses it
		}
		rel = dec
	}
	return rel, true
}

// method returns the request's method as Decide needs it: GET, HEAD, or
// another that it refuses.
func method(ctx *fasthttp.RequestCtx) string {
	switch {
	case ctx.IsGet():
		return http.MethodGet
	case ctx.IsHead():
		return http.MethodHead
	}
	return "OTHER"
}

// preconditions returns the conditional and range header fields of req.
func preconditions(req *fasthttp.RequestHeader) serve.Preconditions {
	return serve.Preconditions{
		IfMatch:           str(req.Peek("If-Match")),
		IfNoneMatch:       str(req.Peek("If-None-Match")),
		IfModifiedSince:   str(req.Peek("If-Modified-Since")),
		IfUnmodifiedSince: str(req.Peek("If-Unmodified-Since")),
		IfRange:           str(req.Peek("If-Range")),
		Range:             str(req.Peek("Range")),
	}
}

// serveFile answers with the opened file f of d, as http.ServeContent
// would, and closes f when done.
func serveFile(ctx *fasthttp.RequestCtx, d *serve.Decision, f fs.File, info fs.FileInfo) {
	size, modtime := info.Size(), info.ModTime()
	rep := preconditions(&ctx.Request.Header).Evaluate(d.ETag, modtime, size)
	hdr := &ctx.Response.Header
	hdr.Set("Vary", "Accept-Encoding")
	hdr.Set("Cache-Control", d.CacheControl)
	if d.ETag != "" {
		hdr.Set("Etag", d.ETag)
	}
	// As http.ServeContent: no Last-Modified for the zero time or the
	// Unix epoch.
	if modtime.IsZero() || modtime.Equal(time.Unix(0, 0)) {
		modtime = time.Time{}
	}
	switch rep.Status {
	case http.StatusNotModified:
		f.Close()
		writeNotModified(ctx, d.ETag, modtime)
		return
	case http.StatusPreconditionFailed:
		f.Close()
		writePreconditionFailed(ctx, modtime)
		return
	case http.StatusRequestedRangeNotSatisfiable:
		f.Close()
		writeRangeNotSatisfiable(ctx, rep, size)
		return
	}
	if !modtime.IsZero() {
		hdr.SetLastModified(modtime)
	}
	hdr.SetContentType(d.ContentType)
	if d.Encoding != "" {
		hdr.Set("Content-Encoding", d.Encoding)
	}
	hdr.Set("Accept-Ranges", "bytes")
	ctx.SetStatusCode(rep.Status)
	if rep.Status == http.StatusPartialContent {
		hdr.Set("Content-Range", rep.ContentRange(size))
	}
	if ctx.IsHead() {
		f.Close()
		hdr.SetContentLength(int(rep.Length))
		return
	}
	writeBody(ctx, f, rep)
}

// writeNotModified answers 304, as net/http's writeNotModified does:
// Last-Modified only when there is no ETag, and no Content-Type.
func writeNotModified(ctx *fasthttp.RequestCtx, etag string, modtime time.Time) {
	hdr := &ctx.Response.Header
	if !modtime.IsZero() && etag == "" {
		hdr.SetLastModified(modtime)
	}
	hdr.SetNoDefaultContentType(true)
	ctx.SetStatusCode(http.StatusNotModified)
}

// writePreconditionFailed answers 412, with no body or Content-Type.
func writePreconditionFailed(ctx *fasthttp.RequestCtx, modtime time.Time) {
	hdr := &ctx.Response.Header
	if !modtime.IsZero() {
		hdr.SetLastModified(modtime)
	}
	hdr.SetNoDefaultContentType(true)
	ctx.SetStatusCode(http.StatusPreconditionFailed)
}

// writeRangeNotSatisfiable answers 416 as http.ServeContent's errors are
// answered: no caching or validator headers.
func writeRangeNotSatisfiable(ctx *fasthttp.RequestCtx, rep serve.Reply, size int64) {
	hdr := &ctx.Response.Header
	hdr.Del("Cache-Control")
	hdr.Del("Etag")
	if cr := rep.ContentRange(size); cr != "" {
		hdr.Set("Content-Range", cr)
	}
	hdr.Set("X-Content-Type-Options", "nosniff")
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetStatusCode(rep.Status)
	ctx.SetBodyString("invalid range\n")
}

// writeBody sends the bytes rep selects from f: copied into the response
// up to inlineMax, streamed beyond. It closes f when done.
func writeBody(ctx *fasthttp.RequestCtx, f fs.File, rep serve.Reply) {
	if err := skip(f, rep.Start); err != nil {
		f.Close()
		fail(ctx, http.StatusInternalServerError, serve.CacheNotFound)
		return
	}
	resp := &ctx.Response
	if rep.Length > inlineMax {
		// fasthttp closes the stream when the body is sent.
		resp.SetBodyStream(readCloser{io.LimitReader(f, rep.Length), f}, int(rep.Length))
		return
	}
	defer f.Close()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	for left := rep.Length; left > 0; {
		n, err := io.ReadFull(f, (*bp)[:min(int64(len(*bp)), left)])
		resp.AppendBody((*bp)[:n])
		left -= int64(n)
		if err != nil {
			if left > 0 {
				resp.ResetBody()
				fail(ctx, http.StatusInternalServerError, serve.CacheNotFound)
			}
			return
		}
	}
}

// skip moves f past its first n bytes.
func skip(f fs.File, n int64) error {
	if n == 0 {
		return nil
	}
	if s, ok := f.(io.Seeker); ok {
		_, err := s.Seek(n, io.SeekStart)
		return err
	}
	_, err := io.CopyN(io.Discard, f, n)
	return err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// fail answers with an error status.
func fail(ctx *fasthttp.RequestCtx, status int, cacheControl string) {
	ctx.Response.Header.Set("Cache-Control", cacheControl)
	if status == http.StatusMethodNotAllowed {
		ctx.Response.Header.Set("Allow", "GET, HEAD")
	}
	ctx.Response.Header.Set("X-Content-Type-Options", "nosniff")
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetStatusCode(status)
	ctx.SetBodyString(http.StatusText(status) + "\n")
}
