// Package specialtest makes the files the tests of manifest and record
// readers put where a manifest or a record should be: named pipes that
// nothing writes to, and sparse files larger than any record may be.
package specialtest

import (
	"os"
	"testing"
)

// FIFO makes a named pipe at name that nothing writes to, and reports
// whether it could: false where the file system has no named pipes.
func FIFO(t testing.TB, name string) bool {
	t.Helper()
	return mkfifo(t, name)
}

// Sparse makes a file of size bytes at name, writing nothing.
func Sparse(t testing.TB, name string, size int64) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}
