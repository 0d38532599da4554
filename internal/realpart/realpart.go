// Package realpart reports the tests that could not run for want of a real
// part of a user's setup — a browser, an S3-compatible server — that a
// machine may lack, and fails them under CI.
//
// `go test ./...` shows nothing of a passing package but its "ok" line, so
// a test that skips for want of such a part would pass unseen. A test calls
// [Missing] instead of [testing.T.Skip]: under CI (the environment variable
// CI set, as .ci/run does) the test fails, since CI installs every part;
// elsewhere it is skipped and the part recorded. The package's TestMain
// calls [Main], which, once the tests have run, writes one line naming what
// did not run and how to get it — on the terminal when there is one, where
// it shows even though go test hides a passing package's output, and on
// standard error otherwise — and keeps the result out of go test's cache,
// so that the line shows on every run until the part is installed.
package realpart

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// tty is where Report writes when it can be opened.
var tty = "/dev/tty"

var missing struct {
	sync.Mutex
	parts map[string]int // "part (how to get it)" → tests skipped
}

// InCI reports whether the tests run under CI: the environment variable CI
// is set to anything but "" or "false".
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false"
}

// Missing reports that the test cannot run because part is not on this
// machine, for reason; how says how to get it. Under CI it fails the test;
// otherwise it skips it and records the part for [Main].
func Missing(t testing.TB, part, reason, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s: %s; %s", part, reason, how)
	if InCI() {
		t.Fatal(msg + " (CI is set, so this test must run)")
	}
	missing.Lock()
	if missing.parts == nil {
		missing.parts = make(map[string]int)
	}
	missing.parts[part+" ("+how+")"]++
	missing.Unlock()
	watchStamp()
	t.Skip(msg)
}

// Main runs the tests, reports the parts they missed as [Report] does and
// exits with the tests' status.
func Main(m *testing.M, pkg string) {
	code := m.Run()
	Report(pkg)
	os.Exit(code)
}

// Report writes one line naming, for the package pkg, the tests skipped
// for want of a real part and how to get each part, if any were. A
// package whose TestMain does more than run the tests calls it after
// m.Run.
func Report(pkg string) {
	line := summary(pkg)
	if line == "" {
		return
	}
	uncache(line)
	var w io.Writer = os.Stderr
	if f, err := os.OpenFile(tty, os.O_WRONLY, 0); err == nil {
		defer f.Close()
		w = f
	}
	fmt.Fprintln(w, line)
}

// summary is the line Report writes, or "" when nothing was missed.
func summary(pkg string) string {
	missing.Lock()
	defer missing.Unlock()
	if len(missing.parts) == 0 {
		return ""
	}
	var parts []string
	for p, n := range missing.parts {
		tests := "tests"
		if n == 1 {
			tests = "test"
		}
		parts = append(parts, fmt.Sprintf("%d %s need %s", n, tests, p))
	}
	slices.Sort(parts)
	return fmt.Sprintf("%s: NOT RUN: %s", pkg, strings.Join(parts, "; "))
}

// stampName is the file, in the module's root and git-ignored, that holds
// the line Report last wrote. It is in the module because go test checks
// for changes only the input files inside it.
const stampName = ".tests-not-run"

// stamp returns the path of the stamp file, or "" outside a module.
func stamp() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, stampName)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// watchStamp opens the stamp file during a test, which makes go test
// record it among the package's inputs.
func watchStamp() {
	if p := stamp(); p != "" {
		if f, err := os.OpenFile(p, os.O_RDONLY|os.O_CREATE, 0o644); err == nil {
			f.Close()
		}
	}
}

// uncache writes line to the stamp file, which keeps this run out of go
// test's cache: go test does not cache a run one of whose input files was
// modified within the last seconds, and the stamp is an input since
// watchStamp. A cached "ok" thus never hides a part still missing.
func uncache(line string) {
	if p := stamp(); p != "" {
		os.WriteFile(p, []byte(line+"\n"), 0o644)
	}
}
