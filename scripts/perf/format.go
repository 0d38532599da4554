package main

import (
	"fmt"
	"math"

	"github.com/cachebust/cachebust/internal/perf"
)

// ms formats the median wall time of samples in milliseconds.
func ms(samples []perf.Sample) string {
	return fmt.Sprintf("%.1f", perf.Median(perf.Values(samples, perf.Sample.Millis)))
}

// peak formats the median peak resident set of samples in MiB.
func peak(samples []perf.Sample) string {
	return fmt.Sprintf("%.1f", perf.Median(perf.Values(samples, func(s perf.Sample) float64 { return float64(s.MaxRSS) }))/(1<<20))
}

// ratio is the paired ratio a ÷ b of wall times, round by round.
func ratio(a, b []perf.Sample) perf.Stat {
	return perf.Summarize(perf.Ratios(a, b, perf.Sample.Millis))
}

// cpuRatio is the paired ratio a ÷ b of CPU times, round by round.
func cpuRatio(a, b []perf.Sample) perf.Stat {
	return perf.Summarize(perf.Ratios(a, b, perf.Sample.CPUMillis))
}

// times formats a ratio as "1.23×".
func times(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.2f×", v)
}

// span formats the range of a Stat as "1.20–1.31".
func span(s perf.Stat) string {
	if s.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f–%.2f", s.Min, s.Max)
}

// verdict says whether the figure v meets t, with the number, in a
// table cell.
func verdict(t perf.Target, v float64) string { return t.Verdict(v, "%.2f") }

// tally says on how many trees' figures vs t was met.
func tally(t perf.Target, vs []float64) string { return tallyOf(t, vs, "trees") }

// tallyOf says on how many of the things, the figures vs, t was met.
func tallyOf(t perf.Target, vs []float64, things string) string {
	met := 0
	for _, v := range vs {
		if t.Met(v) {
			met++
		}
	}
	word := "met"
	if met < len(vs) {
		word = "**missed**"
	}
	return fmt.Sprintf("%s: met on %d of %d %s", word, met, len(vs), things)
}
