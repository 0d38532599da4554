//go:build unix

package main

import (
	"os"
	"syscall"
)

// replaceProcess makes the process the program bin run with args, and
// returns only if it cannot.
func replaceProcess(bin string, args []string) error {
	return syscall.Exec(bin, append([]string{bin}, args...), os.Environ())
}
