//go:build !unix

package core_test

import "testing"

// makeFIFO returns "": there are no named pipes in the file system here.
func makeFIFO(t *testing.T) string { return "" }
