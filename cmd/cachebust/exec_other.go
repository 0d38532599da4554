//go:build !unix

package main

import "errors"

// replaceProcess returns errors.ErrUnsupported: the system cannot replace
// a process with another program.
func replaceProcess(bin string, args []string) error { return errors.ErrUnsupported }
