package main

// about returns the report's opening: what it holds, how to reproduce it
// and how far to trust it.
func about() string {
	return `Every figure here comes from one run of ` + "`scripts/perf.sh`" + `, which
fetches the npm trees (` + "`npm pack`" + `), builds cachebust and the baselines
and runs ` + "`scripts/perf`" + `; ` + "`go run ./scripts/perf -h`" + ` lists the options,
and ` + "`scripts/perf.sh -sections NAME`" + ` regenerates one section. Every
comparison is a ratio of two things measured in the same run: their runs
take turns (A, B, A, B, …) after a warm-up round, the ratio is taken
within each round, and the table gives the median of those ratios with
their range (smallest–largest). Timed commands run with a warm page cache;
setup, such as copying a fresh tree, is untimed. Each target's verdict is
computed from the median.

The floors are two minimal programs that do only what a build must:
` + "`scripts/minhash`" + ` walks a tree, reads every file once and SHA-256es it
on two goroutines; ` + "`scripts/minrename`" + ` also writes the outputs of a
rename build (a copy, the hashed name hard-linked to it, the manifest,
one ` + "`syncfs`" + `). Each is measured in the same run beside the tool it must
come near to be a floor (` + "`sha256sum`" + `, ` + "`cp -r && sync -f`" + `), and their outputs are
checked by their tests and, for minhash, against sha256sum's in the run.

The file system: ` + "`scripts/perf.sh`" + ` measures on a fresh journaled ext4
in an image file it loop-mounts (an ext4 without a journal, such as this
machine's root file system, slows creating files for minutes after many
were removed), and falls back to the temporary directory where it cannot
mount one; the last line of each section names the file system used.

How far to trust the figures: each section ends with the machine's load
average at its start and end, and the range column shows how far the
rounds of one comparison fell apart. On a shared machine, with a load
average well above the number of cores, rounds have differed by 2–3× and
a median can move by tens of percent between runs, most where both sides
take only tens of milliseconds (starting a process is then a large part
of each) or create many files. The CPU-time ratios beside the wall-time
ones are disturbed less by other work. Read a ratio with its range, and
regenerate before quoting a small difference.
`
}
