package perf_test

import (
	"math"
	"slices"
	"testing"

	"github.com/cachebust/cachebust/internal/perf"
)

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		name string
		xs   []float64
		want float64
	}{
		{"one", []float64{7}, 7},
		{"odd unsorted", []float64{9, 1, 5}, 5},
		{"even is the mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
		{"duplicates", []float64{2, 2, 2, 9}, 2},
		{"outlier does not move it", []float64{10, 11, 12, 1000, 10}, 11},
		{"negative", []float64{-3, -1, -2}, -2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.xs)
			if got := perf.Median(tt.xs); got != tt.want {
				t.Errorf("Median(%v) = %v, want %v", in, got, tt.want)
			}
			if !slices.Equal(tt.xs, in) {
				t.Errorf("Median changed its argument to %v", tt.xs)
			}
		})
	}
	if got := perf.Median(nil); !math.IsNaN(got) {
		t.Errorf("Median(nil) = %v, want NaN", got)
	}
}

func TestSummarize(t *testing.T) {
	s := perf.Summarize([]float64{1.2, 1.0, 1.1, 1.4})
	want := perf.Stat{Median: 1.15, Min: 1.0, Max: 1.4, N: 4}
	if s != want {
		t.Errorf("Summarize = %+v, want %+v", s, want)
	}
	if got := s.Spread(); math.Abs(got-0.4/1.15) > 1e-12 {
		t.Errorf("Spread() = %v, want %v", got, 0.4/1.15)
	}
	empty := perf.Summarize(nil)
	if empty.N != 0 || !math.IsNaN(empty.Median) || !math.IsNaN(empty.Spread()) {
		t.Errorf("Summarize(nil) = %+v, spread %v; want N 0 and NaN figures", empty, empty.Spread())
	}
}
