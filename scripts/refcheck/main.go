// Command refcheck checks the references in a tree that cachebust built in
// the rename form.
//
// Usage:
//
//	go run ./scripts/refcheck [-manifest FILE] [-prefix /static/] [-esbuild META] DIR
//
// It reads the manifest (DIR/cachebust.json by default) and, for every
// renamed copy of a stylesheet, script or source map the manifest names,
// finds the references with package rewrite and resolves them as a browser
// would. Every reference to a local asset must resolve to a file that
// exists and that the manifest names as an asset's renamed file, and the
// file's bytes must have the hash the manifest records for it. The copy
// must equal its original, which must still be in DIR, everywhere but at
// the references. References with a scheme, protocol-relative ones, bare
// fragments, root-relative ones outside the prefix and bare module
// specifiers are counted as left alone and not checked, and so is a source
// map's "file" that names no file.
//
// With -esbuild, META is an esbuild metafile of scripts in DIR (esbuild
// --bundle --external:'*' --metafile=META, run in DIR), and refcheck also
// checks that the module specifiers it finds in each of those scripts are
// exactly the ones esbuild's parser finds: what a scanner misses is never
// rewritten, so this is how a miss shows.
//
// It prints one line per problem and then the counts, and exits with status
// 1 if there was any problem, 2 for a usage mistake.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/rewrite"
	"github.com/cachebust/cachebust/strategy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// counts are what a check found.
type counts struct {
	files     int // files the manifest names
	referrers int // renamed copies scanned for references
	scripts   int // of which JavaScript
	modules   int // of which with a module specifier or a computed import
	checked   int // local references checked
	external  int // references left alone: schemes, fragments, ...
	problems  int // references that failed a check

	specifiers int // module specifiers and new URL() strings found
	rewritten  int // of which rewritten
	bare       int // of which bare, left alone
	urls       int // of which full URLs or outside the prefix, left alone
	computed   int // computed imports, left alone
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("refcheck", flag.ContinueOnError)
	flags.SetOutput(stderr)
	manifest := flags.String("manifest", "", "manifest path (default DIR/"+core.ManifestName+")")
	prefix := flags.String("prefix", core.DefaultPrefix, "URL path the assets are served under, for root-relative references")
	meta := flags.String("esbuild", "", "esbuild metafile of scripts in DIR, to cross-check module specifiers")
	if err := flags.Parse(args); err != nil || flags.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: refcheck [-manifest FILE] [-prefix /static/] [-esbuild META] DIR")
		return 2
	}
	dir := flags.Arg(0)
	if *manifest == "" {
		*manifest = filepath.Join(dir, core.ManifestName)
	}
	m, err := core.ReadManifest(*manifest)
	if err != nil {
		fmt.Fprintf(stderr, "refcheck: %v\n", err)
		return 1
	}
	c, err := check(os.DirFS(dir), m, *prefix, func(problem string) {
		fmt.Fprintf(stdout, "refcheck: %s\n", problem)
	})
	if err != nil {
		fmt.Fprintf(stderr, "refcheck: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "refcheck %s: %d files, %d renamed stylesheets, scripts and maps scanned (%d scripts, %d modules), %d references checked, %d left alone, %d problems\n",
		dir, c.files, c.referrers, c.scripts, c.modules, c.checked, c.external, c.problems)
	fmt.Fprintf(stdout, "refcheck %s: %d module specifiers and new URL() strings: %d rewritten, %d bare, %d URLs or outside the prefix; %d computed imports left as written\n",
		dir, c.specifiers, c.rewritten, c.bare, c.urls, c.computed)
	if *meta != "" {
		differ, err := compareEsbuild(os.DirFS(dir), *meta, dir, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "refcheck: %v\n", err)
			return 1
		}
		c.problems += differ
	}
	if c.problems > 0 || c.referrers == 0 {
		return 1
	}
	return 0
}

// compareEsbuild cross-checks the scripts in out with the esbuild metafile
// meta and prints the outcome. It returns how many scripts differ.
func compareEsbuild(out fs.FS, meta, dir string, stdout io.Writer) (int, error) {
	data, err := os.ReadFile(meta)
	if err != nil {
		return 0, err
	}
	imports, err := esbuildImports(data)
	if err != nil {
		return 0, err
	}
	files, specifiers, differ, err := crossCheck(out, imports, func(problem string) {
		fmt.Fprintf(stdout, "refcheck: %s\n", problem)
	})
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "refcheck %s: cross-checked %d scripts against esbuild: %d module specifiers, %d scripts differ\n", dir, files, specifiers, differ)
	return differ, nil
}

