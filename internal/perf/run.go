package perf

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Sample is what one timed run of one side measured.
type Sample struct {
	// Wall is the elapsed time of the run.
	Wall time.Duration
	// CPU is the user and system time of a child process and of the
	// processes it waited for; 0 where unknown. On a busy machine it varies
	// less than Wall.
	CPU time.Duration
	// MaxRSS is the peak resident set of a child process, or of the
	// largest process it waited for, in bytes; 0 where unknown.
	MaxRSS int64
	// Alloc is how many bytes an in-process run allocated on the heap.
	Alloc uint64
	// Live is how many bytes of heap an in-process run left in use.
	Live int64
}

// Millis returns the sample's wall time in milliseconds.
func (s Sample) Millis() float64 { return float64(s.Wall) / float64(time.Millisecond) }

// CPUMillis returns the sample's CPU time in milliseconds.
func (s Sample) CPUMillis() float64 { return float64(s.CPU) / float64(time.Millisecond) }

// Side is one side of a comparison.
type Side struct {
	// Name names the side in errors.
	Name string
	// Prepare, if not nil, runs before each run of the side, untimed: to
	// copy a fresh tree, say. run counts the rounds from 0, warm-up
	// rounds included.
	Prepare func(run int) error
	// Run is the timed part.
	Run func(run int) (Sample, error)
}

// Interleave runs warm rounds whose samples are dropped and then runs
// rounds; each round runs every side once, in the order given, each side's
// Prepare just before its Run. It returns the samples of the measured
// rounds, one slice per side in the order of sides, or the first error,
// which names the side and the round.
func Interleave(warm, runs int, sides ...Side) ([][]Sample, error) {
	out := make([][]Sample, len(sides))
	for round := range warm + runs {
		for i, s := range sides {
			if s.Prepare != nil {
				if err := s.Prepare(round); err != nil {
					return nil, fmt.Errorf("%s, run %d: preparing: %w", s.Name, round, err)
				}
			}
			smp, err := s.Run(round)
			if err != nil {
				return nil, fmt.Errorf("%s, run %d: %w", s.Name, round, err)
			}
			if round >= warm {
				out[i] = append(out[i], smp)
			}
		}
	}
	return out, nil
}

// Ratios returns f(a[i]) / f(b[i]) for each round i that both have: the
// ratio of the two sides within each round.
func Ratios(a, b []Sample, f func(Sample) float64) []float64 {
	n := min(len(a), len(b))
	r := make([]float64, n)
	for i := range n {
		r[i] = f(a[i]) / f(b[i])
	}
	return r
}

// Values returns f of every sample.
func Values(samples []Sample, f func(Sample) float64) []float64 {
	v := make([]float64, len(samples))
	for i, s := range samples {
		v[i] = f(s)
	}
	return v
}

// Exec runs the command argv in dir with no input and its output
// discarded, and returns its wall time, CPU time and peak resident set
// (those two on Linux). A command
// that fails is an error that holds the end of what it wrote to stderr.
func Exec(ctx context.Context, dir string, argv ...string) (Sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = "…" + msg[len(msg)-500:]
		}
		return Sample{}, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, msg)
	}
	cpu, rss := usage(cmd.ProcessState)
	return Sample{Wall: wall, CPU: cpu, MaxRSS: rss}, nil
}

// Measure runs f once in this process, after a garbage collection, and
// returns its wall time, the bytes it allocated, and the bytes of heap
// still in use after another collection while what f returned is kept.
// Nothing else in the process should allocate meanwhile.
func Measure(f func() (any, error)) (Sample, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	v, err := f()
	wall := time.Since(t0)
	if err != nil {
		return Sample{}, err
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return Sample{Wall: wall, Alloc: alloc, Live: int64(after.HeapAlloc) - int64(before.HeapAlloc)}, nil
}
