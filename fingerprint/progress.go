package fingerprint

import "sync"

// Phases of a build, as Progress.Phase names them.
const (
	// PhaseHash reads and hashes the source files.
	PhaseHash = "hash"
	// PhaseWrite writes the outputs of Dir: copies, renamed copies and
	// precompressed siblings.
	PhaseWrite = "write"
)

// Progress is how far a build has come, as Options.Progress receives it
// after each file and, while Dir compresses a file, after each part of it.
type Progress struct {
	// Phase is PhaseHash or PhaseWrite.
	Phase string
	// Done of Total files of the phase are finished.
	Done, Total int
	// Bytes is the size of the files finished in the phase: read in
	// PhaseHash, written in PhaseWrite.
	Bytes int64
	// Compressed counts, in PhaseWrite, the bytes given to the compressors
	// of precompressed siblings so far (a file's bytes once for each
	// encoding). It grows while a large file is compressed, which takes
	// seconds at brotli's best quality.
	Compressed int64
	// Asset is the logical path of the file just finished. In PhaseWrite,
	// File is the file that serves it and Written whether this build wrote
	// anything for it (false when its outputs were already in place). A
	// call made while a file is compressed, rather than after a file is
	// finished, has Asset, File and Written empty.
	Asset, File string
	Written     bool
}

// progress serialises the calls of Options.Progress and keeps the counts.
type progress struct {
	mu      sync.Mutex
	f       func(Progress)
	p       Progress
	total   int
	stopped bool
}

// newProgress returns a counter for a phase of total files reporting to
// f, which may be nil.
func newProgress(f func(Progress), phase string, total int) *progress {
	return &progress{f: f, p: Progress{Phase: phase, Total: total}}
}

// done reports one more file finished.
func (p *progress) done(asset, file string, bytes int64, written bool) {
	if p == nil || p.f == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.p.Done++
	p.p.Bytes += bytes
	p.p.Asset, p.p.File, p.p.Written = asset, file, written
	p.f(p.p)
}

// compressed reports n more bytes given to a compressor.
func (p *progress) compressed(n int64) {
	if p == nil || p.f == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.p.Compressed += n
	r := p.p
	r.Asset, r.File, r.Written = "", "", false
	p.f(r)
}

// stop ends the reports: a compressor still finishing its chunk after a
// build was canceled must not call Options.Progress once the build has
// returned.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
}
