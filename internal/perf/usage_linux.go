package perf

import (
	"os"
	"syscall"
	"time"
)

// usage returns the CPU time and the peak resident set in bytes of a
// finished process, its waited-for children included (Linux counts the
// resident set in KiB).
func usage(ps *os.ProcessState) (time.Duration, int64) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, ru.Maxrss << 10
}
