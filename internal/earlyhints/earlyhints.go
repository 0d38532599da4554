// Package earlyhints holds the Link header values that package serve and
// the Fiber adapter send in a 103 Early Hints response for a page's
// entries, computed once per manifest of a resolver.
package earlyhints

import (
	"slices"
	"sync/atomic"

	"github.com/cachebust/cachebust/core"
)

// Links gives the Link header values for a fixed list of entries, kept
// current with the resolver's manifest. It is safe for concurrent use.
type Links struct {
	r     *core.Resolver
	names []string
	cur   atomic.Pointer[computed]
}

// computed is the Link values of one manifest.
type computed struct {
	m      *core.Manifest
	values []string
}

// New returns the Links of the entries names of r.
func New(r *core.Resolver, names []string) *Links {
	return &Links{r: r, names: slices.Clone(names)}
}

// MaxBytes bounds the Link values of a response: the values, in order,
// stop before the first that would bring their bytes, each counted as the
// line "Link: value\r\n" HTTP/1.1 sends, above it. Proxies refuse a
// response whose header does not fit in one buffer (nginx's
// proxy_buffer_size is 4 KiB by default on 64-bit Linux, for every header
// of the response, with "502 Bad Gateway"), and a browser fetches only a
// few assets at once: past a few dozen preloads the hints gain nothing
// and cost the page.
const MaxBytes = 2048

// lineBytes is what HTTP/1.1 adds to a Link value on the wire.
const lineBytes = len("Link: \r\n")

// Values returns the Link header values for the entries under r's current
// manifest: the value of each tag of each entry's [core.Resolver.Entry],
// in order, each value once, as many as MaxBytes allows. An entry whose Entry fails (a strict resolver
// missing an asset) gives none; the page's own asset_entry call reports
// the same error. The values are computed on the first call after each
// Swap of the resolver and shared until the next: the caller must not
// modify the slice, whose capacity is its length, so that an append
// copies it.
func (l *Links) Values() []string {
	m := l.r.Manifest()
	if c := l.cur.Load(); c != nil && c.m == m {
		return c.values
	}
	c := &computed{m: m, values: l.compute()}
	l.cur.Store(c)
	return c.values
}

// compute returns the Link values of every entry under the current
// manifest.
func (l *Links) compute() []string {
	var out []string
	seen := map[string]bool{}
	size := 0
	for _, name := range l.names {
		tags, err := l.r.Entry(name)
		if err != nil {
			continue
		}
		for _, t := range tags {
			v := t.Link()
			if seen[v] {
				continue
			}
			if size += len(v) + lineBytes; size > MaxBytes {
				return slices.Clip(out)
			}
			seen[v] = true
			out = append(out, v)
		}
	}
	return slices.Clip(out)
}
