// Package testtree generates a deterministic tree of files shaped like a
// static site's assets, for benchmarks and performance reports: mostly
// small files, some tens of kilobytes, a few hundred kilobytes, 25 to a
// directory, about 6 MiB per thousand files.
package testtree

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Files returns the n files of the tree, each as its slash-separated path
// and content, in the same order and with the same bytes on every call and
// every machine. The bytes are random, so they do not compress.
func Files(n int) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		src := rand.NewChaCha8([32]byte{'g', 'e', 'n', 't', 'r', 'e', 'e'})
		rng := rand.New(src)
		exts := []string{".css", ".js", ".svg", ".png", ".woff2", ".map", ".json", ".txt"}
		for i := range n {
			var size int
			switch r := rng.IntN(1000); {
			case r < 5:
				size = 128<<10 + rng.IntN(384<<10)
			case r < 100:
				size = 8<<10 + rng.IntN(32<<10)
			default:
				size = 256 + rng.IntN(6<<10)
			}
			data := make([]byte, size)
			src.Read(data)
			if !yield(fmt.Sprintf("d%03d/e%02d/f%05d%s", i/250, i/25%10, i, exts[i%len(exts)]), data) {
				return
			}
		}
	}
}

// Write writes the n files of the tree under dir and returns their total
// size.
func Write(dir string, n int) (int64, error) {
	var total int64
	for name, data := range Files(n) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return total, err
		}
		total += int64(len(data))
	}
	return total, nil
}
