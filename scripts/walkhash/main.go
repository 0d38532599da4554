// Command walkhash SHA-256es every file of a tree, the least a program
// must do to fingerprint it, as the limit a build is measured against
// (scripts/perf). It walks DIR, reads every
// regular file and SHA-256es it with 4 goroutines, each streaming through
// its own buffer, and prints "HEX  PATH" lines in the order the walk met
// the files, as sha256sum does. Dotfiles and dot directories are left out,
// as a build leaves them out.
//
// Usage:
//
//	walkhash DIR
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// workers is how many goroutines read and hash.
const workers = 4

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: walkhash DIR")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	if err := walkHash(os.Args[1], out); err != nil {
		fmt.Fprintln(os.Stderr, "walkhash:", err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "walkhash:", err)
		os.Exit(1)
	}
}

// walkHash writes the SHA-256 of every file under dir to w.
func walkHash(dir string, w io.Writer) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sums := make([][sha256.Size]byte, len(paths))
	errs := make([]error, workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			h := sha256.New()
			buf := make([]byte, 64<<10)
			for i := range next {
				if errs[k] != nil {
					continue
				}
				h.Reset()
				errs[k] = hashFile(paths[i], h, buf)
				h.Sum(sums[i][:0])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for i, p := range paths {
		fmt.Fprintf(w, "%s  %s\n", hex.EncodeToString(sums[i][:]), p)
	}
	return nil
}

// hashFile streams the file at p into h through buf.
func hashFile(p string, h io.Writer, buf []byte) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(h, f, buf)
	return err
}
