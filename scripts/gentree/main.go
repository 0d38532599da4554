// Command gentree writes a deterministic tree of files shaped like a static
// site's assets, for scripts/perf.sh: mostly small files, some tens of
// kilobytes, a few hundred kilobytes, 25 to a directory.
//
// Usage:
//
//	go run ./scripts/gentree [-n 10000] DIR
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	n := flag.Int("n", 10_000, "number of files")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: gentree [-n N] DIR")
	}
	if err := write(flag.Arg(0), *n); err != nil {
		log.Fatal(err)
	}
}

func write(dir string, n int) error {
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
		p := filepath.Join(dir, fmt.Sprintf("d%03d/e%02d/f%05d%s", i/250, i/25%10, i, exts[i%len(exts)]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
