package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/perf"
)

func TestParseFlags(t *testing.T) {
	bins := []string{"-cachebust", "cb", "-minhash", "mh", "-minrename", "mr", "-gentree", "gt"}
	cfg, err := parseFlags(append(bins, "-smoke", "-runs", "2", "-npm", "fa@7=/trees/fa"), new(strings.Builder))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.runs != 2 || cfg.warm != 0 || cfg.count != 1 || cfg.benchtime != "1x" || !cfg.race {
		t.Errorf("-smoke -runs 2: runs %d, warm %d, count %d, benchtime %q, race %v; want 2, 0, 1, 1x, true",
			cfg.runs, cfg.warm, cfg.count, cfg.benchtime, cfg.race)
	}
	if !slices.Equal(cfg.sizes, []int{300, 1000}) || !slices.Equal(cfg.sections, sectionOrder) {
		t.Errorf("-smoke: sizes %v, sections %v", cfg.sizes, cfg.sections)
	}
	if len(cfg.npm) != 1 || cfg.npm[0].name != "fa@7" || cfg.npm[0].dir != "/trees/fa" {
		t.Errorf("-npm fa@7=/trees/fa: %+v", cfg.npm)
	}
	if _, err := parseFlags([]string{"-sections", "crc32,rename", "-cachebust", "cb", "-minrename", "mr", "-copy-sizes", ""}, new(strings.Builder)); err != nil {
		t.Errorf("crc32 and rename without generated trees need no -gentree: %v", err)
	}
	cfg, err = parseFlags([]string{"-sections", "manifest"}, new(strings.Builder))
	if err != nil {
		t.Fatalf("-sections manifest needs no binaries: %v", err)
	}
	if cfg.runs != 5 || cfg.assets != 100_000 || !slices.Equal(cfg.sizes, []int{1000, 10000, 100000}) ||
		!slices.Equal(cfg.copySizes, cfg.sizes) || cfg.fixedRuns != 41 || !slices.Equal(cfg.brotliNpm, []string{"bootstrap@"}) {
		t.Errorf("defaults: runs %d, assets %d, sizes %v, copy sizes %v, fixed runs %d, brotli trees %q",
			cfg.runs, cfg.assets, cfg.sizes, cfg.copySizes, cfg.fixedRuns, cfg.brotliNpm)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-sections", "query,speed"}, `unknown section "speed"`},
		{[]string{"-sections", "rename"}, "-cachebust is needed"},
		{[]string{"-sections", "rename", "-cachebust", "cb", "-minrename", "mr"}, "-gentree is needed"},
		{[]string{"-sections", "rename", "-cachebust", "cb", "-gentree", "gt"}, "-minrename is needed"},
		{[]string{"-sections", "fixed", "-cachebust", "cb"}, "-minhash is needed"},
		{[]string{"-sections", "brotli"}, "-cachebust is needed"},
		{append(bins, "-fixed-runs", "0"), "-fixed-runs"},
		{append(bins, "-npm", "fa"), "want NAME=DIR"},
		{append(bins, "-sizes", "10,x"), `"x" is not a number of files`},
		{append(bins, "-runs", "0"), "-runs"},
		{append(bins, "extra"), `unexpected argument "extra"`},
	} {
		if _, err := parseFlags(tt.args, new(strings.Builder)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFlags(%q): error %v, want one containing %q", tt.args, err, tt.want)
		}
	}
}

