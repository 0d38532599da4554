package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// brotliTarget bounds the CPU time build -brotli spends compressing ÷
// that of C brotli -q 11 compressing the same files.
var brotliTarget = perf.AtMost(1.5)

// compressibleExt are the extensions of the files build -brotli
// compresses, as fingerprint/compress.go lists them.
var compressibleExt = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".cjs": true, ".map": true,
	".json": true, ".webmanifest": true, ".svg": true, ".html": true, ".htm": true,
	".txt": true, ".xml": true, ".csv": true, ".md": true, ".wasm": true,
	".ttf": true, ".otf": true, ".eot": true, ".ico": true,
}

// brotliTrees returns the -npm trees whose names start with a prefix of
// -brotli-npm, or else the -brotli-dir tree.
func brotliTrees(cfg *config) ([]tree, error) {
	var ts []tree
	for _, t := range cfg.npm {
		if slices.ContainsFunc(cfg.brotliNpm, func(p string) bool { return strings.HasPrefix(t.name, p) }) {
			ts = append(ts, t)
		}
	}
	if len(ts) > 0 || cfg.brotliDir == "" {
		return ts, nil
	}
	t := tree{name: filepath.ToSlash(cfg.brotliDir), dir: cfg.brotliDir}
	return []tree{t}, t.stat()
}

// brotliScript returns a shell script that compresses, in the directory
// it runs in, every file of the tree t that build -brotli compresses,
// with the C brotli command c at quality 11 and the window build -brotli
// gives it, into FILE.cbr beside it; and how many files and bytes it
// compresses.
func brotliScript(t tree, c string) (script string, files int, size int64, err error) {
	byWindow := map[int][]string{}
	err = filepath.WalkDir(t.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != t.dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !compressibleExt[strings.ToLower(path.Ext(d.Name()))] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(t.dir, p)
		if err != nil {
			return err
		}
		w := min(max(bits.Len(uint(info.Size())), 10), 24)
		byWindow[w] = append(byWindow[w], "./"+filepath.ToSlash(rel))
		files++
		size += info.Size()
		return nil
	})
	if err != nil {
		return "", 0, 0, err
	}
	var b strings.Builder
	b.WriteString("set -e\n")
	for _, w := range slices.Sorted(func(yield func(int) bool) {
		for w := range byWindow {
			if !yield(w) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, "%s -q 11 -w %d -k -f -S .cbr", shellQuote(c), w)
		for _, name := range byWindow[w] {
			b.WriteString(" " + shellQuote(name))
		}
		b.WriteString("\n")
	}
	return b.String(), files, size, nil
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// sameBrotli compares every FILE.br under built with FILE.cbr under
// byC, and returns how many there are and how many are the same.
func sameBrotli(built, byC string) (total, same int, err error) {
	err = filepath.WalkDir(built, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".br") || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(built, p)
		if err != nil {
			return err
		}
		a, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		total++
		if b, err := os.ReadFile(filepath.Join(byC, strings.TrimSuffix(rel, ".br")+".cbr")); err == nil && bytes.Equal(a, b) {
			same++
		}
		return nil
	})
	return total, same, err
}

