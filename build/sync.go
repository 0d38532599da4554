package build

import (
	"os"
	"runtime"
)

// syncName flushes the file or directory name in root to disk, so that
// its content, or for a directory the renames in it, survive a power
// failure. Windows cannot flush a directory, so there a directory that
// fails to sync is let be.
func syncName(root *os.Root, name string) error {
	f, err := root.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	err = f.Sync()
	if err != nil && runtime.GOOS == "windows" {
		if info, statErr := f.Stat(); statErr == nil && info.IsDir() {
			return nil
		}
	}
	return err
}
