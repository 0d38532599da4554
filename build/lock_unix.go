//go:build unix

package build

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the lock file Dir and Clean hold in the output directory.
const lockName = ".cachebust.lock"

// lockDir takes an exclusive lock on dir, waiting for any other holder.
// The lock is released when the process ends, however it ends.
func lockDir(dir string) (unlock func(), err error) {
	name := filepath.Join(dir, lockName)
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock output directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return func() { f.Close() }, nil
}

// syncDir flushes a directory's entries, so a rename survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
