// Package benchpage holds what the benchmarks share: the page the
// adapters render, and Compare, which measures one operation against a
// baseline in the same run.
package benchpage

import (
	"strings"
	"testing"
	"time"
)

// Calls is how many actions a page holds.
const Calls = 50

// Page returns a page of Calls stylesheet links, each made by action.
func Page(action string) string {
	return "<html><head>\n" + strings.Repeat(`<link rel="stylesheet" href="`+action+`">`+"\n", Calls) + "</head></html>\n"
}

// Compare runs b.Run sub-benchmarks for render (for the adapters, a page
// of asset_url calls) and for baseline (the same page with a built-in in
// their place), then one named "ratio" that runs both in turn, timing
// each, and reports how many times slower render is as the metric
// "x-baseline". Taking turns
// keeps the ratio steady on a busy machine, where separate runs are not.
func Compare(b *testing.B, render, baseline func() error) {
	CompareNamed(b, "asset_url", render, "baseline", baseline)
}

// CompareNamed is Compare with the names of the two sub-benchmarks given.
func CompareNamed(b *testing.B, name string, render func() error, baseName string, baseline func() error) {
	for _, bm := range []struct {
		name string
		f    func() error
	}{{name, render}, {baseName, baseline}} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bm.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var tr, tb time.Duration
		for b.Loop() {
			t0 := time.Now()
			err1 := render()
			t1 := time.Now()
			err2 := baseline()
			t2 := time.Now()
			if err1 != nil || err2 != nil {
				b.Fatal(err1, err2)
			}
			tr += t1.Sub(t0)
			tb += t2.Sub(t1)
		}
		b.ReportMetric(float64(tr)/float64(tb), "x-baseline")
	})
}