func TestGrowth(t *testing.T) {
	row := func(size int, r float64) queryRow {
		return queryRow{generated: true, size: size, toWalk: perf.Stat{Median: r, N: 1}}
	}
	npm := queryRow{toWalk: perf.Stat{Median: 9, N: 1}}
	for _, tt := range []struct {
		name     string
		rows     []queryRow
		want     float64
		from, to int
	}{
		{"largest over smallest from 5,000", []queryRow{npm, row(1000, 5), row(5000, 2), row(20000, 2.2), row(80000, 3)}, 1.5, 5000, 80000},
		{"the default sizes", []queryRow{npm, row(1000, 5), row(10000, 2), row(100000, 2.4)}, 1.2, 10000, 100000},
		{"order does not matter", []queryRow{row(80000, 3), row(5000, 2), row(20000, 1)}, 1.5, 5000, 80000},
		{"small trees when fewer than two are large", []queryRow{row(300, 2), row(1000, 3), row(5000, 4)}, 2, 300, 5000},
		{"one tree", []queryRow{npm, row(5000, 2)}, math.NaN(), 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, from, to := growth(tt.rows)
			if from != tt.from || to != tt.to || !(g == tt.want || math.IsNaN(g) && math.IsNaN(tt.want)) {
				t.Errorf("growth = %v from %d to %d, want %v from %d to %d", g, from, to, tt.want, tt.from, tt.to)
			}
		})
	}
}

func TestPerFile(t *testing.T) {
	ms := func(v ...float64) []perf.Sample {
		var s []perf.Sample
		for _, x := range v {
			s = append(s, perf.Sample{Wall: time.Duration(x * float64(time.Millisecond))})
		}
		return s
	}
	rows := []queryRow{
		{size: 5000, build: ms(900), walk: ms(900)}, // an npm tree of 5,000 files: not generated
		{generated: true, size: 5000, build: ms(100, 120, 110), walk: ms(200, 190, 210)},
		{generated: true, size: 100000, build: ms(1650, 1540), walk: ms(2000)},
	}
	// 1,595 ms over 100,000 files ÷ 110 ms over 5,000; 2,000 ÷ 200.
	b, w := perFile(rows, 5000, 100000)
	if math.Abs(b-0.725) > 1e-9 || math.Abs(w-0.5) > 1e-9 {
		t.Errorf("perFile = %v, %v; want 0.725, 0.5", b, w)
	}
}

// benchText returns go test -bench output with value as the figure of
// every runtime target, and missed as that of the handler's.
func benchText(value, missed float64) string {
	var b strings.Builder
	for _, bt := range benchTargets {
		v := value
		if bt.bench == "BenchmarkHandler/ratio" {
			v = missed
		}
		fmt.Fprintf(&b, "pkg: %s/%s\n%s-2 \t 1000 \t %g %s\n", module, bt.pkg, bt.bench, v, bt.unit)
		if bt.base != "" {
			fmt.Fprintf(&b, "%s-2 \t 1000 \t 8 %s\n", bt.base, bt.unit)
		}
		if bt.pkg == "e2e" {
			fmt.Fprintf(&b, "%s-2 \t 1000 \t 12345 requests/s\n", bt.bench)
		}
	}
	return b.String()
}

