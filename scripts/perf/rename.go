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

// Targets of the rename build on a fresh tree.
var (
	// cpTarget bounds build -url rename against cp -r of the tree.
	cpTarget = perf.AtMost(1.3)
	// md5Target is how many times faster than scripts/md5copies.py the
	// rename build must be.
	md5Target = perf.AtLeast(2)
)

func renameSection(ctx context.Context, cfg *config) (string, error) {
	var b strings.Builder
	b.WriteString(`## Rename build on a fresh tree

` + "`cachebust build -url rename DIR`" + `, the first build of a fresh copy of
the tree, which writes a renamed copy beside every file, makes the outputs
durable (one ` + "`syncfs`" + `) and writes the manifest; against
**cp -r** (` + "`cp -r DIR NEW && sync`" + `: as many files created, nothing
hashed) and **md5copies.py** (` + "`scripts/md5copies.py DIR OUT`" + `, a Python
build step that copies every file but dotfiles and .scss files to
cache/NAME-MD5.EXT beside it and writes a manifest; it does not sync).
Each run starts from a new copy of the tree, made and synced untimed, and
writes into new directories: nothing is removed between runs. CPU ÷ cp -r
is the ratio of user and system time.

`)
	py, why := python(cfg)
	ts, err := trees(ctx, cfg, cfg.copySizes)
	if err != nil {
		return "", err
	}
	t := perf.Table{Header: []string{"tree", "files:", "MiB:", "build ms:", "cp -r ms:", "md5copies.py ms:",
		"build ÷ cp -r:", "range:", "CPU ÷ cp -r:", "target " + cpTarget.String() + "×",
		"md5copies.py ÷ build:", "range:", "target " + md5Target.String() + "×"}}
	var toCp, toPy []float64
	for i, tr := range ts {
		fmt.Fprintf(cfg.log, "perf: rename: %s\n", tr.name)
		work := filepath.Join(cfg.work, "rename", strconv.Itoa(i))
		fresh := func(kind string) func(int) error {
			return func(run int) error {
				return copyTree(ctx, tr.dir, filepath.Join(work, kind+strconv.Itoa(run)))
			}
		}
		sides := []perf.Side{
			{Name: "build -url rename", Prepare: fresh("build"), Run: func(run int) (perf.Sample, error) {
				return perf.Exec(ctx, "", cfg.cachebust, "build", "-url", "rename", filepath.Join(work, "build"+strconv.Itoa(run)))
			}},
			{Name: "cp -r", Prepare: func(int) error { syscall.Sync(); return os.MkdirAll(work, 0o755) }, Run: func(run int) (perf.Sample, error) {
				return perf.Exec(ctx, "", "sh", "-c", `cp -r "$1" "$2" && sync`, "sh", tr.dir, filepath.Join(work, "cp"+strconv.Itoa(run)))
			}},
		}
		if py != "" {
			sides = append(sides, perf.Side{Name: "md5copies.py", Prepare: fresh("py"), Run: func(run int) (perf.Sample, error) {
				dir := filepath.Join(work, "py"+strconv.Itoa(run))
				return perf.Exec(ctx, "", py, filepath.Join(cfg.scripts, "md5copies.py"), dir, dir+".json")
			}})
		}
		s, err := perf.Interleave(cfg.warm, cfg.runs, sides...)
		if err != nil {
			return "", err
		}
		cp := ratio(s[0], s[1])
		toCp = append(toCp, cp.Median)
		pyMs, pyRatio, pySpan, pyVerdict := "-", "-", "-", "not measured"
		if py != "" {
			r := ratio(s[2], s[0])
			toPy = append(toPy, r.Median)
			pyMs, pyRatio, pySpan, pyVerdict = ms(s[2]), times(r.Median), span(r), verdict(md5Target, r.Median)
		}
		t.Add(tr.name, strconv.Itoa(tr.files), mib(tr.bytes), ms(s[0]), ms(s[1]), pyMs,
			times(cp.Median), span(cp), times(cpuRatio(s[0], s[1]).Median), verdict(cpTarget, cp.Median), pyRatio, pySpan, pyVerdict)
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\n- Within %g× cp -r: %s.\n", cpTarget.Limit, tally(cpTarget, toCp))
	if py == "" {
		fmt.Fprintf(&b, "- At least %g× faster than md5copies.py: not measured: %s.\n", md5Target.Limit, why)
	} else {
		fmt.Fprintf(&b, "- At least %g× faster than md5copies.py: %s.\n", md5Target.Limit, tally(md5Target, toPy))
	}
	return b.String(), nil
}
