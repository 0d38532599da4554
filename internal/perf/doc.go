// Package perf holds what cachebust's performance harness (scripts/perf)
// measures with and decides by: interleaved runs of the two sides of a
// comparison, the one median, targets with their verdicts, the parsing of
// "go test -bench" output, and the Markdown of the report.
//
// # Comparisons
//
// Every figure the harness reports is a ratio of two things measured in
// the same run. [Interleave] runs the sides of a comparison in turn
// (A, B, A, B, …), so that a machine that grows busier or quieter during
// the run slows both sides alike, and [Ratios] pairs the samples of each
// round before [Summarize] takes their median: the ratio of a round is
// less noisy than either of its times.
//
// # Targets
//
// A [Target] is a limit a figure must stay within ([AtMost]) or reach
// ([AtLeast]); [Target.Met] decides, and [Target.Verdict] says so with
// the number.
package perf
