package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// Targets of the in-place query build.
var (
	// queryTarget bounds build -url query in place, nothing changed,
	// against minhash on the same tree.
	queryTarget = perf.AtMost(1.5)
	// growthTarget bounds how much that ratio may grow from the smallest
	// to the largest generated tree: not beyond noise.
	growthTarget = perf.AtMost(1.1)
)

// growthFrom is the smallest tree that counts for growth: below it,
// starting the processes weighs more than the tree.
const growthFrom = 5000

// queryRow is what the query section measured on one tree.
type queryRow struct {
	tree
	generated        bool
	size             int
	build, walk, sum []perf.Sample
	toWalk, sumToMin perf.Stat
}

func querySection(ctx context.Context, cfg *config) (string, error) {
	var rows []queryRow
	for i, t := range cfg.npm {
		r, err := measureQuery(ctx, cfg, t, filepath.Join(cfg.work, "query", strconv.Itoa(i)))
		if err != nil {
			return "", err
		}
		rows = append(rows, r)
	}
	for _, n := range cfg.sizes {
		t, err := generated(ctx, cfg, n)
		if err != nil {
			return "", err
		}
		r, err := measureQuery(ctx, cfg, t, filepath.Join(cfg.work, "query", "gen"+strconv.Itoa(n)))
		if err != nil {
			return "", err
		}
		r.generated, r.size = true, n
		rows = append(rows, r)
	}
	return queryReport(rows), nil
}

// sha256sumCmd hashes the files of a tree, dotfiles left out as a build
// and minhash leave them out, with sha256sum on two processes.
const sha256sumCmd = `find "$1" -name '.*' -prune -o -type f -print0 | xargs -0 -P2 sha256sum`

// measureQuery builds a copy of t in place in the query form once,
// untimed, and then measures rebuilding it, nothing changed, against
// minhash and sha256sum reading t itself, after checking that those two
// agree on every file's digest.
func measureQuery(ctx context.Context, cfg *config, t tree, work string) (queryRow, error) {
	fmt.Fprintf(cfg.log, "perf: query: %s\n", t.name)
	dir := filepath.Join(work, "tree")
	if err := checkMinhash(ctx, cfg, t.dir); err != nil {
		return queryRow{}, err
	}
	if err := copyTree(ctx, t.dir, dir); err != nil {
		return queryRow{}, err
	}
	defer os.RemoveAll(work)
	build := []string{cfg.cachebust, "build", "-url", "query", dir}
	if _, err := perf.Exec(ctx, "", build...); err != nil {
		return queryRow{}, err
	}
	s, err := perf.Interleave(cfg.warm, cfg.runs,
		perf.Side{Name: "build -url query", Run: func(int) (perf.Sample, error) { return execPeak(ctx, cfg, "", build...) }},
		perf.Side{Name: "minhash", Run: func(int) (perf.Sample, error) { return execPeak(ctx, cfg, "", cfg.minhash, t.dir) }},
		perf.Side{Name: "sha256sum", Run: func(int) (perf.Sample, error) {
			return execPeak(ctx, cfg, "", "sh", "-c", sha256sumCmd, "sh", t.dir)
		}},
	)
	if err != nil {
		return queryRow{}, err
	}
	return queryRow{tree: t, build: s[0], walk: s[1], sum: s[2], toWalk: ratio(s[0], s[1]), sumToMin: ratio(s[2], s[1])}, nil
}

// checkMinhash checks that minhash and sha256sum print the same digests
// for the files of dir.
func checkMinhash(ctx context.Context, cfg *config, dir string) error {
	lines := func(argv ...string) ([]string, error) {
		out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).Output()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
		}
		l := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		slices.Sort(l)
		return l, nil
	}
	mine, err := lines(cfg.minhash, dir)
	if err != nil {
		return err
	}
	theirs, err := lines("sh", "-c", sha256sumCmd, "sh", dir)
	if err != nil {
		return err
	}
	if !slices.Equal(mine, theirs) {
		return fmt.Errorf("minhash and sha256sum disagree on %s: %d lines and %d", dir, len(mine), len(theirs))
	}
	return nil
}

