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

// Values returns the Link header values for the entries under r's current
// manifest: the value of each tag of each entry's [core.Resolver.Entry],
// in order, each value once. An entry whose Entry fails (a strict resolver
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
	for _, name := range l.names {
		tags, err := l.r.Entry(name)
		if err != nil {
			continue
		}
		for _, t := range tags {
			if v := t.Link(); !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return slices.Clip(out)
}
