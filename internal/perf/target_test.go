package perf_test

import (
	"math"
	"testing"

	"github.com/cachebust/cachebust/internal/perf"
)

func TestTarget(t *testing.T) {
	for _, tt := range []struct {
		name    string
		target  perf.Target
		v       float64
		met     bool
		verdict string
	}{
		{"below at most", perf.AtMost(1.5), 1.2, true, "met (1.20 ≤ 1.5)"},
		{"equal to at most", perf.AtMost(1.5), 1.5, true, "met (1.50 ≤ 1.5)"},
		{"above at most", perf.AtMost(1.5), 1.51, false, "**missed** (1.51 ≤ 1.5)"},
		{"above at least", perf.AtLeast(5), 7.25, true, "met (7.25 ≥ 5)"},
		{"equal to at least", perf.AtLeast(5), 5, true, "met (5.00 ≥ 5)"},
		{"below at least", perf.AtLeast(5), 2.7, false, "**missed** (2.70 ≥ 5)"},
		{"zero allowed", perf.AtMost(0), 0, true, "met (0.00 ≤ 0)"},
		{"NaN at most", perf.AtMost(1), math.NaN(), false, "not measured"},
		{"NaN at least", perf.AtLeast(1), math.NaN(), false, "not measured"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.target.Met(tt.v); got != tt.met {
				t.Errorf("%v.Met(%v) = %v, want %v", tt.target, tt.v, got, tt.met)
			}
			if got := tt.target.Verdict(tt.v, "%.2f"); got != tt.verdict {
				t.Errorf("%v.Verdict(%v) = %q, want %q", tt.target, tt.v, got, tt.verdict)
			}
		})
	}
}
