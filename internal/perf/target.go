package perf

import (
	"fmt"
	"math"
	"strconv"
)

// Target is a limit a figure must stay within or reach.
type Target struct {
	// Limit is the figure's bound.
	Limit float64
	// AtLeast reports that the figure must be at least Limit; otherwise it
	// must be at most Limit.
	AtLeast bool
}

// AtMost returns the target of a figure that must not exceed limit.
func AtMost(limit float64) Target { return Target{Limit: limit} }

// AtLeast returns the target of a figure that must reach limit.
func AtLeast(limit float64) Target { return Target{Limit: limit, AtLeast: true} }

// Met reports whether v meets the target. A figure equal to the limit
// meets it; NaN, a figure that was not measured, meets none.
func (t Target) Met(v float64) bool {
	if math.IsNaN(v) {
		return false
	}
	if t.AtLeast {
		return v >= t.Limit
	}
	return v <= t.Limit
}

// String returns the target as "≤ 1.5" or "≥ 5".
func (t Target) String() string {
	op := "≤"
	if t.AtLeast {
		op = "≥"
	}
	return op + " " + strconv.FormatFloat(t.Limit, 'g', -1, 64)
}

// Verdict returns "met" or "**missed**" (bold in Markdown), followed by
// the figure formatted by format and the target, such as
// "met (1.21 ≤ 1.5)", or "not measured" for NaN.
func (t Target) Verdict(v float64, format string) string {
	if math.IsNaN(v) {
		return "not measured"
	}
	word := "met"
	if !t.Met(v) {
		word = "**missed**"
	}
	return fmt.Sprintf("%s ("+format+" %s)", word, v, t)
}
