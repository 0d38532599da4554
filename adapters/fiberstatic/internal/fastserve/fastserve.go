// Package fastserve answers asset requests on a fasthttp.RequestCtx, the
// part the Fiber v2 and v3 middlewares share. What to answer comes from
// serve.Handler.Decide and serve.Preconditions.Evaluate, as it does for
// serve.Handler.ServeHTTP.
package fastserve

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"

	"github.com/cachebust/cachebust/serve"
)

// MountPath returns the URL path of a resolver prefix, which may be a full
// URL such as "https://cdn.example.com/assets/", always ending in "/".
func MountPath(prefix string) string {
	if u, err := url.Parse(prefix); err == nil && u.Host != "" {
		prefix = u.Path
	}
	if !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix
}

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
	// The raw path: decoding it here, once, as net/http does, keeps
	// fasthttp's normalisation (which resolves "..") out of the way so that
	// every spelling reaches Decide as it would through net/http.
	raw := str(ctx.URI().PathOriginal())
	if !strings.HasPrefix(raw, mount) {
		return false
	}
	rel := raw[len(mount)-1:]
	if strings.IndexByte(rel, '%') >= 0 {
		dec, err := url.PathUnescape(rel)
		if err != nil {
			dec = "\x00" // not a path: Decide refuses it
		}
		rel = dec
	}
	method := "OTHER"
	switch {
	case ctx.IsGet():
		method = http.MethodGet
	case ctx.IsHead():
		method = http.MethodHead
	}
	req := &ctx.Request.Header
	d := h.Decide(method, rel, str(ctx.URI().QueryString()), str(req.Peek("Accept-Encoding")))
	resp := &ctx.Response
	if d.Status != http.StatusOK {
		fail(ctx, d.Status, d.CacheControl)
		return true
	}
	f, info, err := d.Open()
	if err != nil {
		fail(ctx, http.StatusNotFound, serve.CacheNotFound)
		return true
	}
	size, modtime := info.Size(), info.ModTime()
	rep := serve.Preconditions{
		IfMatch:           str(req.Peek("If-Match")),
		IfNoneMatch:       str(req.Peek("If-None-Match")),
		IfModifiedSince:   str(req.Peek("If-Modified-Since")),
		IfUnmodifiedSince: str(req.Peek("If-Unmodified-Since")),
		IfRange:           str(req.Peek("If-Range")),
		Range:             str(req.Peek("Range")),
	}.Evaluate(d.ETag, modtime, size)

	hdr := &resp.Header
	hdr.Set("Vary", "Accept-Encoding")
	hdr.Set("Cache-Control", d.CacheControl)
	if d.ETag != "" {
		hdr.Set("Etag", d.ETag)
	}
	lastModified := !modtime.IsZero() && !modtime.Equal(time.Unix(0, 0))
	switch rep.Status {
	case http.StatusNotModified:
		f.Close()
		if lastModified && d.ETag == "" {
			hdr.SetLastModified(modtime)
		}
		hdr.SetNoDefaultContentType(true)
		ctx.SetStatusCode(http.StatusNotModified)
		return true
	case http.StatusPreconditionFailed:
		f.Close()
		if lastModified {
			hdr.SetLastModified(modtime)
		}
		hdr.SetNoDefaultContentType(true)
		ctx.SetStatusCode(http.StatusPreconditionFailed)
		return true
	case http.StatusRequestedRangeNotSatisfiable:
		f.Close()
		// As http.ServeContent's errors: no caching or validator headers.
		hdr.Del("Cache-Control")
		hdr.Del("Etag")
		if cr := rep.ContentRange(size); cr != "" {
			hdr.Set("Content-Range", cr)
		}
		hdr.Set("X-Content-Type-Options", "nosniff")
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.SetStatusCode(rep.Status)
		ctx.SetBodyString("invalid range\n")
		return true
	}
	if lastModified {
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
		return true
	}
	if rep.Start > 0 {
		s, ok := f.(io.Seeker)
		if !ok {
			if _, err := io.CopyN(io.Discard, f, rep.Start); err != nil {
				f.Close()
				fail(ctx, http.StatusInternalServerError, serve.CacheNotFound)
				return true
			}
		} else if _, err := s.Seek(rep.Start, io.SeekStart); err != nil {
			f.Close()
			fail(ctx, http.StatusInternalServerError, serve.CacheNotFound)
			return true
		}
	}
	if rep.Length > inlineMax {
		// fasthttp closes the stream when the body is sent.
		resp.SetBodyStream(readCloser{io.LimitReader(f, rep.Length), f}, int(rep.Length))
		return true
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
			break
		}
	}
	return true
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
