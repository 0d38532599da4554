package perf_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/perf"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/cachebust/cachebust/core
cpu: Intel(R) Xeon(R) Processor
BenchmarkURL/MapLookupBaseline-2         	143052662	         8.233 ns/op	       0 B/op	       0 allocs/op
BenchmarkURL/css_main.css-2              	100000000	        10.12 ns/op	       0 B/op	       0 allocs/op
BenchmarkURL/css_main.css-2              	100000000	        12.50 ns/op	       0 B/op	       0 allocs/op
BenchmarkURL/css_main.css-2              	100000000	        11.00 ns/op	       0 B/op	       0 allocs/op
PASS
ok  	github.com/cachebust/cachebust/core	7.112s
pkg: github.com/cachebust/cachebust/adapters/pongo2
BenchmarkPage/func-vs-noop/ratio-2       	   20000	     61234 ns/op	         1.018 x-baseline
BenchmarkPage/func-vs-noop/ratio-2       	   20000	     60000 ns/op	         0.998 x-baseline
BenchmarkLoad
    load_test.go:80: a log line
BenchmarkLoad-2   	   20000	     56000 ns/op	     17840 requests/s	         0 errors
PASS
`

func TestParseBench(t *testing.T) {
	b, err := perf.ParseBench(strings.NewReader(benchOutput))
	if err != nil {
		t.Fatal(err)
	}
	const core, pongo2 = "github.com/cachebust/cachebust/core", "github.com/cachebust/cachebust/adapters/pongo2"
	for _, tt := range []struct {
		pkg, name, unit string
		want            []float64
	}{
		{core, "BenchmarkURL/css_main.css", "ns/op", []float64{10.12, 12.5, 11}},
		{core, "BenchmarkURL/css_main.css", "allocs/op", []float64{0, 0, 0}},
		{core, "BenchmarkURL/MapLookupBaseline", "ns/op", []float64{8.233}},
		{pongo2, "BenchmarkPage/func-vs-noop/ratio", "x-baseline", []float64{1.018, 0.998}},
		{pongo2, "BenchmarkLoad", "errors", []float64{0}},
		{pongo2, "BenchmarkLoad", "requests/s", []float64{17840}},
		{core, "BenchmarkPage/func-vs-noop/ratio", "x-baseline", nil},
		{pongo2, "BenchmarkURL/css_main.css", "ns/op", nil},
	} {
		if got := b.Values(tt.pkg, tt.name, tt.unit); !slices.Equal(got, tt.want) {
			t.Errorf("Values(%s, %s, %s) = %v, want %v", tt.pkg, tt.name, tt.unit, got, tt.want)
		}
	}
	if got := b.Median(core, "BenchmarkURL/css_main.css", "ns/op"); got != 11 {
		t.Errorf("Median of css_main.css ns/op = %v, want 11", got)
	}
	if got := b.Median(core, "BenchmarkNone", "ns/op"); !math.IsNaN(got) {
		t.Errorf("Median of a missing benchmark = %v, want NaN", got)
	}
}

func TestParseBenchNames(t *testing.T) {
	in := "pkg: p\nBenchmarkA/size-1000-2 1 5 ns/op\nBenchmarkB 1 6 ns/op\nBenchmarkC/x- 1 7 ns/op\n"
	b, err := perf.ParseBench(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"BenchmarkA/size-1000": 5, "BenchmarkB": 6, "BenchmarkC/x-": 7} {
		if got := b.Median("p", name, "ns/op"); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

func TestParseBenchBadLines(t *testing.T) {
	for _, in := range []string{
		"BenchmarkA-2 100 5 ns/op 3\n",
		"BenchmarkA-2 many 5 ns/op\n",
		"BenchmarkA-2 100 fast ns/op\n",
	} {
		if _, err := perf.ParseBench(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseBench(%q): error %v, want one naming line 1", in, err)
		}
	}
}
