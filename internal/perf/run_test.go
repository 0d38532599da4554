package perf_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/internal/perf"
)

func TestInterleave(t *testing.T) {
	var log []string
	side := func(name string, wall time.Duration) perf.Side {
		return perf.Side{
			Name:    name,
			Prepare: func(run int) error { log = append(log, fmt.Sprintf("prep %s%d", name, run)); return nil },
			Run: func(run int) (perf.Sample, error) {
				log = append(log, fmt.Sprintf("run %s%d", name, run))
				return perf.Sample{Wall: wall * time.Duration(run+1)}, nil
			},
		}
	}
	got, err := perf.Interleave(1, 2, side("A", time.Millisecond), side("B", 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	wantLog := []string{
		"prep A0", "run A0", "prep B0", "run B0",
		"prep A1", "run A1", "prep B1", "run B1",
		"prep A2", "run A2", "prep B2", "run B2",
	}
	if !slices.Equal(log, wantLog) {
		t.Errorf("order of calls:\n%v\nwant\n%v", log, wantLog)
	}
	if len(got) != 2 || len(got[0]) != 2 || len(got[1]) != 2 {
		t.Fatalf("Interleave returned %v, want 2 sides of 2 samples (the warm-up dropped)", got)
	}
	if got[0][0].Wall != 2*time.Millisecond || got[1][1].Wall != 6*time.Millisecond {
		t.Errorf("samples %v, want those of rounds 1 and 2", got)
	}
	r := perf.Ratios(got[1], got[0], perf.Sample.Millis)
	if !slices.Equal(r, []float64{2, 2}) {
		t.Errorf("Ratios(B, A) = %v, want [2 2]", r)
	}
}

func TestInterleaveError(t *testing.T) {
	boom := errors.New("boom")
	runs := 0
	_, err := perf.Interleave(0, 3,
		perf.Side{Name: "ok", Run: func(int) (perf.Sample, error) { runs++; return perf.Sample{}, nil }},
		perf.Side{Name: "bad", Run: func(run int) (perf.Sample, error) {
			if run == 1 {
				return perf.Sample{}, boom
			}
			return perf.Sample{}, nil
		}})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "bad, run 1") {
		t.Errorf("error %v, want boom naming side bad and run 1", err)
	}
	if runs != 2 {
		t.Errorf("side ok ran %d times, want 2: nothing after the failure", runs)
	}
}

func TestExec(t *testing.T) {
	s, err := perf.Exec(context.Background(), t.TempDir(), "sh", "-c", "head -c 50000000 /dev/zero | cat >/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if s.Wall <= 0 {
		t.Errorf("Wall = %v, want > 0", s.Wall)
	}
	// The shell itself does next to nothing: the CPU time is that of the
	// children it waited for.
	if runtime.GOOS == "linux" && (s.MaxRSS <= 0 || s.CPU <= 0) {
		t.Errorf("MaxRSS = %d, CPU = %v; want the resident set and CPU time of the children on Linux", s.MaxRSS, s.CPU)
	}
	_, err = perf.Exec(context.Background(), t.TempDir(), "sh", "-c", "echo 'no such tree' >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "no such tree") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("failing command: error %v, want its exit status and stderr", err)
	}
}

func TestMeasure(t *testing.T) {
	const n = 8 << 20
	s, err := perf.Measure(func() (any, error) { return make([]byte, n), nil })
	if err != nil {
		t.Fatal(err)
	}
	if s.Alloc < n {
		t.Errorf("Alloc = %d, want at least the %d bytes allocated", s.Alloc, n)
	}
	// Other garbage freed meanwhile lowers Live a little.
	if s.Live < n*7/8 {
		t.Errorf("Live = %d, want about the %d bytes kept", s.Live, n)
	}
	boom := errors.New("boom")
	if _, err := perf.Measure(func() (any, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("Measure of a failing function: error %v, want boom", err)
	}
}
