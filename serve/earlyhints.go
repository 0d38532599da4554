package serve

import (
	"net/http"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints"
)

// EarlyHints returns a middleware that announces the assets of a page
// before its handler runs: for a GET request it adds a Link header with
// one value per tag of each entry's [core.Resolver.Entry] (such as
// `</static/js/app.3f2a9c1b.js>; rel=modulepreload` or
// `</static/css/app.9e1d0a7c.css>; rel=preload; as=style`) and sends it at
// once in a 103 Early Hints response, so that the browser fetches the
// assets while the handler is still at work; then it calls the handler.
//
// The Link header stays on the handler's final response too, where a CDN
// that makes its own 103 from the cached response finds it. A HEAD
// request gets the header on its final response, with no 103, since it
// fetches nothing. Requests with other methods (a form's POST, whose
// answer is often a redirect) pass to the handler untouched, and so do
// HTTP/1.0 requests as to the 103, which HTTP/1.0 has not.
//
// The 103 carries every header set on the ResponseWriter before it, as
// net/http sends them: install EarlyHints outside any middleware that
// sets headers meant for the final response only, and directly on the
// server's ResponseWriter, since a wrapper that takes the first
// WriteHeader for the final status breaks the response.
//
// The values stop, in order, before the first that would bring the
// header above 2 KiB (counted as HTTP/1.1 sends it): proxies refuse a
// response whose headers outgrow one buffer (4 KiB by default in nginx,
// which answers 502), and past a few dozen preloads hints gain nothing.
// The page's own asset_entry still prints every tag.
//
// The values are computed on the first request after each Swap of r and
// reused until the next, so a request costs a map assignment and the
// 103's write. An entry whose Entry fails (a strict resolver missing an
// asset) adds no value; the page's own asset_entry reports the error.
//
// Browsers act on 103 Early Hints only for navigations, and Chromium only
// over HTTP/2 and HTTP/3: serve the pages over HTTP/2 (TLS, which net/http
// negotiates by itself) or behind a proxy or CDN that speaks HTTP/2 to the
// browser and passes 103 on.
func EarlyHints(r *core.Resolver, names ...string) func(http.Handler) http.Handler {
	links := earlyhints.New(r, names)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.Method != http.MethodGet && req.Method != http.MethodHead {
				next.ServeHTTP(w, req)
				return
			}
			if values := links.Values(); len(values) > 0 {
				h := w.Header()
				if old := h["Link"]; len(old) > 0 {
					h["Link"] = append(old[:len(old):len(old)], values...)
				} else {
					h["Link"] = values
				}
				if req.Method == http.MethodGet && req.ProtoAtLeast(1, 1) {
					w.WriteHeader(http.StatusEarlyHints)
				}
			}
			next.ServeHTTP(w, req)
		})
	}
}
