package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/cachebust/cachebust/internal/perf"
)

// Targets of the rename build with -out.
var (
	// minTarget bounds build -url rename -out against minrename writing
	// the same outputs.
	minTarget = perf.AtMost(1.3)
	// memTarget bounds the build's peak resident set in MiB on a tree of
	// memFrom files or more.
	memTarget = perf.AtMost(150)
	// md5Target is how many times faster than scripts/md5copies.py the
	// rename build must be.
	md5Target = perf.AtLeast(2)
)

// pyMaxFiles is the largest tree md5copies.py runs on: on 100k files it
// and the fresh copy it needs every run take more than half an hour of a
// full run, and its ratio is settled well before.
const pyMaxFiles = 10000

// memFrom is the smallest tree memTarget applies to.
const memFrom = 100_000

// renameRow is what the rename section measured on one tree.
type renameRow struct {
	tree
	build, min, cp, cpSync, py []perf.Sample
}

func renameSection(ctx context.Context, cfg *config) (string, error) {
	py, why := python(cfg)
	ts, err := trees(ctx, cfg, cfg.copySizes)
	if err != nil {
		return "", err
	}
	var rows []renameRow
	for i, tr := range ts {
		fmt.Fprintf(cfg.log, "perf: rename: %s\n", tr.name)
		trPy := py
		if tr.files > pyMaxFiles {
			trPy = ""
		}
		r, err := measureRename(ctx, cfg, tr, trPy, filepath.Join(cfg.work, "rename", strconv.Itoa(i)))
		if err != nil {
			return "", err
		}
		rows = append(rows, r)
	}
	return renameReport(rows, py != "", why), nil
}

// measureRename measures the rename build of t with -out against
// minrename, cp -r with and without a sync and, if py is not "",
// md5copies.py, under work. Each
// run writes into a new directory after the outputs of the run before it
// are removed and the removal synced, untimed.
func measureRename(ctx context.Context, cfg *config, t tree, py, work string) (renameRow, error) {
	defer os.RemoveAll(work)
	out := func(kind string, run int) string { return filepath.Join(work, kind+strconv.Itoa(run)) }
	clean := func(int) error {
		if err := os.RemoveAll(work); err != nil {
			return err
		}
		syscall.Sync()
		return os.MkdirAll(work, 0o755)
	}
	sides := []perf.Side{
		{Name: "build -url rename -out", Prepare: clean, Run: func(run int) (perf.Sample, error) {
			return execPeak(ctx, cfg, "", cfg.cachebust, "build", "-url", "rename", "-out", out("build", run), t.dir)
		}},
		{Name: "minrename", Prepare: clean, Run: func(run int) (perf.Sample, error) {
			return execPeak(ctx, cfg, "", cfg.minrename, t.dir, out("min", run))
		}},
		{Name: "cp -r", Prepare: clean, Run: func(run int) (perf.Sample, error) {
			return execPeak(ctx, cfg, "", "cp", "-r", t.dir, out("cp", run))
		}},
		{Name: "cp -r && sync -f", Prepare: clean, Run: func(run int) (perf.Sample, error) {
			return execPeak(ctx, cfg, "", "sh", "-c", `cp -r "$1" "$2" && sync -f "$2"`, "sh", t.dir, out("cpsync", run))
		}},
	}
	if py != "" {
		sides = append(sides, perf.Side{Name: "md5copies.py",
			Prepare: func(run int) error {
				if err := clean(run); err != nil {
					return err
				}
				return copyTree(ctx, t.dir, out("py", run))
			},
			Run: func(run int) (perf.Sample, error) {
				dir := out("py", run)
				return execPeak(ctx, cfg, "", py, filepath.Join(cfg.scripts, "md5copies.py"), dir, dir+".json")
			}})
	}
	s, err := perf.Interleave(cfg.warm, cfg.runs, sides...)
	if err != nil {
		return renameRow{}, err
	}
	r := renameRow{tree: t, build: s[0], min: s[1], cp: s[2], cpSync: s[3]}
	if py != "" {
		r.py = s[4]
	}
	return r, nil
}

