package fingerprint

import (
	"os"
	"runtime"
)

// noSync turns every sync into a no-op. Only tests set it (see
// export_test.go): fuzz targets that build thousands of directories whose
// durability they do not check, and would otherwise spend their time
// waiting on the disk.
var noSync bool

// traceSync, if set, is told of every sync before it is done: "outputs"
// with the names given to syncOutputs, or "file" with the name of the file
// or directory synced. Only tests set it (see export_test.go).
var traceSync func(kind string, names []string)

// syncFile flushes the open file f to disk.
func syncFile(f *os.File) error {
	if traceSync != nil {
		traceSync("file", []string{f.Name()})
	}
	if noSync {
		return nil
	}
	return f.Sync()
}

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
	err = syncFile(f)
	if err != nil && runtime.GOOS == "windows" {
		if info, statErr := f.Stat(); statErr == nil && info.IsDir() {
			return nil
		}
	}
	return err
}