// checker checks the renamed copies of one build.
type checker struct {
	out     fs.FS
	m       *core.Manifest
	h       strategy.Hash
	prefix  string
	logical map[string]string // renamed file -> logical path
	report  func(string)
	counts
}

// check checks the references of the renamed copies in out that m names,
// reporting each problem.
func check(out fs.FS, m *core.Manifest, prefix string, report func(string)) (counts, error) {
	h, err := strategy.HashByName(m.Hash)
	if err != nil {
		return counts{}, fmt.Errorf("manifest: %w", err)
	}
	c := checker{out: out, m: m, h: h, prefix: prefix, logical: make(map[string]string, len(m.Assets)), report: report}
	for name, a := range m.Assets {
		if a.File != name {
			c.logical[a.File] = name
		}
	}
	c.files = len(m.Assets)
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		if a := m.Assets[name]; a.File != name && rewrite.Scans(a.File) {
			if err := c.file(name, a.File); err != nil {
				return c.counts, err
			}
		}
	}
	return c.counts, nil
}

// file checks the renamed copy file of the asset name.
func (c *checker) file(name, file string) error {
	data, err := fs.ReadFile(c.out, file)
	if err != nil {
		return err
	}
	orig, err := fs.ReadFile(c.out, name)
	if err != nil {
		return fmt.Errorf("original of %s: %w", file, err)
	}
	c.referrers++
	refs := rewrite.Find(file, data)
	origRefs := rewrite.Find(name, orig)
	c.compare(file, data, refs, orig, origRefs)
	if ext := strings.ToLower(path.Ext(file)); ext == ".js" || ext == ".mjs" || ext == ".cjs" {
		c.scripts++
		computed := len(rewrite.ComputedImports(data))
		c.computed += computed
		if computed > 0 || slices.ContainsFunc(refs, func(r rewrite.Ref) bool { return r.Kind == rewrite.Module }) {
			c.modules++
		}
	}
	for i, r := range refs {
		rewritten := len(origRefs) == len(refs) && origRefs[i].Raw != r.Raw
		c.ref(file, r, rewritten)
	}
	return nil
}

// compare reports a problem if the copy data differs from its original
// anywhere but at the references.
func (c *checker) compare(file string, data []byte, refs []rewrite.Ref, orig []byte, origRefs []rewrite.Ref) {
	if len(refs) != len(origRefs) {
		c.problems++
		c.report(fmt.Sprintf("%s: %d references, its original has %d", file, len(refs), len(origRefs)))
		return
	}
	last, origLast := 0, 0
	for i, r := range refs {
		o := origRefs[i]
		if string(data[last:r.Start]) != string(orig[origLast:o.Start]) || r.Kind != o.Kind || r.Quote != o.Quote {
			c.problems++
			c.report(fmt.Sprintf("%s:%d: bytes before reference %q differ from the original's", file, r.Line, r.Raw))
			return
		}
		last, origLast = r.End, o.End
	}
	if string(data[last:]) != string(orig[origLast:]) {
		c.problems++
		c.report(fmt.Sprintf("%s: bytes after the last reference differ from the original's", file))
	}
}

// ref checks the reference r of the copy file.
func (c *checker) ref(file string, r rewrite.Ref, rewritten bool) {
	problem := func(format string, args ...any) {
		c.problems++
		c.report(fmt.Sprintf("%s:%d: reference %q: ", file, r.Line, r.Raw) + fmt.Sprintf(format, args...))
	}
	specifier := r.Kind == rewrite.Module || r.Kind == rewrite.NewURL
	if specifier {
		c.specifiers++
		if rewritten {
			c.rewritten++
		}
	}
	target, _, ok, err := r.Resolve(file, c.prefix)
	switch {
	case err != nil:
		problem("%v", err)
		return
	case !ok:
		c.external++
		if specifier && r.Bare() {
			c.bare++
		} else if specifier {
			c.urls++
		}
		return
	}
	b, err := fs.ReadFile(c.out, target)
	if err != nil && r.Kind == rewrite.MapFile {
		c.external++ // a map's "file" that names nothing is left as written
		return
	}
	c.checked++
	if err != nil {
		problem("resolves to %s: %v", target, err)
		return
	}
	asset, ok := c.logical[target]
	if !ok {
		problem("resolves to %s, which is not a renamed file of the manifest", target)
		return
	}
	if got, want := c.h.SumBytes(b), c.m.Assets[asset].Hash; got != want {
		problem("resolves to %s with %s %s, manifest says %s", target, c.m.Hash, got, want)
	}
}
