//go:build unix

package build_test

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at name that nothing writes to, and reports
// whether it could.
func mkfifo(t *testing.T, name string) bool {
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	return true
}
