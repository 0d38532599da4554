//go:build unix

// Command minhash is the floor an in-place query build is measured against
// (scripts/perf): the least a program must do to have the SHA-256 of every
// file of a tree. It walks DIR, reads every regular file once and
// SHA-256es it on as many goroutines as -j, each with its own buffer and
// hash, opening, reading and closing each file with one system call each,
// and prints "HEX  PATH" lines sorted by path, as sha256sum prints them.
// Dotfiles and dot directories are left out, as a build leaves them out.
// It imports nothing of cachebust.
//
// Usage:
//
//	minhash [-j N] DIR
package main

import (
	"bufio"
	"crypto/sha256"
	"flag"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
)

func main() {
	workers := flag.Int("j", runtime.GOMAXPROCS(0), "goroutines that read and hash")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, "usage: minhash [-j N] DIR") }
	flag.Parse()
	if flag.NArg() != 1 || *workers < 1 {
		flag.Usage()
		os.Exit(2)
	}
	sums, err := hashTree(flag.Arg(0), *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "minhash:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	for _, d := range sums {
		fmt.Fprintf(w, "%x  %s\n", d.sum, d.path)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "minhash:", err)
		os.Exit(1)
	}
}

// digest is the SHA-256 of the file at path.
type digest struct {
	path string
	sum  [sha256.Size]byte
}

// hashTree returns the digest of every file under dir, sorted by path,
// hashed by workers goroutines while dir is walked.
func hashTree(dir string, workers int) ([]digest, error) {
	paths := make(chan string, 1024)
	found := make([][]digest, workers)
	errs := make([]error, workers+1)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			h := sha256.New()
			buf := make([]byte, 128<<10)
			for p := range paths {
				if errs[k] != nil {
					continue // drain, so that the walk can end
				}
				h.Reset()
				if errs[k] = hashFile(p, h, buf); errs[k] == nil {
					d := digest{path: p}
					h.Sum(d.sum[:0])
					found[k] = append(found[k], d)
				}
			}
		})
	}
	errs[workers] = walk(dir, paths)
	close(paths)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	all := slices.Concat(found...)
	slices.SortFunc(all, func(a, b digest) int { return strings.Compare(a.path, b.path) })
	return all, nil
}

// walk sends the path of every regular file under dir, dotfiles left out.
func walk(dir string, paths chan<- string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case e.IsDir():
			if err := walk(p, paths); err != nil {
				return err
			}
		case e.Type().IsRegular():
			paths <- p
		}
	}
	return nil
}

// hashFile reads the file at p into h through buf.
func hashFile(p string, h hash.Hash, buf []byte) error {
	fd, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: p, Err: err}
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &os.PathError{Op: "read", Path: p, Err: err}
		}
		if n == 0 {
			return nil
		}
		h.Write(buf[:n])
	}
}
