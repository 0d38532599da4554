package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// On a terminal the line is redrawn in place and gone at the end; with -v
// each asset is listed once, in sorted order whatever order they were
// written in.
func TestProgressLine(t *testing.T) {
	var term, list bytes.Buffer
	p := &progressLine{term: &term, list: &list, start: time.Now()}
	p.update(fingerprint.Progress{Phase: fingerprint.PhaseHash, Done: 1, Total: 2, Bytes: 10, Asset: "a.css"})
	p.update(fingerprint.Progress{Phase: fingerprint.PhaseHash, Done: 2, Total: 2, Bytes: 30, Asset: "b.js"})
	p.update(fingerprint.Progress{Phase: fingerprint.PhaseWrite, Done: 1, Total: 2, Asset: "b.js", File: "b-1.js", Written: true})
	p.update(fingerprint.Progress{Phase: fingerprint.PhaseWrite, Done: 1, Total: 2, Compressed: 3 << 20})
	p.finish(map[string]core.Asset{"b.js": {File: "b-1.js"}, "a.css": {File: "a-2.css"}})

	got := term.String()
	for _, want := range []string{"\r\x1b[Khashed 1/2 files (10 B)", "\r\x1b[Khashed 2/2 files (30 B)", "wrote outputs of 1/2 files", "wrote outputs of 1/2 files (0 B), compressed 3.0 MiB, "} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("terminal output %q does not end by clearing the line", got)
	}
	if want := "a.css -> a-2.css\nb.js -> b-1.js\n"; list.String() != want {
		t.Errorf("listing %q, want %q (sorted)", list.String(), want)
	}
}

// Off a terminal nothing is drawn: the tests' stderr is a buffer, and
// TestSuccess requires it empty.
func TestProgressOffTerminal(t *testing.T) {
	var stderr bytes.Buffer
	if p := newProgressLine(&bytes.Buffer{}, &stderr, false); p.term != nil {
		t.Errorf("a buffer was taken for a terminal")
	}
}
