package fingerprint

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/cachebust/cachebust/internal/parallel"
	"github.com/cachebust/cachebust/internal/rewrite"
	"github.com/cachebust/cachebust/strategy"
)

// A stylesheet, script or source map whose renamed copy refers to other
// assets must refer to their renamed copies too, or the fonts, images and
// modules it uses never bust; and its own name must change when theirs do,
// or browsers keep the old stylesheet or module. rewriteRefs does both: it
// rewrites the references in the copies and hashes the bytes actually
// served, dependencies first, so a change anywhere renames every file that
// refers to it, transitively.
//
// Files that refer to each other in a cycle cannot each be hashed after the
// other. They are hashed together instead: the name of every member of a
// cycle carries a hash of the name, size and digest of every member (with
// references leaving the cycle already rewritten), so a change to any member
// renames them all; a member that refers to nothing outside the cycle adds
// the digest its bytes were hashed to already. Their manifest hash is still
// the digest of the bytes served. JavaScript modules that import each other
// are such cycles, and so is a script with its source map: the script names
// the map in its sourceMappingURL comment, and the map names the script in
// "file".

// refsOf is what rewriteRefs knows of one file that has references.
type refsOf struct {
	data    []byte         // the original bytes
	hashed  bool           // data are the bytes the entry's hash digests
	refs    []rewrite.Ref  // its references, as found
	deps    []string       // resolved targets in the build, per ref ("" if none)
	byStart map[int]string // deps by the reference's start offset
}

// missingRef describes a reference to an asset the build does not have.
type missingRef struct {
	file   string
	ref    rewrite.Ref
	target string
	err    error
}

// Unwrap returns the error that kept the reference from resolving, if any,
// so that errors.Is finds rewrite.ErrOutsideRoot.
func (m missingRef) Unwrap() error { return m.err }

func (m missingRef) Error() string {
	if m.err != nil {
		return fmt.Sprintf("%s:%d: reference %q: %v", m.file, m.ref.Line, m.ref.Raw, m.err)
	}
	return fmt.Sprintf("%s:%d: reference %q (resolved %s) is not in the build", m.file, m.ref.Line, m.ref.Raw, m.target)
}

// foundRefs are the references found in the file of entries[i], whose
// bytes are data.
type foundRefs struct {
	i    int
	data []byte
	refs []rewrite.Ref
}

// findRefs finds, on workers goroutines, the references in every file of
// entries that may hold some, in the order of entries. It takes those
// the build found as it read a file (entry.scanned), or reads them from
// the bytes a build kept, or else from fsys.
func findRefs(fsys fs.FS, entries []entry, workers int) ([]foundRefs, error) {
	var found []foundRefs
	for i, e := range entries {
		switch {
		case e.scanned && len(e.found) > 0:
			found = append(found, foundRefs{i: i, data: e.content, refs: e.found})
		case !e.scanned && rewrite.Scans(e.name):
			found = append(found, foundRefs{i: i})
		}
	}
	err := parallel.For(context.Background(), workers, len(found), func(_ context.Context, k int) error {
		fr := &found[k]
		e := &entries[fr.i]
		if fr.refs != nil {
			return nil // found as the build read the file
		}
		fr.data = e.content
		if fr.data == nil {
			var err error
			if fr.data, err = fs.ReadFile(fsys, e.name); err != nil {
				return err
			}
		}
		if fr.refs = find(e.name, fr.data); len(fr.refs) == 0 {
			fr.data = nil
		}
		return nil
	})
	return found, err
}

