//go:build !linux

package fingerprint

import (
	"context"
	"os"
	"path/filepath"
	"slices"

	"github.com/cachebust/cachebust/internal/parallel"
)

// syncConcurrency is how many files syncOutputs syncs at once. Syncs wait
// on the disk, not the CPU, and a journalling file system commits
// concurrent syncs together.
const syncConcurrency = 32

// syncOutputs makes the files written, relative to the output directory
// root, and the directory entries naming them durable, before a manifest
// naming them is written. Without syncfs it syncs each file and directory,
// many at once.
func syncOutputs(root *os.Root, written []string) error {
	if traceSync != nil && len(written) > 0 {
		traceSync("outputs", written)
	}
	names := slices.Clone(written)
	for _, w := range written {
		names = append(names, filepath.Dir(filepath.FromSlash(w)))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return parallel.For(context.Background(), syncConcurrency, len(names), func(_ context.Context, i int) error {
		return syncName(root, names[i])
	})
}
