package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// An error about a file of the manifest says what is wrong with it and
// what to do, not a system call. Before: "statat css/app-….css: no such
// file or directory".
func TestErrorsNameFilesInTheUsersTerms(t *testing.T) {
	f := newCLIFixture(t)
	m, err := core.ReadManifest(f.manifest)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(f.dir, filepath.FromSlash(m.Assets["css/app.css"].File))
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	want := "cachebust verify: " + f.manifest + ": asset css/app.css: " + m.Assets["css/app.css"].File + " is missing; build again to write it\n"
	if code, _, stderr := runCLI("verify", f.dir); code != 1 || stderr != want {
		t.Errorf("verify with %s missing: exit %d, stderr\n%q\nwant 1 and\n%q", file, code, stderr, want)
	}
}
