package perf

import (
	"math"
	"slices"
)

// Median returns the median of xs: the middle value, or the mean of the
// two middle values when there is an even number of them. It returns NaN
// for no values. xs is not changed.
func Median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(xs))
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Stat summarises repeated measurements of one figure.
type Stat struct {
	// Median is the median of the values.
	Median float64
	// Min and Max are the smallest and largest values: how far apart runs
	// of the same measurement fell.
	Min, Max float64
	// N is how many values there were.
	N int
}

// Summarize returns the Stat of xs; for no values, every figure is NaN.
func Summarize(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	return Stat{Median: Median(xs), Min: slices.Min(xs), Max: slices.Max(xs), N: len(xs)}
}

// Spread returns how far the values spread around the median, as the
// fraction (Max-Min)/Median: 0.1 means the runs fell within 10% of the
// median of each other. It is NaN for no values or a median of 0.
func (s Stat) Spread() float64 {
	if s.N == 0 || s.Median == 0 {
		return math.NaN()
	}
	return (s.Max - s.Min) / s.Median
}