// resolveRefs finds the references of the stylesheets, scripts and
// source maps among entries, resolves them to files of the build and
// records each entry's edges of the graph (see graphEdges). With report
// set, a reference to a file missing from the build is logged as a
// warning or, with opts.StrictRefs, an error; the query form, which
// rewrites nothing, leaves such references without a word, as it did
// before it recorded the graph. It returns what rewriteRefs needs of the
// files that have references.
func resolveRefs(fsys fs.FS, entries []entry, opts Options, report bool) (map[string]*refsOf, error) {
	index := make(map[string]int, len(entries))
	for i, e := range entries {
		index[e.name] = i
	}
	found, err := findRefs(fsys, entries, opts.Workers)
	if err != nil {
		return nil, err
	}
	files := make(map[string]*refsOf)
	var missing []error
	for _, fr := range found {
		e, data, refs := &entries[fr.i], fr.data, fr.refs
		if len(refs) == 0 {
			continue
		}
		f := &refsOf{data: data, hashed: e.content != nil, refs: refs, deps: make([]string, len(refs)), byStart: make(map[int]string)}
		for i, r := range refs {
			target, _, ok, err := r.Resolve(e.name, opts.prefix())
			switch {
			case err != nil:
				missing = append(missing, missingRef{file: e.name, ref: r, err: err})
			case !ok:
			case !inBuild(index, target):
				// A map's "file" is a name, not a request: one that names
				// no file of the build is left alone without a word.
				if r.Kind != rewrite.MapFile {
					missing = append(missing, missingRef{file: e.name, ref: r, target: target})
				}
			default:
				f.deps[i] = target
				f.byStart[r.Start] = target
			}
		}
		e.imports, e.refs = graphEdges(f)
		files[e.name] = f
	}
	if len(missing) > 0 && report {
		if opts.StrictRefs {
			return nil, fmt.Errorf("missing references: %w", errors.Join(missing...))
		}
		for _, m := range missing {
			opts.Logger.Warn("cachebust: reference left as written", "problem", m.Error())
		}
	}
	return files, nil
}

// graphEdges returns the edges of the graph of a file with the references
// f, for core.Asset's Imports and Refs: the targets of its static module
// imports and @imports, and those of its url() and new URL() references,
// each sorted and once. Dynamic imports, which load when the code runs,
// and source maps, which only tools fetch, are in neither.
func graphEdges(f *refsOf) (imports, refs []string) {
	for i, r := range f.refs {
		target := f.deps[i]
		switch {
		case target == "":
		case r.Kind == rewrite.Import, r.Kind == rewrite.Module && !r.Dynamic:
			imports = append(imports, target)
		case r.Kind == rewrite.URL, r.Kind == rewrite.NewURL:
			refs = append(refs, target)
		}
	}
	slices.Sort(imports)
	slices.Sort(refs)
	return slices.Clip(slices.Compact(imports)), slices.Clip(slices.Compact(refs))
}

// recordGraph records the graph of entries, as resolveRefs does, for a
// build that rewrites nothing.
func recordGraph(fsys fs.FS, entries []entry, opts Options) error {
	_, err := resolveRefs(fsys, entries, opts, false)
	return err
}

