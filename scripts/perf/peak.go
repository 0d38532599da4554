package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// gnuTime returns the GNU time command, or "" if there is none.
//
// The peak resident set the kernel reports for a child of this process
// is at least this process's own peak at the time the child started: the
// child begins as a copy of it, and the kernel records that copy's peak
// when the child execs its program. So the peak of a small command, read
// from its rusage, is this harness's own. GNU time, a small C program,
// starts the command from its own small copy and reports its peak alone.
func gnuTime() string {
	p, err := exec.LookPath("time")
	if err != nil {
		return ""
	}
	if out, err := exec.Command(p, "--version").CombinedOutput(); err != nil || !strings.Contains(string(out), "GNU") {
		return ""
	}
	return p
}

// execPeak runs argv in dir as perf.Exec does, and takes the peak
// resident set from GNU time where there is one.
func execPeak(ctx context.Context, cfg *config, dir string, argv ...string) (perf.Sample, error) {
	if cfg.gnuTime == "" {
		return perf.Exec(ctx, dir, argv...)
	}
	name := filepath.Join(cfg.work, "peak.txt")
	s, err := perf.Exec(ctx, dir, append([]string{cfg.gnuTime, "-f", "%M", "-o", name}, argv...)...)
	if err != nil {
		return s, err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return s, err
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return s, fmt.Errorf("%s wrote no peak resident set for %s", cfg.gnuTime, strings.Join(argv, " "))
	}
	kib, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		return s, fmt.Errorf("%s: peak resident set %q: %w", cfg.gnuTime, f[len(f)-1], err)
	}
	s.MaxRSS = kib << 10
	return s, nil
}
