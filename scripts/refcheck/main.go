// Command refcheck checks the references in a tree that cachebust built in
// the rename form.
//
// Usage:
//
//	go run ./scripts/refcheck [-manifest FILE] [-prefix /static/] DIR
//
// It reads the manifest (DIR/cachebust.json by default) and, for every
// renamed copy of a stylesheet or script the manifest names, finds the
// references with package rewrite and resolves them as a browser would.
// Every reference to a local asset must resolve to a file that exists and
// that the manifest names as an asset's renamed file, and the file's bytes
// must have the hash the manifest records for it. References with a scheme,
// protocol-relative ones, bare fragments and root-relative ones outside the
// prefix are counted as external and not checked.
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
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/core/rewrite"
	"github.com/cachebust/cachebust/strategy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// counts are what a check found.
type counts struct {
	files     int // files the manifest names
	referrers int // renamed copies scanned for references
	checked   int // local references checked
	external  int // references left alone: schemes, fragments, ...
	problems  int // references that failed a check
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("refcheck", flag.ContinueOnError)
	flags.SetOutput(stderr)
	manifest := flags.String("manifest", "", "manifest path (default DIR/"+core.ManifestName+")")
	prefix := flags.String("prefix", core.DefaultPrefix, "URL path the assets are served under, for root-relative references")
	if err := flags.Parse(args); err != nil || flags.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: refcheck [-manifest FILE] [-prefix /static/] DIR")
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
	fmt.Fprintf(stdout, "refcheck %s: %d files, %d renamed stylesheets and scripts, %d references checked, %d external, %d problems\n",
		dir, c.files, c.referrers, c.checked, c.external, c.problems)
	if c.problems > 0 || c.referrers == 0 {
		return 1
	}
	return 0
}

// check checks the references of the renamed copies in out that m names,
// reporting each problem.
func check(out fs.FS, m *core.Manifest, prefix string, report func(string)) (counts, error) {
	h, err := strategy.HashByName(m.Hash)
	if err != nil {
		return counts{}, fmt.Errorf("manifest: %w", err)
	}
	logical := make(map[string]string, len(m.Assets)) // renamed file -> logical path
	for name, a := range m.Assets {
		if a.File != name {
			logical[a.File] = name
		}
	}
	c := counts{files: len(m.Assets)}
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		a := m.Assets[name]
		if a.File == name {
			continue
		}
		data, err := fs.ReadFile(out, a.File)
		if err != nil {
			return c, err
		}
		if !rewrite.Scans(a.File) {
			continue
		}
		refs := rewrite.Find(a.File, data)
		c.referrers++
		for _, r := range refs {
			problem := func(format string, args ...any) {
				c.problems++
				report(fmt.Sprintf("%s:%d: reference %q: ", a.File, r.Line, r.Raw) + fmt.Sprintf(format, args...))
			}
			target, _, ok, err := r.Resolve(a.File, prefix)
			switch {
			case err != nil:
				problem("%v", err)
				continue
			case !ok:
				c.external++
				continue
			}
			c.checked++
			b, err := fs.ReadFile(out, target)
			if err != nil {
				problem("resolves to %s: %v", target, err)
				continue
			}
			asset, ok := logical[target]
			if !ok {
				problem("resolves to %s, which is not a renamed file of the manifest", target)
				continue
			}
			if got, want := h.SumBytes(b), m.Assets[asset].Hash; got != want {
				problem("resolves to %s with %s %s, manifest says %s", target, m.Hash, got, want)
			}
		}
	}
	return c, nil
}
