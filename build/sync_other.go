//go:build !linux

package build

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// syncConcurrency is how many files syncOutputs syncs at once. Syncs wait
// on the disk, not the CPU, and a journalling file system commits
// concurrent syncs together.
const syncConcurrency = 32

// syncOutputs makes the files written, relative to out, and the directory
// entries naming them durable, before a manifest naming them is written.
// Without syncfs it syncs each file and directory, many at once.
func syncOutputs(out string, written []string) error {
	if len(written) == 0 {
		return nil
	}
	var names []string
	dirs := make(map[string]bool)
	for _, w := range written {
		p := filepath.Join(out, filepath.FromSlash(w))
		names = append(names, p)
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		names = append(names, d)
	}
	errs := make([]error, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(syncConcurrency, len(names)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = syncPath(names[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// syncPath flushes the file or directory name to disk.
func syncPath(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