func brotliSection(ctx context.Context, cfg *config) (string, error) {
	var b strings.Builder
	b.WriteString(`## Brotli against C brotli

The CPU time (user and system) ` + "`cachebust build -brotli -url query DIR`" + `
spends compressing, measured as that build's less that of the same build
without ` + "`-brotli`" + `, each on a fresh copy of the tree made untimed,
against C ` + "`brotli -q 11`" + ` compressing the same files (those whose
extension build -brotli compresses) with the same window, one process per
window size, on a fresh copy too. After the rounds, every .br file of the
last build is checked to be byte-identical to C brotli's output for its
file.

`)
	c, err := exec.LookPath(cfg.brotli)
	if err != nil {
		fmt.Fprintf(&b, "Not measured: %s is not installed.\n", cfg.brotli)
		return b.String(), nil
	}
	ts, err := brotliTrees(cfg)
	if err != nil {
		return "", err
	}
	t := perf.Table{Header: []string{"tree", "files compressed:", "MiB compressed:", "build -brotli CPU ms:", "build CPU ms:", "C brotli CPU ms:",
		"compressing CPU ÷ C brotli:", "range:", "identical .br files:", "target " + brotliTarget.String() + "×, identical"}}
	var vs []float64
	for i, tr := range ts {
		fmt.Fprintf(cfg.log, "perf: brotli: %s\n", tr.name)
		work := filepath.Join(cfg.work, "brotli", strconv.Itoa(i))
		row, v, err := measureBrotli(ctx, cfg, tr, c, work)
		os.RemoveAll(work)
		if err != nil {
			return "", err
		}
		t.Add(row...)
		vs = append(vs, v)
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\n- Within %g× C brotli's CPU time, byte-identical: %s.\n", brotliTarget.Limit, tally(brotliTarget, vs))
	return b.String(), nil
}

// measureBrotli measures the brotli section's row of t under work with
// the C brotli command c, and returns the row and the figure its
// verdict is on: the CPU ratio, or +Inf if an output is not identical.
func measureBrotli(ctx context.Context, cfg *config, t tree, c, work string) ([]string, float64, error) {
	script, files, size, err := brotliScript(t, c)
	if err != nil {
		return nil, 0, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, 0, err
	}
	scriptName := filepath.Join(work, "compress.sh")
	if err := os.WriteFile(scriptName, []byte(script), 0o644); err != nil {
		return nil, 0, err
	}
	dir := func(kind string, run int) string { return filepath.Join(work, kind+strconv.Itoa(run)) }
	fresh := func(kind string) func(int) error {
		return func(run int) error {
			if err := os.RemoveAll(dir(kind, run-1)); err != nil {
				return err
			}
			return copyTree(ctx, t.dir, dir(kind, run))
		}
	}
	s, err := perf.Interleave(cfg.warm, cfg.brotliRuns,
		perf.Side{Name: "build -brotli", Prepare: fresh("brotli"), Run: func(run int) (perf.Sample, error) {
			return perf.Exec(ctx, "", cfg.cachebust, "build", "-brotli", "-url", "query", dir("brotli", run))
		}},
		perf.Side{Name: "build", Prepare: fresh("plain"), Run: func(run int) (perf.Sample, error) {
			return perf.Exec(ctx, "", cfg.cachebust, "build", "-url", "query", dir("plain", run))
		}},
		perf.Side{Name: "brotli -q 11", Prepare: fresh("c"), Run: func(run int) (perf.Sample, error) {
			return perf.Exec(ctx, dir("c", run), "sh", scriptName)
		}},
	)
	if err != nil {
		return nil, 0, err
	}
	last := cfg.warm + cfg.brotliRuns - 1
	total, same, err := sameBrotli(dir("brotli", last), dir("c", last))
	if err != nil {
		return nil, 0, err
	}
	rs := make([]float64, len(s[0]))
	for i := range rs {
		rs[i] = (s[0][i].CPUMillis() - s[1][i].CPUMillis()) / s[2][i].CPUMillis()
	}
	r := perf.Summarize(rs)
	cpu := func(samples []perf.Sample) string {
		return fmt.Sprintf("%.0f", perf.Median(perf.Values(samples, perf.Sample.CPUMillis)))
	}
	v, vd := r.Median, verdict(brotliTarget, r.Median)
	if same != total || total == 0 {
		v, vd = math.Inf(1), fmt.Sprintf("**missed** (%d of %d .br files identical)", same, total)
	}
	row := []string{t.name, strconv.Itoa(files), mib(size), cpu(s[0]), cpu(s[1]), cpu(s[2]),
		times(r.Median), span(r), fmt.Sprintf("%d of %d", same, total), vd}
	return row, v, nil
}
