//go:build unix

package fingerprint

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the lock file Dir and Clean hold in the output directory.
const lockName = ".cachebust.lock"

// lockDir takes an exclusive lock on the directory root, waiting for any
// other holder. The lock is released when the process ends, however it
// ends.
func lockDir(root *os.Root) (unlock func(), err error) {
	f, err := root.OpenFile(lockName, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock output directory %s: %w", root.Name(), err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", filepath.Join(root.Name(), lockName), err)
	}
	return func() { f.Close() }, nil
}
