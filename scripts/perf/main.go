// Command perf measures cachebust against the limits and peers its
// performance targets name, computes a verdict per target, and writes the
// report docs/PERFORMANCE.md. scripts/perf.sh builds the binaries it runs,
// fetches the npm trees, mounts the file system to measure on, and calls
// it; run it alone to regenerate one section.
//
// Every figure is a ratio of two things measured in the same run, their
// runs interleaved (A, B, A, B, …) after a warm-up round, with the median
// and range of the ratios of the rounds. The floors are the minimal
// programs scripts/minhash (walk, read and SHA-256 every file) and
// scripts/minrename (the same, writing the outputs of a rename build with
// -out), each beside the tool it must beat to be a floor. The sections:
//
//	query     in-place query builds with nothing changed against minhash,
//	          and minhash against find | xargs -P2 sha256sum (whose
//	          digests it is checked to match), on the npm trees and on
//	          generated trees of every -sizes, with the peak memory of each
//	crc32     build -hash crc32 -url query in place against scripts/crc32map.py
//	rename    build -url rename -out OUT against minrename, against
//	          cp -r, with and without a syncfs, and against
//	          scripts/md5copies.py, with the peak memory of each
//	fixed     cachebust version, and build, url and verify on a tree of
//	          one file, against minhash of an empty directory: the cost of
//	          starting a command
//	brotli    the CPU time of build -brotli, less that of the same build
//	          without it, against C brotli -q 11 compressing the same files,
//	          the outputs checked to be byte-identical
//	manifest  core.Load of a manifest of -assets assets against decoding
//	          the same JSON into map[string]any with encoding/json
//	runtime   go test -bench of the runtime targets' benchmarks, each a
//	          ratio against a baseline in the same benchmark
//
// Usage:
//
//	perf [flags]
//
// With -o, the sections run replace theirs in the report and the others
// are kept; without it the sections are printed. The exit status is 1 if
// a measurement fails and 2 for a usage mistake; a missed target is a
// verdict in the report, never a failure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cachebust/cachebust/internal/perf"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// sectionOrder lists the sections in the order they run and appear.
var sectionOrder = []string{"query", "crc32", "rename", "fixed", "brotli", "manifest", "runtime"}

// config is what the flags say.
type config struct {
	cachebust, minhash, minrename, gentree string
	python, scripts, brotli                string
	npm                                    []tree
	sizes, copySizes                       []int
	brotliNpm                              []string
	brotliDir                              string
	assets                                 int
	warm, runs, fixedRuns, brotliRuns      int
	count                                  int
	benchtime, loadtime                    string
	race                                   bool
	sections                               []string
	work, out, fs                          string
	gnuTime                                string
	smoke                                  bool
	log                                    io.Writer
}

