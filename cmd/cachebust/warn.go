package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// warnings prints the warnings of the library, such as a file skipped or
// a reference left as written, in the one-line format of errors:
//
//	cachebust build: warning: skipping special file: path=fifo mode=p---------
var warnings warningSink

// warningSink is a slog.Handler writing one line a record to the stderr
// of the running command.
type warningSink struct {
	mu    sync.Mutex
	cmd   string
	w     io.Writer
	clear func() // called before a line is written, or nil
}

// set makes the sink write for the command cmd to w.
func (s *warningSink) set(cmd string, w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmd, s.w, s.clear = cmd, w, nil
}

// before makes the sink call clear before it writes a line, such as to
// remove a progress line from the terminal.
func (s *warningSink) before(clear func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear = clear
}

// logger returns a logger writing to the sink.
func (s *warningSink) logger() *slog.Logger { return slog.New(warningHandler{s, nil}) }

// warningHandler formats records for a warningSink, with the attributes
// of With calls in attrs.
type warningHandler struct {
	s     *warningSink
	attrs []slog.Attr
}

func (h warningHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h warningHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(strings.TrimPrefix(r.Message, "cachebust: "))
	sep := ": "
	add := func(a slog.Attr) bool {
		if a.Equal(slog.Attr{}) {
			return true
		}
		fmt.Fprintf(&b, "%s%s=%s", sep, a.Key, a.Value.Resolve().String())
		sep = " "
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	line := strings.ReplaceAll(b.String(), "\n", "; ")
	level := "warning"
	if r.Level >= slog.LevelError {
		level = "error"
	}
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.s.w == nil {
		return nil
	}
	if h.s.clear != nil {
		h.s.clear()
	}
	_, err := fmt.Fprintf(h.s.w, "cachebust %s: %s: %s\n", h.s.cmd, level, line)
	return err
}

func (h warningHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warningHandler{h.s, append(h.attrs[:len(h.attrs):len(h.attrs)], attrs...)}
}

// WithGroup is not used by the library; groups are flattened.
func (h warningHandler) WithGroup(string) slog.Handler { return h }
