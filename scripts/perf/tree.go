package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/cachebust/cachebust/internal/perf"
)

// trees returns the npm trees followed by the generated trees of sizes.
func trees(ctx context.Context, cfg *config, sizes []int) ([]tree, error) {
	ts := append([]tree(nil), cfg.npm...)
	for _, n := range sizes {
		t, err := generated(ctx, cfg, n)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// generated returns the generated tree of n files in the work directory,
// writing it with gentree the first time.
func generated(ctx context.Context, cfg *config, n int) (tree, error) {
	t := tree{name: "generated, " + thousands(n) + " files", dir: filepath.Join(cfg.work, "gen", strconv.Itoa(n))}
	if _, err := os.Stat(t.dir); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(cfg.log, "perf: generating %d files\n", n)
		tmp := t.dir + ".tmp"
		if err := os.RemoveAll(tmp); err != nil {
			return t, err
		}
		if _, err := perf.Exec(ctx, "", cfg.gentree, "-n", strconv.Itoa(n), tmp); err != nil {
			return t, err
		}
		if err := os.Rename(tmp, t.dir); err != nil {
			return t, err
		}
	} else if err != nil {
		return t, err
	}
	return t, t.stat()
}

// copyTree copies the tree src to the new directory dst with cp -r and
// syncs, so that no measured run pays for writing the copy back.
func copyTree(ctx context.Context, src, dst string) error {
	// cp -r copies into dst, rather than as dst, if dst exists, as it
	// does in a -work directory used before.
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if _, err := perf.Exec(ctx, "", "cp", "-r", src, dst); err != nil {
		return err
	}
	syscall.Sync()
	return nil
}

// thousands formats n with commas: 100000 as "100,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
