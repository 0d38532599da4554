package main

import (
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var ds []time.Duration
		for _, x := range v {
			ds = append(ds, time.Duration(x)*time.Millisecond)
		}
		return ds
	}
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{ms(7), 7 * time.Millisecond},
		{ms(9, 1, 5), 5 * time.Millisecond},
		{ms(4, 1, 3, 100), 3500 * time.Microsecond},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestVerdicts(t *testing.T) {
	r := &results{
		tools: []tool{{name: "cachebust"}, {name: "rclone"}},
		times: [][phases][]time.Duration{
			{{2 * time.Second, 4 * time.Second, 3 * time.Second}, {100 * time.Millisecond}},
			{{3 * time.Second}, {400 * time.Millisecond}},
		},
		objects: []int{10, 10},
	}
	if got := r.ratio(1, first); got != 1 {
		t.Errorf("first ratio = %v, want 1 (3s over a median of 3s)", got)
	}
	var b strings.Builder
	r.report(&b, 3)
	out := b.String()
	for _, want := range []string{"| rclone | 1.00× — met", "| 4.0× — **not met** (target ≥ 5×) |"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
