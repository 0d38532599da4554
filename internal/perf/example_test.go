package perf_test

import (
	"fmt"
	"time"

	"github.com/cachebust/cachebust/internal/perf"
)

// A comparison: two sides take turns, the ratio is taken within each
// round, and the median ratio is judged against a target.
func Example() {
	fixed := func(ms ...int) func(run int) (perf.Sample, error) {
		return func(run int) (perf.Sample, error) {
			return perf.Sample{Wall: time.Duration(ms[run]) * time.Millisecond}, nil
		}
	}
	s, err := perf.Interleave(1, 3,
		perf.Side{Name: "build", Run: fixed(900, 120, 150, 110)},
		perf.Side{Name: "limit", Run: fixed(800, 100, 100, 100)},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := perf.Summarize(perf.Ratios(s[0], s[1], perf.Sample.Millis))
	fmt.Printf("build ÷ limit: %.2f (%.2f–%.2f)\n", r.Median, r.Min, r.Max)
	fmt.Println(perf.AtMost(1.5).Verdict(r.Median, "%.2f"))
	// Output:
	// build ÷ limit: 1.20 (1.10–1.50)
	// met (1.20 ≤ 1.5)
}
