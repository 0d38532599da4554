package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/cachebust/cachebust/internal/perf"
)

// module is the import path the benchmarks' packages are under.
const module = "github.com/cachebust/cachebust"

// benchTarget is a runtime target read from a benchmark's figure.
type benchTarget struct {
	name   string      // what the target is
	pkg    string      // package, relative to module
	bench  string      // benchmark name, sub-benchmarks joined by "/"
	unit   string      // the figure: "ns/op", "allocs/op" or a reported metric
	target perf.Target // what the figure must meet
	what   string      // what is compared, for the reader
	// base, if set, is a benchmark of the same package and unit to show
	// beside the figure as a baseline measured in the same run.
	base string
}

// benchTargets are the runtime targets, each a figure of a benchmark that
// runs its own baseline.
var benchTargets = []benchTarget{
	{"resolver lookup, ns/op", "core", "BenchmarkURL/css_main.css", "ns/op", perf.AtMost(30),
		"`Resolver.URL` of a manifest path", "BenchmarkURL/MapLookupBaseline"},
	{"resolver lookup, allocs/op", "core", "BenchmarkURL/css_main.css", "allocs/op", perf.AtMost(0), "the same lookup", ""},
	{"lookup of a missing path, allocs/op", "core", "BenchmarkURL/js_app.js", "allocs/op", perf.AtMost(0),
		"the fallback URL, logged once and then cached", ""},
	{"dev-mode lookup ÷ normal lookup", "fingerprint", "BenchmarkDevLookup/Dev", "x-normal", perf.AtMost(1.2),
		"`fingerprint.NewDev`'s resolver between checks against `core.New`'s", ""},
	{"html/template page ÷ built-in", "adapters/htmltemplate", "BenchmarkPage/html/ratio", "x-baseline", perf.AtMost(1.2),
		"50 `asset_url` calls against 50 `print` calls", ""},
	{"text/template page ÷ built-in", "adapters/htmltemplate", "BenchmarkPage/text/ratio", "x-baseline", perf.AtMost(1.2),
		"the same in text/template", ""},
	{"pongo2 filter page ÷ built-in", "adapters/pongo2", "BenchmarkPage/filter/ratio", "x-baseline", perf.AtMost(1.2),
		"`|asset_url` against `|lower`", ""},
	{"pongo2 function page ÷ built-in filter", "adapters/pongo2", "BenchmarkPage/func/ratio", "x-baseline", perf.AtMost(1.2),
		"`asset_url(x)` against `|lower`; pongo2 has no built-in function", ""},
	{"pongo2 function page ÷ no-op Go function", "adapters/pongo2", "BenchmarkPage/func-vs-noop/ratio", "x-baseline", perf.AtMost(1.2),
		"`asset_url(x)` against a Go function returning its argument", ""},
	{"Jet page ÷ built-in", "adapters/jet", "BenchmarkPage/ratio", "x-baseline", perf.AtMost(1.2),
		"`| asset_url` against `| lower`", ""},
	{"handler time ÷ http.FileServer time", "serve", "BenchmarkHandler/ratio", "x-baseline", perf.AtMost(1.11),
		"the same file; at most 1.11 is throughput at least 0.9×", ""},
	{"Fiber middleware time ÷ Fiber static time", "adapters/fiberstatic", "BenchmarkMiddleware/ratio", "x-baseline", perf.AtMost(1.11),
		"`fiberstatic` against Fiber v3 `static.New`, in memory; at most 1.11 is throughput at least 0.9×", ""},
	{"load test errors", "e2e", "BenchmarkLoad", "errors", perf.AtMost(0),
		"requests from 8 workers over loopback while manifests are rebuilt and swapped every 50 ms", ""},
}

// benchRuns returns the arguments of the go test runs of the runtime
// section: the benchmarks of the targets, and the load test, which runs
// once with its own request count; one run when those are the same.
func benchRuns(cfg *config) [][]string {
	pre := []string{"test", "-run", "^$", "-benchmem"}
	if cfg.race {
		pre = append(pre, "-race")
	}
	benches := "BenchmarkURL|BenchmarkDevLookup|BenchmarkHandler|BenchmarkPage|BenchmarkMiddleware"
	pkgs := []string{"./core", "./fingerprint", "./serve", "./adapters/htmltemplate", "./adapters/pongo2", "./adapters/jet", "./adapters/fiberstatic"}
	times := []string{"-count", fmt.Sprint(cfg.count), "-benchtime", cfg.benchtime}
	if cfg.count == 1 && cfg.loadtime == cfg.benchtime {
		return [][]string{slices.Concat(pre, []string{"-bench", "^(" + benches + "|BenchmarkLoad)$"}, times, pkgs, []string{"./e2e"})}
	}
	return [][]string{
		slices.Concat(pre, []string{"-bench", "^(" + benches + ")$"}, times, pkgs),
		slices.Concat(pre, []string{"-bench", "^BenchmarkLoad$", "-count", "1", "-benchtime", cfg.loadtime, "./e2e"}),
	}
}

func runtimeSection(ctx context.Context, cfg *config) (string, error) {
	var out bytes.Buffer
	for _, argv := range benchRuns(cfg) {
		fmt.Fprintf(cfg.log, "perf: go %s\n", strings.Join(argv, " "))
		cmd := exec.CommandContext(ctx, "go", argv...)
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("go %s: %w", strings.Join(argv, " "), err)
		}
	}
	b, err := perf.ParseBench(&out)
	if err != nil {
		return "", err
	}
	return runtimeReport(b)
}

// runtimeReport returns the runtime section for the benchmark results b;
// a target whose figure b lacks is an error, so that a renamed benchmark
// cannot drop out of the report unseen.
func runtimeReport(b *perf.Bench) (string, error) {
	var s strings.Builder
	s.WriteString(`## Runtime targets

Each figure is the median over the runs of one benchmark (` + "`go test -run '^$' -bench ... -benchmem`" + `), with its range. The ratios
compare two things measured in the same run: the render, handler and
middleware benchmarks take turns between the two sides inside one loop
(` + "`internal/benchpage.Compare`" + `), which keeps them steady on a busy
machine.

`)
	t := perf.Table{Header: []string{"target", "measured:", "range:", "goal:", "verdict", "what is compared"}}
	for _, bt := range benchTargets {
		vs := b.Values(module+"/"+bt.pkg, bt.bench, bt.unit)
		if len(vs) == 0 {
			return "", fmt.Errorf("no %s of %s in %s", bt.unit, bt.bench, bt.pkg)
		}
		st := perf.Summarize(vs)
		what := bt.what
		if bt.base != "" {
			base := b.Median(module+"/"+bt.pkg, bt.base, bt.unit)
			what += fmt.Sprintf("; %s in the same run: %s %s (%s)", strings.TrimPrefix(bt.base, "BenchmarkURL/"), num(base), bt.unit, times(st.Median/base))
		}
		if bt.pkg == "e2e" {
			what = fmt.Sprintf("%s requests/s, %s", num(b.Median(module+"/e2e", bt.bench, "requests/s")), what)
		}
		format := "%.4g"
		if st.Median >= 1000 {
			format = "%.0f"
		}
		t.Add(bt.name, num(st.Median), num(st.Min)+"–"+num(st.Max), bt.target.String(), bt.target.Verdict(st.Median, format), what)
	}
	s.WriteString(t.String())
	return s.String(), nil
}

// num formats a benchmark figure with four significant digits, and
// large ones whole.
func num(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}