// tree is a directory of files a section measures on.
type tree struct {
	name, dir string
	files     int
	bytes     int64
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "perf:", err)
		return 2
	}
	if err := measure(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "perf:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{log: stderr}
	fs := flag.NewFlagSet("perf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: perf [flags]\n\nMeasure cachebust against its limits and peers and write the report.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.cachebust, "cachebust", "", "the cachebust binary (for every section but manifest and runtime)")
	fs.StringVar(&cfg.minhash, "minhash", "", "the minhash binary, built from ./scripts/minhash (for query and fixed)")
	fs.StringVar(&cfg.minrename, "minrename", "", "the minrename binary, built from ./scripts/minrename (for rename)")
	fs.StringVar(&cfg.brotli, "brotli", "brotli", "the C brotli command (for brotli); not installed leaves the section out")
	brotliNpm := fs.String("brotli-npm", "bootstrap@", "comma-separated name prefixes of the -npm trees the brotli section measures on")
	fs.StringVar(&cfg.brotliDir, "brotli-dir", "examples/site/static", "the tree the brotli section measures on when no -npm tree matches -brotli-npm")
	fs.StringVar(&cfg.fs, "fs", "", "the file system the work directory is on, as the report names it (default: its type)")
	fs.StringVar(&cfg.gentree, "gentree", "", "the gentree binary, built from ./scripts/gentree, to generate trees")
	fs.StringVar(&cfg.python, "python", "python3", "the Python interpreter for the Python build steps; empty leaves them out")
	fs.StringVar(&cfg.scripts, "scripts", "scripts", "the directory of crc32map.py and md5copies.py")
	fs.Func("npm", "an unpacked npm package to measure on, as NAME=DIR (repeatable)", func(s string) error {
		name, dir, ok := strings.Cut(s, "=")
		if !ok || name == "" || dir == "" {
			return fmt.Errorf("want NAME=DIR, not %q", s)
		}
		cfg.npm = append(cfg.npm, tree{name: name, dir: dir})
		return nil
	})
	sizes := fs.String("sizes", "1000,10000,100000", "files in the generated trees of the query section")
	copySizes := fs.String("copy-sizes", "1000,10000,100000", "files in the generated trees of the crc32 and rename sections")
	fs.IntVar(&cfg.assets, "assets", 100_000, "assets in the manifest of the manifest section")
	fs.IntVar(&cfg.warm, "warm", 1, "warm-up rounds before the measured ones")
	fs.IntVar(&cfg.runs, "runs", 5, "measured rounds of each comparison")
	fs.IntVar(&cfg.fixedRuns, "fixed-runs", 41, "measured rounds of the fixed section, whose commands take milliseconds")
	fs.IntVar(&cfg.brotliRuns, "brotli-runs", 3, "measured rounds of the brotli section, whose commands take seconds")
	fs.IntVar(&cfg.count, "count", 5, "go test -count of the runtime section")
	fs.StringVar(&cfg.benchtime, "benchtime", "1s", "go test -benchtime of the runtime section")
	fs.StringVar(&cfg.loadtime, "loadtime", "20000x", "go test -benchtime of the load test in the runtime section")
	fs.BoolVar(&cfg.race, "race", false, "run the runtime section's benchmarks with -race (figures then mean nothing; -smoke sets it, to reuse the tests' race builds)")
	secs := fs.String("sections", strings.Join(sectionOrder, ","), "sections to run")
	fs.StringVar(&cfg.work, "work", "", "scratch directory, kept (default a temporary one, removed)")
	fs.StringVar(&cfg.out, "o", "", "report to write the sections into (default: print them)")
	fs.BoolVar(&cfg.smoke, "smoke", false, "check the harness quickly: tiny trees, one round, benchmarks once; flags given explicitly win")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.smoke {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]string{
			"sizes": "300,1000", "copy-sizes": "300", "assets": "2000", "warm": "0", "runs": "1",
			"fixed-runs": "1", "brotli-runs": "1",
			"count": "1", "benchtime": "1x", "loadtime": "1x", "race": "true",
		} {
			if !set[name] {
				fs.Set(name, v)
			}
		}
	}
	var err error
	if cfg.sizes, err = parseSizes(*sizes); err != nil {
		return nil, fmt.Errorf("-sizes: %w", err)
	}
	if cfg.copySizes, err = parseSizes(*copySizes); err != nil {
		return nil, fmt.Errorf("-copy-sizes: %w", err)
	}
	for s := range strings.SplitSeq(*secs, ",") {
		if !slices.Contains(sectionOrder, s) {
			return nil, fmt.Errorf("unknown section %q (have %s)", s, strings.Join(sectionOrder, ", "))
		}
		cfg.sections = append(cfg.sections, s)
	}
	for p := range strings.SplitSeq(*brotliNpm, ",") {
		if p != "" {
			cfg.brotliNpm = append(cfg.brotliNpm, p)
		}
	}
	if cfg.runs < 1 || cfg.fixedRuns < 1 || cfg.brotliRuns < 1 || cfg.warm < 0 || cfg.count < 1 || cfg.assets < 1 {
		return nil, errors.New("-runs, -fixed-runs, -brotli-runs, -count and -assets must be at least 1, -warm at least 0")
	}
	need := map[string]string{}
	for _, s := range cfg.sections {
		sizes := cfg.copySizes
		switch s {
		case "query":
			need["-minhash"] = cfg.minhash
			sizes = cfg.sizes
		case "rename":
			need["-minrename"] = cfg.minrename
		case "fixed":
			need["-minhash"] = cfg.minhash
		}
		switch s {
		case "query", "crc32", "rename":
			if len(sizes) > 0 {
				need["-gentree"] = cfg.gentree
			}
			fallthrough
		case "fixed", "brotli":
			need["-cachebust"] = cfg.cachebust
		}
	}
	for _, name := range slices.Sorted(maps.Keys(need)) {
		if need[name] == "" {
			return nil, fmt.Errorf("%s is needed for the sections %s", name, strings.Join(cfg.sections, ","))
		}
	}
	return cfg, nil
}

