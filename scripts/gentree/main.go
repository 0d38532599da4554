// Command gentree writes a deterministic tree of files shaped like a static
// site's assets, for scripts/perf.sh: mostly small files, some tens of
// kilobytes, a few hundred kilobytes, 25 to a directory (the tree of
// internal/testtree, which the build benchmarks use too).
//
// Usage:
//
//	go run ./scripts/gentree [-n 10000] DIR
package main

import (
	"flag"
	"log"

	"github.com/cachebust/cachebust/internal/testtree"
)

func main() {
	n := flag.Int("n", 10_000, "number of files")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: gentree [-n N] DIR")
	}
	if _, err := testtree.Write(flag.Arg(0), *n); err != nil {
		log.Fatal(err)
	}
}
