// Package generations works out which earlier builds a manifest keeps, for
// the packages that write manifests: a directory build, a dev build and
// publishing.
package generations

import "github.com/cachebust/cachebust/core"

// Kept returns the generations a manifest m keeps when it replaces old, as
// a directory build and publishing record them: old's build and its kept
// generations, newest first, each less the renamed files (File and Hash)
// a newer build also has and less the assets served at their own names,
// without empty ones, at most keep of them.
//
// A kept asset keeps no edges of the graph (Imports, Refs, CSS): a kept
// file only serves pages rendered earlier, and pages are rendered with the
// current build alone, so the edges would only grow the manifest.
func Kept(m, old *core.Manifest, keep int) []core.Generation {
	if old == nil || keep <= 0 {
		return nil
	}
	seen := make(map[string]bool)
	mark := func(assets map[string]core.Asset) {
		for _, a := range assets {
			seen[a.File+"\x00"+a.Hash] = true
		}
	}
	mark(m.Assets)
	all := []map[string]core.Asset{old.Assets}
	for _, g := range old.Generations {
		all = append(all, g.Assets)
	}
	var gens []core.Generation
	for _, assets := range all {
		g := core.Generation{Assets: make(map[string]core.Asset)}
		for name, a := range assets {
			if !seen[a.File+"\x00"+a.Hash] && a.File != name {
				a.Imports, a.Refs, a.CSS = nil, nil, nil
				g.Assets[name] = a
			}
		}
		mark(assets)
		if len(g.Assets) > 0 {
			gens = append(gens, g)
		}
		if len(gens) == keep {
			break
		}
	}
	return gens
}
