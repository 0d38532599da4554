package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// fixedTarget bounds how many milliseconds more than minhash of an empty
// directory a command may take on a tree of one file: the cost of
// starting it, initialising what it does not use included.
var fixedTarget = perf.AtMost(2)

// fixedCommand is a command of the fixed section.
type fixedCommand struct {
	name   string
	args   []string // after the cachebust binary
	target bool     // whether fixedTarget applies
}

func fixedSection(ctx context.Context, cfg *config) (string, error) {
	work := filepath.Join(cfg.work, "fixed")
	empty, one := filepath.Join(work, "empty"), filepath.Join(work, "one")
	if err := os.RemoveAll(work); err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	for _, d := range []string{empty, one} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(one, "app.css"), []byte("body { color: #333 }\n"), 0o644); err != nil {
		return "", err
	}
	if _, err := perf.Exec(ctx, "", cfg.cachebust, "build", "-url", "query", one); err != nil {
		return "", err
	}
	cmds := []fixedCommand{
		{"`cachebust version`", []string{"version"}, false},
		{"`cachebust build -url query` (nothing changed)", []string{"build", "-url", "query", one}, true},
		{"`cachebust url`", []string{"url", "-manifest", filepath.Join(one, "cachebust.json"), "app.css"}, true},
		{"`cachebust verify`", []string{"verify", one}, true},
	}
	sides := []perf.Side{{Name: "minhash", Run: func(int) (perf.Sample, error) { return execPeak(ctx, cfg, "", cfg.minhash, empty) }}}
	for _, c := range cmds {
		argv := append([]string{cfg.cachebust}, c.args...)
		sides = append(sides, perf.Side{Name: c.args[0], Run: func(int) (perf.Sample, error) { return execPeak(ctx, cfg, "", argv...) }})
	}
	s, err := perf.Interleave(cfg.warm, cfg.fixedRuns, sides...)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`## Fixed cost of a command

What every run of a command costs before it does any work: each command
on a tree of one file (built once before, untimed), against the least a
Go program costs, **minhash** (` + "`scripts/minhash`" + `) of an empty
directory. The table gives the median of each round's difference in wall
time and in CPU time (user and system) between the command and minhash,
and each process's peak memory.

`)
	t := perf.Table{Header: []string{"command", "ms:", "ms above minhash:", "range:", "CPU ms above minhash:", "peak MiB:",
		"target " + fixedTarget.String() + " ms above"}}
	t.Add("minhash of an empty directory", ms(s[0]), "-", "-", "-", peak(s[0]), "-")
	var vs []float64
	for i, c := range cmds {
		d := perf.Summarize(diffs(s[i+1], s[0], perf.Sample.Millis))
		cpu := perf.Summarize(diffs(s[i+1], s[0], perf.Sample.CPUMillis))
		v := "-"
		if c.target {
			vs = append(vs, d.Median)
			v = verdict(fixedTarget, d.Median)
		}
		t.Add(c.name, ms(s[i+1]), fmt.Sprintf("%.2f", d.Median), fmt.Sprintf("%.2f–%.2f", d.Min, d.Max), fmt.Sprintf("%.2f", cpu.Median), peak(s[i+1]), v)
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\n- build, url and verify within %g ms of minhash: %s.\n", fixedTarget.Limit, tallyOf(fixedTarget, vs, "commands"))
	return b.String(), nil
}

// diffs returns f(a[i]) - f(b[i]) for each round i that both have.
func diffs(a, b []perf.Sample, f func(perf.Sample) float64) []float64 {
	n := min(len(a), len(b))
	d := make([]float64, n)
	for i := range n {
		d[i] = f(a[i]) - f(b[i])
	}
	return d
}
