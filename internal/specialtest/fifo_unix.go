//go:build unix

package specialtest

import (
	"syscall"
	"testing"
)

func mkfifo(t testing.TB, name string) bool {
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	return true
}
