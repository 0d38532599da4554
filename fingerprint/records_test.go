package fingerprint_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/specialtest"
)

// A special file is what a test puts where a build's manifest or pending
// record should be: make creates it at a path and reports whether it can
// here, and want is what the error then says of it.
type specialFile struct {
	name string
	make func(t *testing.T, p string) bool
	want string
}

var (
	fifoFile = specialFile{"fifo", func(t *testing.T, p string) bool { return specialtest.FIFO(t, p) }, "a named pipe, not a regular file"}
	// An oversize file is sparse: nothing is written.
	oversizeFile = specialFile{"oversize", func(t *testing.T, p string) bool {
		specialtest.Sparse(t, p, core.MaxManifestSize+1)
		return true
	}, "268435457 bytes, more than 268435456 bytes (256 MiB)"}
	// A link to /dev/zero, which never ends; a link in the output
	// directory is refused anyway, as leading out of it.
	zeroFile = specialFile{"dev-zero", func(t *testing.T, p string) bool {
		info, err := os.Stat("/dev/zero")
		if err != nil || info.Mode()&fs.ModeDevice == 0 {
			return false
		}
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Skipf("no symbolic links: %v", err)
		}
		return true
	}, "a device, not a regular file"}
)

// within runs f and returns its error, failing the test if f has not
// returned after a minute: a read that blocks never returns.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatalf("%s has not returned after a minute", what)
		return nil
	}
}

// Dir and Clean read the manifest in place, the pending record and a
// manifest named apart only when it is a regular file of at most
// core.MaxManifestSize bytes, and otherwise fail at once with one line
// naming the file. Without those checks a named pipe there would block
// them for ever, holding the lock, /dev/zero would grow memory until the
// process was killed, and a file of 1 GiB would be read whole.
func TestDirRefusesSpecialRecords(t *testing.T) {
	fingerprint.NoSync(t)
	places := []struct {
		name  string
		path  func(out, elsewhere string) string
		named bool // the manifest is named by its path
		kinds []specialFile
	}{
		{"manifest", func(out, _ string) string { return filepath.Join(out, core.ManifestName) }, false, []specialFile{fifoFile, oversizeFile}},
		{"pending", func(out, _ string) string { return filepath.Join(out, ".cachebust-pending.json") }, false, []specialFile{fifoFile, oversizeFile}},
		{"named-manifest", func(_, elsewhere string) string { return filepath.Join(elsewhere, "m.json") }, true, []specialFile{fifoFile, oversizeFile, zeroFile}},
	}
	runs := []struct {
		name string
		run  func(src, out, manifest string) error
	}{
		{"dir-in-place", func(src, _, manifest string) error {
			_, err := fingerprint.Dir(context.Background(), src, "", fingerprint.DirOptions{Manifest: manifest})
			return err
		}},
		{"dir-out", func(src, out, manifest string) error {
			_, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Manifest: manifest})
			return err
		}},
		{"clean", func(_, out, manifest string) error {
			_, err := fingerprint.Clean(context.Background(), out, fingerprint.CleanOptions{Manifest: manifest})
			return err
		}},
	}
	for _, place := range places {
		for _, kind := range place.kinds {
			for _, run := range runs {
				t.Run(place.name+"/"+kind.name+"/"+run.name, func(t *testing.T) {
					src, elsewhere := t.TempDir(), t.TempDir()
					if err := os.WriteFile(filepath.Join(src, "a.css"), []byte("a{}"), 0o644); err != nil {
						t.Fatal(err)
					}
					out := t.TempDir()
					if run.name == "dir-in-place" {
						out = src
					}
					p := place.path(out, elsewhere)
					if !kind.make(t, p) {
						t.Skipf("no %s here", kind.name)
					}
					var manifest string
					if place.named {
						manifest = p
					}
					err := within(t, run.name, func() error { return run.run(src, out, manifest) })
					if err == nil || !strings.Contains(err.Error(), p+": "+kind.want) || strings.Contains(err.Error(), "\n") {
						t.Errorf("%s with %s a %s: error %v, want one line saying %s: %s", run.name, p, kind.name, err, p, kind.want)
					}
				})
			}
		}
	}
}

// A build into a separate directory leaves out of its inputs what an
// earlier build in place recorded in the source; a named pipe where that
// manifest or pending record would be is not read, and is no input.
func TestDirSkipsSpecialRecordsInSource(t *testing.T) {
	fingerprint.NoSync(t)
	for _, name := range []string{core.ManifestName, ".cachebust-pending.json"} {
		t.Run(name, func(t *testing.T) {
			src, out := t.TempDir(), t.TempDir()
			if err := os.WriteFile(filepath.Join(src, "a.css"), []byte("a{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			if !specialtest.FIFO(t, filepath.Join(src, name)) {
				t.Skip("no named pipes here")
			}
			var res *fingerprint.Result
			err := within(t, "Dir", func() (err error) {
				res, err = fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{})
				return err
			})
			if err != nil {
				t.Fatalf("Dir: %v", err)
			}
			if _, ok := res.Manifest.Assets["a.css"]; !ok || len(res.Manifest.Assets) != 1 {
				t.Errorf("Dir built %v, want a.css alone", res.Manifest.Assets)
			}
		})
	}
}
