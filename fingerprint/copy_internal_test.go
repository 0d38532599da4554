package fingerprint

import (
	"slices"
	"testing"
)

// dirRuns gives every name to one run, in order, each run in one
// directory and no longer than asked.
func TestDirRuns(t *testing.T) {
	names := []string{"a.css", "b.css", "css/a.css", "css/b.css", "css/c.css", "css/d/e.css", "css/f.css", "js/a.js"}
	got := dirRuns(names, 2)
	want := [][2]int{{0, 2}, {2, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}}
	if !slices.Equal(got, want) {
		t.Errorf("dirRuns = %v, want %v", got, want)
	}
	if got := dirRuns(nil, 2); len(got) != 0 {
		t.Errorf("dirRuns(nil) = %v, want none", got)
	}
}