func TestRuntimeReport(t *testing.T) {
	b, err := perf.ParseBench(strings.NewReader(benchText(0, 3)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := runtimeReport(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| resolver lookup, ns/op | 0 | 0–0 | ≤ 30 | met (0 ≤ 30) | `Resolver.URL` of a manifest path; MapLookupBaseline in the same run: 8 ns/op (0.00×) |",
		"| handler time ÷ http.FileServer time | 3 | 3–3 | ≤ 1.11 | **missed** (3 ≤ 1.11) |",
		"| load test errors | 0 | 0–0 | ≤ 0 | met (0 ≤ 0) | 12345 requests/s, ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("runtime report lacks\n%s\nin\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n| "); n != len(benchTargets)+2 {
		t.Errorf("runtime report has %d table rows, want %d (header, rule and one per target)", n, len(benchTargets)+2)
	}

	// A benchmark renamed away is an error, not a row that says nothing.
	text := strings.ReplaceAll(benchText(0, 3), "BenchmarkDevLookup/Dev", "BenchmarkDevLookup/Renamed")
	b, err = perf.ParseBench(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runtimeReport(b); err == nil || !strings.Contains(err.Error(), "BenchmarkDevLookup/Dev") {
		t.Errorf("runtimeReport without BenchmarkDevLookup/Dev: error %v, want one naming it", err)
	}
}

func TestBenchRuns(t *testing.T) {
	cfg := &config{count: 5, benchtime: "1s", loadtime: "20000x"}
	runs := benchRuns(cfg)
	if len(runs) != 2 || !slices.Contains(runs[1], "./e2e") || !slices.Contains(runs[1], "20000x") || slices.Contains(runs[0], "-race") {
		t.Errorf("benchRuns = %q, want the benchmarks and then the load test with its own -benchtime", runs)
	}
	cfg = &config{count: 1, benchtime: "1x", loadtime: "1x", race: true}
	runs = benchRuns(cfg)
	if len(runs) != 1 || !slices.Contains(runs[0], "./e2e") || !slices.Contains(runs[0], "-race") {
		t.Errorf("smoke benchRuns = %q, want one go test -race run with the load test in it", runs)
	}
}

func TestSyntheticManifest(t *testing.T) {
	m := syntheticManifest(1000)
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := core.ParseManifest(data)
	if err != nil {
		t.Fatalf("ParseManifest of the synthetic manifest: %v", err)
	}
	if len(back.Assets) != 1000 {
		t.Errorf("synthetic manifest has %d assets, want 1000", len(back.Assets))
	}
	r, err := core.New(back, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := r.URL("d001/e00/f00250.svg"); err != nil || !strings.HasPrefix(u, "/static/d001/e00/f00250-") || !strings.HasSuffix(u, ".svg") {
		t.Errorf(`URL("d001/e00/f00250.svg") = %q, %v; want a renamed URL`, u, err)
	}
}

// TestRunManifest runs the one section that needs no binaries, twice, into
// a report that has hand-written text: the section is replaced, the text
// kept.
func TestRunManifest(t *testing.T) {
	report := filepath.Join(t.TempDir(), "PERFORMANCE.md")
	args := []string{"-sections", "manifest", "-assets", "300", "-warm", "0", "-runs", "2", "-work", t.TempDir(), "-o", report}
	var stderr strings.Builder
	if code := run(context.Background(), args, new(strings.Builder), &stderr); code != 0 {
		t.Fatalf("run(%q) = %d, stderr:\n%s", args, code, stderr.String())
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, want := range []string{"# Performance\n", "<!-- BEGIN about -->\n", "<!-- BEGIN query -->\n<!-- END query -->\n",
		"| `core.Load` |", "of 300 assets", "- `core.Load` in at most 250 ms: ", "rounds: 0 warm-up, 2 measured"} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
	const note = "\nA note written by hand.\n"
	if err := os.WriteFile(report, []byte(doc+note), 0o644); err != nil {
		t.Fatal(err)
	}
	args[3] = "400"
	if code := run(context.Background(), args, new(strings.Builder), &stderr); code != 0 {
		t.Fatalf("second run = %d, stderr:\n%s", code, stderr.String())
	}
	data, _ = os.ReadFile(report)
	doc = string(data)
	if !strings.Contains(doc, "of 400 assets") || strings.Contains(doc, "of 300 assets") || !strings.HasSuffix(doc, note) {
		t.Errorf("second run: want the section replaced and the note kept:\n%s", doc)
	}
}

func TestRunUsage(t *testing.T) {
	var stderr strings.Builder
	if code := run(context.Background(), []string{"-sections", "nope"}, new(strings.Builder), &stderr); code != 2 {
		t.Errorf("run with an unknown section = %d, want 2", code)
	}
	if code := run(context.Background(), []string{"-h"}, new(strings.Builder), &stderr); code != 0 || !strings.Contains(stderr.String(), "-sections") {
		t.Errorf("run -h = %d, stderr %q; want 0 and the flags", code, stderr.String())
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{7: "7", 999: "999", 1000: "1,000", 5839: "5,839", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDiffs(t *testing.T) {
	ms := func(v ...float64) []perf.Sample {
		var s []perf.Sample
		for _, x := range v {
			s = append(s, perf.Sample{Wall: time.Duration(x * float64(time.Millisecond))})
		}
		return s
	}
	if got := diffs(ms(10, 12, 9), ms(4, 5), perf.Sample.Millis); !slices.Equal(got, []float64{6, 7}) {
		t.Errorf("diffs = %v, want [6 7]", got)
	}
}

func TestRenameReport(t *testing.T) {
	mk := func(ms float64, rss int64) []perf.Sample {
		return []perf.Sample{{Wall: time.Duration(ms * float64(time.Millisecond)), CPU: time.Millisecond, MaxRSS: rss << 20}}
	}
	rows := []renameRow{
		{tree: tree{name: "small", files: 1000}, build: mk(26, 30), min: mk(20, 10), cp: mk(10, 5), cpSync: mk(13, 5)},
		{tree: tree{name: "big", files: 100000}, build: mk(300, 200), min: mk(200, 50), cp: mk(100, 5), cpSync: mk(150, 5)},
	}
	got := renameReport(rows, false, "-python is empty")
	for _, want := range []string{
		"| small | 1000 | 0.0 | 26.0 | 20.0 | 10.0 | 13.0 | - | 1.30× | 1.30–1.30 | 1.00× | met (1.30 ≤ 1.3) | 2.60× | 2.00× | 1.54× | - | not measured | 30.0 | 10.0 | 5.0 |",
		"| big | 100000 |",
		"- Within 1.3× minrename: **missed**: met on 1 of 2 trees.",
		"- Peak memory at most 150 MiB on a tree of 100,000 files or more (big): **missed** (200.0 ≤ 150).",
		"- At least 2× faster than md5copies.py: not measured: -python is empty.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rename report lacks\n%s\nin\n%s", want, got)
		}
	}
	if got := renameReport(rows[:1], false, ""); !strings.Contains(got, "not measured (no such tree)") {
		t.Errorf("rename report without a big tree:\n%s", got)
	}
}

func TestBrotliScript(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"a.css": 100, "big.js": 70000, "img/x.png": 5000, "it's.svg": 2000, ".hidden.css": 10, ".git/x.js": 10} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script, files, size, err := brotliScript(tree{dir: dir}, "/usr/bin/brotli")
	if err != nil {
		t.Fatal(err)
	}
	want := "set -e\n" +
		"'/usr/bin/brotli' -q 11 -w 10 -k -f -S .cbr './a.css'\n" +
		`'/usr/bin/brotli' -q 11 -w 11 -k -f -S .cbr './it'\''s.svg'` + "\n" +
		"'/usr/bin/brotli' -q 11 -w 17 -k -f -S .cbr './big.js'\n"
	if script != want || files != 3 || size != 72100 {
		t.Errorf("brotliScript = %d files, %d bytes:\n%s\nwant 3 files, 72100 bytes:\n%s", files, size, script, want)
	}
}

func TestSameBrotli(t *testing.T) {
	built, byC := t.TempDir(), t.TempDir()
	for name, data := range map[string]string{"a.css.br": "x", "d/b.js.br": "y", "c.svg.br": "z", "a.css": "plain"} {
		p := filepath.Join(built, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string]string{"a.css.cbr": "x", "d/b.js.cbr": "other"} {
		p := filepath.Join(byC, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	total, same, err := sameBrotli(built, byC)
	if err != nil || total != 3 || same != 1 {
		t.Errorf("sameBrotli = %d, %d, %v; want 3 files, 1 the same (one differs, one missing)", total, same, err)
	}
}

// TestExecPeak checks that the peak memory of a small command is its
// own, not that of the harness that started it.
func TestExecPeak(t *testing.T) {
	cfg := &config{gnuTime: gnuTime(), work: t.TempDir()}
	if cfg.gnuTime == "" {
		t.Skip("no GNU time")
	}
	big := make([]byte, 200<<20)
	for i := range big {
		big[i] = 1
	}
	s, err := execPeak(context.Background(), cfg, "", "true")
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxRSS <= 0 || s.MaxRSS > 50<<20 {
		t.Errorf("peak of true = %d MiB, want a few (the harness holds 200)", s.MaxRSS>>20)
	}
	runtime.KeepAlive(big)
}
