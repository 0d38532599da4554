//go:build unix

package core_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeFIFO returns a new named pipe that nothing writes to.
func makeFIFO(t *testing.T) string {
	name := filepath.Join(t.TempDir(), "fifo.json")
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}