func renameReport(rows []renameRow, py bool, why string) string {
	var b strings.Builder
	b.WriteString(`## Rename build into an output directory

` + "`cachebust build -url rename -out OUT DIR`" + `, which writes into the new
directory OUT a copy of every file and its renamed copy, makes them
durable (one ` + "`syncfs`" + `) and writes the manifest, against the least a
program must do for the same outputs: **minrename**
(` + "`scripts/minrename DIR OUT`" + `: read every file once, SHA-256 it while
writing its copy, hard-link the hashed name, write the manifest, one
` + "`syncfs`" + `, one goroutine per directory on two at once, nothing else).
Beside them **cp -r** (` + "`cp -r DIR OUT`" + `: as many files written,
nothing hashed or linked, nothing made durable) and **cp -r && sync -f**
(the same, then one ` + "`syncfs`" + ` of the file system of OUT, as the build
and minrename do), which minrename must come near to be a floor, and **md5copies.py** (` + "`scripts/md5copies.py DIR OUT`" + `, a Python
build step that copies every file but dotfiles and .scss files to
cache/NAME-MD5.EXT beside it, in a fresh copy of the tree made untimed,
and writes a manifest; it does not sync). Before each run the outputs of
the one before are removed and the removal synced, untimed. CPU ÷
minrename is the ratio of user and system time; peak memory is each
process's maximum resident set.

`)
	t := perf.Table{Header: []string{"tree", "files:", "MiB:", "build ms:", "minrename ms:", "cp -r ms:", "cp -r && sync -f ms:", "md5copies.py ms:",
		"build ÷ minrename:", "range:", "CPU ÷ minrename:", "target " + minTarget.String() + "×",
		"build ÷ cp -r:", "build ÷ cp -r && sync -f:", "minrename ÷ cp -r && sync -f:", "md5copies.py ÷ build:", "target " + md5Target.String() + "×",
		"build peak MiB:", "minrename peak MiB:", "cp -r peak MiB:"}}
	var toMin, toPy []float64
	memRow := -1
	for i, r := range rows {
		m := ratio(r.build, r.min)
		toMin = append(toMin, m.Median)
		pyMs, pyRatio, pyVerdict := "-", "-", "not measured"
		if len(r.py) > 0 {
			p := ratio(r.py, r.build)
			toPy = append(toPy, p.Median)
			pyMs, pyRatio, pyVerdict = ms(r.py), times(p.Median), verdict(md5Target, p.Median)
		}
		if r.files >= memFrom && (memRow < 0 || r.files > rows[memRow].files) {
			memRow = i
		}
		t.Add(r.name, strconv.Itoa(r.files), mib(r.bytes), ms(r.build), ms(r.min), ms(r.cp), ms(r.cpSync), pyMs,
			times(m.Median), span(m), times(cpuRatio(r.build, r.min).Median), verdict(minTarget, m.Median),
			times(ratio(r.build, r.cp).Median), times(ratio(r.build, r.cpSync).Median), times(ratio(r.min, r.cpSync).Median), pyRatio, pyVerdict,
			peak(r.build), peak(r.min), peak(r.cp))
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\n- Within %g× minrename: %s.\n", minTarget.Limit, tally(minTarget, toMin))
	if memRow < 0 {
		fmt.Fprintf(&b, "- Peak memory at most %g MiB on a tree of %s files or more: not measured (no such tree).\n", memTarget.Limit, thousands(memFrom))
	} else {
		r := rows[memRow]
		v := perf.Median(perf.Values(r.build, func(s perf.Sample) float64 { return float64(s.MaxRSS) })) / (1 << 20)
		fmt.Fprintf(&b, "- Peak memory at most %g MiB on a tree of %s files or more (%s): %s.\n", memTarget.Limit, thousands(memFrom), r.name, memTarget.Verdict(v, "%.1f"))
	}
	if !py {
		fmt.Fprintf(&b, "- At least %g× faster than md5copies.py: not measured: %s.\n", md5Target.Limit, why)
	} else {
		fmt.Fprintf(&b, "- At least %g× faster than md5copies.py (trees of up to %s files): %s.\n", md5Target.Limit, thousands(pyMaxFiles), tally(md5Target, toPy))
	}
	return b.String()
}
