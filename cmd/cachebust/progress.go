package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/cli"
)

// progressLine shows how far a build has come on one line of a terminal,
// redrawn in place at most every interval, and lists the assets, sorted,
// when the build is done if asked to. Off a terminal it draws nothing.
type progressLine struct {
	mu       sync.Mutex
	term     io.Writer // where the line is drawn, or nil
	list     io.Writer // where assets are listed, or nil
	start    time.Time
	interval time.Duration
	last     time.Time
	shown    bool
}

// newProgressLine returns a progress line drawn on stderr if it is a
// terminal, listing assets on stdout if verbose.
func newProgressLine(stdout, stderr io.Writer, verbose bool) *progressLine {
	p := &progressLine{start: time.Now(), interval: 100 * time.Millisecond}
	if cli.IsTerminal(stderr) {
		p.term = stderr
	}
	if verbose {
		p.list = stdout
	}
	return p
}

// shows reports whether the line shows anything: off a terminal and
// without -v it does not, and a build need not report to it.
func (p *progressLine) shows() bool { return p.term != nil || p.list != nil }

// update is a fingerprint.Options.Progress function.
func (p *progressLine) update(pr fingerprint.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.term == nil || pr.Done < pr.Total && time.Since(p.last) < p.interval {
		return
	}
	p.last = time.Now()
	verb := "hashed"
	if pr.Phase == fingerprint.PhaseWrite {
		verb = "wrote outputs of"
	}
	compressed := ""
	if pr.Compressed > 0 {
		compressed = ", compressed " + cli.FormatBytes(pr.Compressed)
	}
	fmt.Fprintf(p.term, "\r\x1b[K%s %d/%d files (%s)%s, %s", verb, pr.Done, pr.Total, cli.FormatBytes(pr.Bytes), compressed, time.Since(p.start).Round(100*time.Millisecond))
	p.shown = true
}

// finish removes the line and lists the assets with their files, sorted,
// so that the listing is the same on every run.
func (p *progressLine) finish(assets map[string]core.Asset) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	if p.list == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		fmt.Fprintf(p.list, "%s -> %s\n", name, assets[name].File)
	}
}

// clear removes the line, so that another line can be printed; the next
// update draws it again.
func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progressLine) clearLocked() {
	if p.shown {
		fmt.Fprint(p.term, "\r\x1b[K")
		p.shown = false
	}
}
