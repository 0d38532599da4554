package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Targets, as ratios of rclone's time over cachebust's.
const (
	targetFirst     = 1.0 // a first publish no slower than rclone copy
	targetUnchanged = 5.0 // an unchanged publish at least 5 times faster
)

// results holds the times of every tool (the first is cachebust) in every
// phase, one per run, and the objects each left in its bucket.
type results struct {
	tools   []tool
	times   [][phases][]time.Duration
	objects []int
}

// median returns the median of ds, the mean of the middle two for an even
// count.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ratio returns how many times longer than cachebust tool i took, in the
// median, in phase.
func (r *results) ratio(i, phase int) float64 {
	return float64(median(r.times[i][phase])) / float64(median(r.times[0][phase]))
}

// verdict says whether ratio meets target.
func verdict(ratio, target float64) string {
	if ratio >= target {
		return fmt.Sprintf("met (target ≥ %.0f×)", target)
	}
	return fmt.Sprintf("**not met** (target ≥ %.0f×)", target)
}

// report writes the figures as a Markdown table and the ratios with their
// verdicts.
func (r *results) report(w io.Writer, runs int) {
	what := fmt.Sprintf("Medians of %d runs", runs)
	if runs == 1 {
		what = "One run"
	}
	fmt.Fprintf(w, "%s; each run publishes into fresh buckets, then again unchanged.\n\n", what)
	fmt.Fprintln(w, "| | objects in the bucket | first publish | unchanged publish |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for i, t := range r.tools {
		fmt.Fprintf(w, "| %s | %d | %s | %s |\n", t.name, r.objects[i],
			median(r.times[i][first]).Round(time.Millisecond), median(r.times[i][unchanged]).Round(time.Millisecond))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| ratio: rclone's time / cachebust's | first publish | unchanged publish |")
	fmt.Fprintln(w, "|---|---:|---:|")
	for i := 1; i < len(r.tools); i++ {
		f, u := r.ratio(i, first), r.ratio(i, unchanged)
		fmt.Fprintf(w, "| %s | %.2f× — %s | %.1f× — %s |\n", r.tools[i].name, f, verdict(f, targetFirst), u, verdict(u, targetUnchanged))
	}
}
