package perf

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Bench holds the results of "go test -bench" runs: every value of every
// unit of every benchmark, in the order they were printed.
type Bench struct {
	values map[benchKey][]float64
}

type benchKey struct{ pkg, name, unit string }

// ParseBench reads the output of "go test -bench" (one or several
// packages, any -count) and collects its result lines. A benchmark's name
// loses the "-N" suffix that go test appends for GOMAXPROCS, and is filed
// under the package of the "pkg:" line before it. A result line that does
// not parse is an error naming its line number.
func ParseBench(r io.Reader) (*Bench, error) {
	b := &Bench{values: make(map[benchKey][]float64)}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	pkg := ""
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if p, ok := strings.CutPrefix(text, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(text)
		if len(f) == 0 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if len(f) == 1 {
			continue // the name printed alone before a benchmark that logs
		}
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("line %d: %q: want a name, a count and value-unit pairs", line, text)
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			return nil, fmt.Errorf("line %d: %q: iteration count %q is not a number", line, text, f[1])
		}
		name := trimProcs(f[0])
		for i := 2; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: %q: value %q is not a number", line, text, f[i])
			}
			k := benchKey{pkg, name, f[i+1]}
			b.values[k] = append(b.values[k], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return b, nil
}

// trimProcs removes the "-N" that go test appends to a benchmark's name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// Values returns every value of unit (such as "ns/op", "allocs/op" or a
// metric a benchmark reports, such as "x-baseline") that the benchmark
// name of package pkg (its import path) printed.
func (b *Bench) Values(pkg, name, unit string) []float64 {
	return b.values[benchKey{pkg, name, unit}]
}

// Median returns the median of Values(pkg, name, unit), NaN if there are
// none.
func (b *Bench) Median(pkg, name, unit string) float64 {
	return Median(b.Values(pkg, name, unit))
}