// rewriteRefs rewrites the references of the stylesheets, scripts and
// source maps among entries and re-hashes them. It changes entries in
// place: the rewritten ones get data, hash, size and integrity of their new
// bytes, and nameHash when they are part of a cycle, and every one with
// references its edges of the graph.
func rewriteRefs(fsys fs.FS, entries []entry, opts Options) error {
	files, err := resolveRefs(fsys, entries, opts, true)
	if err != nil {
		return err
	}
	index := make(map[string]int, len(entries))
	for i, e := range entries {
		index[e.name] = i
	}

	fileOf := func(name string) string {
		e := entries[index[name]]
		return opts.Form.File(name, opts.short(e.nameHash()))
	}
	sccs := components(files)
	scc := make(map[string]int, len(files)) // the component of each file
	for k, c := range sccs {
		for _, name := range c {
			scc[name] = k
		}
	}
	// render returns the bytes of name, a file of component k, with every
	// reference rewritten whose target has its final name: a file without
	// references, one of an earlier component or, if within is set, one
	// of component k.
	render := func(name string, k int, within bool) []byte {
		f := files[name]
		return rewrite.Rewrite(f.data, f.refs, func(r rewrite.Ref) (string, bool) {
			target := f.byStart[r.Start]
			if target == "" || files[target] != nil && scc[target] == k && !within {
				return "", false
			}
			return path.Base(fileOf(target)), true
		})
	}
	// Components refer only to earlier ones, so those of one level, whose
	// dependencies are all in lower levels, are rewritten in parallel.
	for _, level := range levels(sccs, files, scc) {
		_ = parallel.For(context.Background(), opts.Workers, len(level), func(_ context.Context, i int) error { // never fails
			k := level[i]
			c := sccs[k]
			if len(c) > 1 || slices.Contains(files[c[0]].deps, c[0]) {
				// Hash the cycle as a whole: the name, size and digest of
				// each member, with references leaving it rewritten and
				// those within it as written.
				h := opts.Hash.New()
				for _, name := range c {
					size, sum := cycleMember(entries[index[name]], files[name], k, scc, func() []byte { return render(name, k, false) }, opts.Hash)
					fmt.Fprintf(h, "%s\x00%d\x00%s\x00", name, size, sum)
				}
				sum := h.Sum(nil)
				for _, name := range c {
					m := opts.Hash.New()
					m.Write(sum)
					m.Write([]byte(name))
					entries[index[name]].cycleHash = hex.EncodeToString(m.Sum(nil))
				}
			}
			for _, name := range c {
				entries[index[name]].setData(render(name, k, true), opts)
			}
			return nil
		})
	}
	return nil
}

// cycleMember returns the size and digest of what the file of e, of
// component k, adds to the hash of its cycle: its bytes with references
// leaving the cycle rewritten, as render gives them. A file that refers to
// nothing outside the cycle adds its bytes as they are, and if they are
// the bytes the build hashed, their digest is the hash it has.
func cycleMember(e entry, f *refsOf, k int, scc map[string]int, render func() []byte, h strategy.Hash) (int64, string) {
	leaves := slices.ContainsFunc(f.deps, func(dep string) bool {
		j, ok := scc[dep]
		return dep != "" && (!ok || j != k)
	})
	switch {
	case leaves:
		b := render()
		return int64(len(b)), h.SumBytes(b)
	case f.hashed:
		return e.size, e.hash
	}
	return int64(len(f.data)), h.SumBytes(f.data)
}

// levels groups the components sccs of the reference graph among files,
// scc giving each file's component, by level: a component whose files
// refer to no other component is of level 0, any other one level above
// the highest it refers to. Levels are in order, and so are the
// components of each.
func levels(sccs [][]string, files map[string]*refsOf, scc map[string]int) [][]int {
	level := make([]int, len(sccs))
	var out [][]int
	for k, c := range sccs {
		for _, name := range c {
			for _, dep := range files[name].deps {
				if j, ok := scc[dep]; ok && j != k {
					level[k] = max(level[k], level[j]+1)
				}
			}
		}
		if level[k] == len(out) {
			out = append(out, nil)
		}
		out[level[k]] = append(out[level[k]], k)
	}
	return out
}

func inBuild(index map[string]int, name string) bool {
	_, ok := index[name]
	return ok
}

// components returns the strongly connected components of the reference
// graph among files, dependencies before the files that refer to them, each
// sorted by name. Tarjan's algorithm, over names in sorted order, so the
// result is deterministic.
func components(files map[string]*refsOf) [][]string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var (
		index   = make(map[string]int)
		low     = make(map[string]int)
		onStack = make(map[string]bool)
		stack   []string
		out     [][]string
		visit   func(string)
	)
	visit = func(v string) {
		index[v] = len(index)
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range files[v].deps {
			if _, ok := files[w]; !ok {
				continue // no references of its own: a leaf
			}
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var scc []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			slices.Sort(scc)
			out = append(out, scc)
		}
	}
	for _, v := range names {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
