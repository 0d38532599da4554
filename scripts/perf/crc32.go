package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// crc32Target is how many times faster than scripts/crc32map.py the
// CRC-32 query build must be.
var crc32Target = perf.AtLeast(5)

// python returns the interpreter to run the Python steps with, or "" and
// the reason they are left out.
func python(cfg *config) (string, string) {
	if cfg.python == "" {
		return "", "-python is empty"
	}
	p, err := exec.LookPath(cfg.python)
	if err != nil {
		return "", fmt.Sprintf("%s is not installed", cfg.python)
	}
	return p, ""
}

func crc32Section(ctx context.Context, cfg *config) (string, error) {
	var b strings.Builder
	b.WriteString(`## CRC-32 query build against a Python step

` + "`cachebust build -hash crc32 -len 8 -url query DIR`" + ` rebuilt in place, nothing
changed (the first build untimed), against ` + "`scripts/crc32map.py DIR OUT`" + `,
a Python build step that CRC-32s every file line by line with zlib and
writes a sorted, indented JSON map of path to CRC-32, the query form's
manifest. Both write only a map; neither writes a copy.

`)
	py, why := python(cfg)
	if py == "" {
		fmt.Fprintf(&b, "Not measured: %s.\n", why)
		return b.String(), nil
	}
	ts, err := trees(ctx, cfg, cfg.copySizes)
	if err != nil {
		return "", err
	}
	t := perf.Table{Header: []string{"tree", "files:", "MiB:", "build ms:", "crc32map.py ms:",
		"crc32map.py ÷ build:", "range:", "CPU crc32map.py ÷ build:", "target " + crc32Target.String() + "×"}}
	var vs []float64
	for i, tr := range ts {
		fmt.Fprintf(cfg.log, "perf: crc32: %s\n", tr.name)
		work := filepath.Join(cfg.work, "crc32", strconv.Itoa(i))
		dir := filepath.Join(work, "tree")
		if err := copyTree(ctx, tr.dir, dir); err != nil {
			return "", err
		}
		build := []string{cfg.cachebust, "build", "-hash", "crc32", "-len", "8", "-url", "query", dir}
		if _, err := perf.Exec(ctx, "", build...); err != nil {
			return "", err
		}
		script := []string{py, filepath.Join(cfg.scripts, "crc32map.py"), tr.dir, filepath.Join(work, "crc32map.json")}
		s, err := perf.Interleave(cfg.warm, cfg.runs,
			perf.Side{Name: "build -hash crc32 -url query", Run: func(int) (perf.Sample, error) { return perf.Exec(ctx, "", build...) }},
			perf.Side{Name: "crc32map.py", Run: func(int) (perf.Sample, error) { return perf.Exec(ctx, "", script...) }},
		)
		if err != nil {
			return "", err
		}
		r := ratio(s[1], s[0])
		vs = append(vs, r.Median)
		t.Add(tr.name, strconv.Itoa(tr.files), mib(tr.bytes), ms(s[0]), ms(s[1]), times(r.Median), span(r), times(cpuRatio(s[1], s[0]).Median), verdict(crc32Target, r.Median))
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "\n- At least %g× faster than crc32map.py: %s.\n", crc32Target.Limit, tally(crc32Target, vs))
	return b.String(), nil
}
