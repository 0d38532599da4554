package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/specialtest"
)

// Every command that reads a manifest or a pending record refuses one that
// is not a regular file or is larger than core.MaxManifestSize, at once,
// with one line naming the file: a named pipe, /dev/zero and a sparse file
// of 256 MiB and a byte, given with -manifest or in place. Without those
// checks build and clean would block for ever on a named pipe, holding the
// lock, read /dev/zero until the kernel killed them, and read a large file
// whole.
func TestCommandsRefuseSpecialRecords(t *testing.T) {
	type special struct {
		name string
		make func(t *testing.T, p string) bool
		want string
	}
	specials := []special{
		{"fifo", func(t *testing.T, p string) bool { return specialtest.FIFO(t, p) }, "a named pipe, not a regular file"},
		{"oversize", func(t *testing.T, p string) bool {
			specialtest.Sparse(t, p, core.MaxManifestSize+1)
			return true
		}, "268435457 bytes, more than 268435456 bytes (256 MiB), the most a manifest or record may have"},
		{"dev-zero", func(t *testing.T, p string) bool {
			info, err := os.Stat("/dev/zero")
			if err != nil || info.Mode()&os.ModeDevice == 0 {
				return false
			}
			return os.Symlink("/dev/zero", p) == nil
		}, "a device, not a regular file"},
	}
	commands := []struct {
		name string
		args func(dir, manifest string) []string
	}{
		{"build", func(dir, m string) []string { return []string{"build", "-manifest", m, dir} }},
		{"build-out", func(dir, m string) []string {
			return []string{"build", "-manifest", m, "-out", filepath.Join(dir, "out"), dir}
		}},
		{"clean", func(dir, m string) []string { return []string{"clean", "-manifest", m, dir} }},
		{"url", func(dir, m string) []string { return []string{"url", "-manifest", m, "a.css"} }},
		{"verify", func(dir, m string) []string { return []string{"verify", "-manifest", m, dir} }},
		{"publish", func(dir, m string) []string {
			return []string{"publish", "-manifest", m, dir, "file://" + filepath.ToSlash(filepath.Join(dir, "bucket"))}
		}},
	}
	for _, sp := range specials {
		for _, cmd := range commands {
			t.Run(sp.name+"/"+cmd.name, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "a.css"), []byte("a{}"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(filepath.Join(dir, "bucket"), 0o755); err != nil {
					t.Fatal(err)
				}
				m := filepath.Join(t.TempDir(), "m.json")
				if !sp.make(t, m) {
					t.Skipf("no %s here", sp.name)
				}
				args := cmd.args(dir, m)
				code, stdout, stderr := runWithin(t, args)
				want := "cachebust " + args[0] + ": read manifest: " + m + ": " + sp.want + "\n"
				if code != 1 || stdout != "" || stderr != want {
					t.Errorf("cachebust %s: exit %d, stdout %q, stderr\n%q\nwant exit 1, no output and\n%q", strings.Join(args, " "), code, stdout, stderr, want)
				}
			})
		}
	}
	// The pending record of a directory, where build and clean look for it.
	for _, sp := range specials[:2] {
		for _, cmd := range []string{"build", "clean"} {
			t.Run(sp.name+"/pending/"+cmd, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "a.css"), []byte("a{}"), 0o644); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, ".cachebust-pending.json")
				if !sp.make(t, p) {
					t.Skipf("no %s here", sp.name)
				}
				code, stdout, stderr := runWithin(t, []string{cmd, dir})
				want := "cachebust " + cmd + ": read pending record: " + p + ": " + sp.want + "\n"
				if code != 1 || stdout != "" || stderr != want {
					t.Errorf("cachebust %s %s: exit %d, stdout %q, stderr\n%q\nwant exit 1, no output and\n%q", cmd, dir, code, stdout, stderr, want)
				}
			})
		}
	}
}

// runWithin runs the command args, failing the test if it has not
// returned after a minute.
func runWithin(t *testing.T, args []string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := runCLI(args...)
		done <- result{code, stdout, stderr}
	}()
	select {
	case res := <-done:
		return res.code, res.stdout, res.stderr
	case <-time.After(time.Minute):
		t.Fatalf("cachebust %s has not returned after a minute", strings.Join(args, " "))
		return 0, "", ""
	}
}
