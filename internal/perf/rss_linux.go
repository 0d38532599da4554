package perf

import (
	"os"
	"syscall"
)

// maxRSS returns the peak resident set of a finished process in bytes;
// Linux counts it in KiB.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10
	}
	return 0
}
