package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// Targets of the in-place query build.
var (
	// queryTarget bounds build -url query in place, nothing changed,
	// against walkhash on the same tree.
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
	generated         bool
	size              int
	build, walk, sum  []perf.Sample
	toWalk, toSha256s perf.Stat
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

// measureQuery builds a copy of t in place in the query form once,
// untimed, and then measures rebuilding it, nothing changed, against
// walkhash and sha256sum reading t itself.
func measureQuery(ctx context.Context, cfg *config, t tree, work string) (queryRow, error) {
	fmt.Fprintf(cfg.log, "perf: query: %s\n", t.name)
	dir := filepath.Join(work, "tree")
	if err := copyTree(ctx, t.dir, dir); err != nil {
		return queryRow{}, err
	}
	build := []string{cfg.cachebust, "build", "-url", "query", dir}
	if _, err := perf.Exec(ctx, "", build...); err != nil {
		return queryRow{}, err
	}
	s, err := perf.Interleave(cfg.warm, cfg.runs,
		perf.Side{Name: "build -url query", Run: func(int) (perf.Sample, error) { return perf.Exec(ctx, "", build...) }},
		perf.Side{Name: "walkhash", Run: func(int) (perf.Sample, error) { return perf.Exec(ctx, "", cfg.walkhash, t.dir) }},
		perf.Side{Name: "sha256sum", Run: func(int) (perf.Sample, error) {
			return perf.Exec(ctx, "", "sh", "-c", `find "$1" -type f -print0 | xargs -0 -P2 sha256sum`, "sh", t.dir)
		}},
	)
	if err != nil {
		return queryRow{}, err
	}
	return queryRow{tree: t, build: s[0], walk: s[1], sum: s[2], toWalk: ratio(s[0], s[1]), toSha256s: ratio(s[0], s[2])}, nil
}

// growth returns the query ÷ walkhash ratio on the largest generated tree
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
// walkhash changes from the generated tree of from files to that of to:
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
do for the same result: **walkhash** (` + "`scripts/walkhash`" + `: walk, read
and SHA-256 every file with 4 goroutines) and **sha256sum**
(` + "`find DIR -type f -print0 | xargs -0 -P2 sha256sum`" + `), both on the
same files. CPU ÷ walkhash is the ratio of user and system time, which a
busy machine disturbs less than wall time; peak memory is each process's
maximum resident set. The generated trees (` + "`scripts/gentree`" + `) are the
scaling table: the ratio to walkhash should not grow with the tree.

`)
	t := perf.Table{Header: []string{"tree", "files:", "MiB:", "build ms:", "walkhash ms:", "sha256sum ms:",
		"build ÷ walkhash:", "range:", "CPU ÷ walkhash:", "build ÷ sha256sum:", "build peak MiB:", "walkhash peak MiB:", "target " + queryTarget.String() + "× walkhash"}}
	var vs []float64
	for _, r := range rows {
		vs = append(vs, r.toWalk.Median)
		t.Add(r.name, strconv.Itoa(r.files), mib(r.bytes), ms(r.build), ms(r.walk), ms(r.sum),
			times(r.toWalk.Median), span(r.toWalk), times(cpuRatio(r.build, r.walk).Median), times(r.toSha256s.Median), peak(r.build), peak(r.walk),
			verdict(queryTarget, r.toWalk.Median))
	}
	b.WriteString(t.String())
	g, from, to := growth(rows)
	fmt.Fprintf(&b, "\n- Within %g× walkhash: %s.\n", queryTarget.Limit, tally(queryTarget, vs))
	if math.IsNaN(g) {
		b.WriteString("- Growth with the tree: not measured (fewer than two generated trees).\n")
	} else {
		fmt.Fprintf(&b, "- Growth with the tree: the ratio at %s files ÷ the ratio at %s files is %.2f: %s.\n",
			thousands(to), thousands(from), g, verdict(growthTarget, g))
		bf, wf := perFile(rows, from, to)
		fmt.Fprintf(&b, "- Time per file at %s files ÷ time per file at %s files: %.2f for the build, %.2f for walkhash.\n",
			thousands(to), thousands(from), bf, wf)
	}
	return b.String()
}