// parseSizes parses a comma-separated list of file counts; "" is none.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	if s == "" {
		return nil, nil
	}
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a number of files", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// section is one part of the report.
type section struct {
	name string
	body string
}

// measure runs the sections cfg names and writes the report.
func measure(ctx context.Context, cfg *config, stdout io.Writer) error {
	if cfg.work == "" {
		dir, err := os.MkdirTemp("", "cachebust-perf-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.work = dir
	} else if err := os.MkdirAll(cfg.work, 0o755); err != nil {
		return err
	}
	var err error
	if cfg.work, err = filepath.Abs(cfg.work); err != nil {
		return err
	}
	for i := range cfg.npm {
		if err := cfg.npm[i].stat(); err != nil {
			return err
		}
	}
	cfg.gnuTime = gnuTime()
	if cfg.gnuTime == "" {
		fmt.Fprintln(cfg.log, "perf: no GNU time: the peak memory of a command is at least the harness's own")
	}
	m := machine(cfg.work)
	if cfg.fs != "" {
		m.fs = cfg.fs
	}
	run := map[string]func(context.Context, *config) (string, error){
		"query":    querySection,
		"crc32":    crc32Section,
		"rename":   renameSection,
		"fixed":    fixedSection,
		"brotli":   brotliSection,
		"manifest": manifestSection,
		"runtime":  runtimeSection,
	}
	for _, name := range sectionOrder {
		if !slices.Contains(cfg.sections, name) {
			continue
		}
		fmt.Fprintf(cfg.log, "perf: %s\n", name)
		t0, load := time.Now(), loadAvg()
		body, err := run[name](ctx, cfg)
		if err != nil {
			return fmt.Errorf("section %s: %w", name, err)
		}
		fmt.Fprintf(cfg.log, "perf: %s took %v\n", name, time.Since(t0).Round(time.Second))
		// Each section is written as soon as it is measured, so that a
		// failure later loses nothing.
		s := section{name, body + "\n" + m.line(cfg, name, load) + "\n"}
		if cfg.out == "" {
			if _, err := io.WriteString(stdout, s.body+"\n"); err != nil {
				return err
			}
		} else if err := writeReport(cfg.out, section{"about", about()}, s); err != nil {
			return err
		}
	}
	return nil
}

// writeReport splices the sections into the report at name, creating it
// with every section, empty until measured, if need be.
func writeReport(name string, sections ...section) error {
	data, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	doc := string(data)
	if doc == "" {
		doc = "# Performance\n"
		// A new report holds every section in order, empty until run.
		for _, s := range append([]string{"about"}, sectionOrder...) {
			if doc, err = perf.Splice(doc, s, ""); err != nil {
				return err
			}
		}
	}
	for _, s := range sections {
		if doc, err = perf.Splice(doc, s.name, s.body); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return os.WriteFile(name, []byte(doc), 0o644)
}