// growth returns the query ÷ minhash ratio on the largest generated tree
// divided by that on the smallest of at least growthFrom files (or the
// smallest, if fewer than two are that large), with the two sizes; NaN
// if fewer than two trees were generated.
func growth(rows []queryRow) (g float64, from, to int) {
	var gen []queryRow
	for _, r := range rows {
		if r.generated {
			gen = append(gen, r)
		}
	}
	var big []queryRow
	for _, r := range gen {
		if r.size >= growthFrom {
			big = append(big, r)
		}
	}
	if len(big) >= 2 {
		gen = big
	}
	if len(gen) < 2 {
		return math.NaN(), 0, 0
	}
	lo, hi := gen[0], gen[0]
	for _, r := range gen {
		if r.size < lo.size {
			lo = r
		}
		if r.size > hi.size {
			hi = r
		}
	}
	return hi.toWalk.Median / lo.toWalk.Median, lo.size, hi.size
}

// perFile returns how the median time per file of the build and of
// minhash changes from the generated tree of from files to that of to:
// the time per file at to ÷ the time per file at from.
func perFile(rows []queryRow, from, to int) (build, walk float64) {
	var lo, hi queryRow
	for _, r := range rows {
		switch {
		case !r.generated:
		case r.size == from:
			lo = r
		case r.size == to:
			hi = r
		}
	}
	per := func(samples []perf.Sample, files int) float64 {
		return perf.Median(perf.Values(samples, perf.Sample.Millis)) / float64(files)
	}
	return per(hi.build, to) / per(lo.build, from), per(hi.walk, to) / per(lo.walk, from)
}

func queryReport(rows []queryRow) string {
	var b strings.Builder
	b.WriteString(`## In-place query build, nothing changed

` + "`cachebust build -url query DIR`" + ` rebuilt in place on a tree it has
built before (the first build untimed), against the least a program must
do for the same digests: **minhash** (` + "`scripts/minhash`" + `: walk, read
and SHA-256 every file on two goroutines, one system call to open, read
and close each, nothing else). Beside it, to show that minhash is a
floor, **sha256sum** (` + "`find DIR -type f -print0 | xargs -0 -P2 sha256sum`" + `,
dotfiles left out), whose digests minhash's are checked to match before
the timed runs. CPU ÷ minhash is the ratio of user and system time, which
a busy machine disturbs less than wall time; peak memory is each
process's maximum resident set. The generated trees (` + "`scripts/gentree`" + `)
are the scaling table: the ratio to minhash should not grow with the
tree.

`)
	t := perf.Table{Header: []string{"tree", "files:", "MiB:", "build ms:", "minhash ms:", "sha256sum ms:",
		"build ÷ minhash:", "range:", "CPU ÷ minhash:", "sha256sum ÷ minhash:", "build peak MiB:", "minhash peak MiB:", "target " + queryTarget.String() + "× minhash"}}
	var vs []float64
	for _, r := range rows {
		vs = append(vs, r.toWalk.Median)
		t.Add(r.name, strconv.Itoa(r.files), mib(r.bytes), ms(r.build), ms(r.walk), ms(r.sum),
			times(r.toWalk.Median), span(r.toWalk), times(cpuRatio(r.build, r.walk).Median), times(r.sumToMin.Median), peak(r.build), peak(r.walk),
			verdict(queryTarget, r.toWalk.Median))
	}
	b.WriteString(t.String())
	g, from, to := growth(rows)
	fmt.Fprintf(&b, "\n- Within %g× minhash: %s.\n", queryTarget.Limit, tally(queryTarget, vs))
	if math.IsNaN(g) {
		b.WriteString("- Growth with the tree: not measured (fewer than two generated trees).\n")
	} else {
		fmt.Fprintf(&b, "- Growth with the tree: the ratio at %s files ÷ the ratio at %s files is %.2f: %s.\n",
			thousands(to), thousands(from), g, verdict(growthTarget, g))
		bf, wf := perFile(rows, from, to)
		fmt.Fprintf(&b, "- Time per file at %s files ÷ time per file at %s files: %.2f for the build, %.2f for minhash.\n",
			thousands(to), thousands(from), bf, wf)
	}
	return b.String()
}
