package fingerprint

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncOutputs makes the files written, relative to the output directory
// root, and the directory entries naming them durable, before a manifest
// naming them is written.
//
// It flushes the whole file system holding root with one syncfs(2), which
// costs one wait on the disk however many files were written, where a
// sync of each file as it was written cost two waits per file (the file,
// then its directory), several times as long for a build of many files
// (docs/PERFORMANCE.md has the figures). The price is that a build also waits for other programs' unwritten
// data on the same file system.
func syncOutputs(root *os.Root, written []string) error {
	if traceSync != nil && len(written) > 0 {
		traceSync("outputs", written)
	}
	if len(written) == 0 || noSync {
		return nil
	}
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
