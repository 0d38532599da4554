//go:build !unix

package recordfile

import "testing"

// mkfifo reports false: there are no named pipes in the file system here.
func mkfifo(t *testing.T, name string) bool { return false }
