package fingerprint_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// A build makes its outputs and its new manifest durable with one sync,
// before the manifest is renamed into place: the manifest's temporary file
// is among the files of that sync, and is not synced on its own. A
// manifest kept elsewhere (DirOptions.Manifest), perhaps on another file
// system, is synced on its own.
func TestDirManifestSyncedWithOutputs(t *testing.T) {
	for _, tc := range []struct {
		name            string
		apart, manifest bool
	}{
		{name: "in place"},
		{name: "apart", apart: true},
		{name: "manifest elsewhere", apart: true, manifest: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, map[string]string{"css/app.css": "a{}", "js/app.js": "x()"})
			opts := fingerprint.DirOptions{Options: fingerprint.Options{Form: strategy.Rename{}, Workers: 1}}
			if tc.apart {
				f.out = t.TempDir()
			}
			if tc.manifest {
				opts.Manifest = filepath.Join(t.TempDir(), "m.json")
			}
			const temp = ".cachebust-tmp-"
			var outputs [][]string
			var own []string // the temporary manifests synced on their own
			fingerprint.TraceSyncs(t, func(kind string, names []string) {
				if kind == "outputs" {
					if !slices.Equal(names, []string{".cachebust-pending.json"}) {
						outputs = append(outputs, slices.Clone(names))
					}
					return
				}
				if base := filepath.Base(names[0]); strings.HasPrefix(base, temp) && strings.Contains(base, ".json-") && !strings.Contains(base, "pending") {
					own = append(own, base)
				}
			})
			res := f.build(opts)
			if len(outputs) != 1 {
				t.Fatalf("outputs synced %d times, want once: %q", len(outputs), outputs)
			}
			for _, w := range res.Written {
				if !slices.Contains(outputs[0], w) {
					t.Errorf("%s written and not synced with the outputs", w)
				}
			}
			withOutputs := slices.ContainsFunc(outputs[0], func(name string) bool {
				return strings.HasPrefix(name, temp+"cachebust.json-")
			})
			if tc.manifest {
				if withOutputs || len(own) != 1 {
					t.Errorf("manifest elsewhere: synced with the outputs %v, on its own %q; want on its own once", withOutputs, own)
				}
				return
			}
			if !withOutputs {
				t.Errorf("the manifest's temporary file is not among the outputs synced: %q", outputs[0])
			}
			if len(own) > 0 {
				t.Errorf("the manifest's temporary file is synced on its own too: %q", own)
			}
		})
	}
}

// The pending record is made durable with one sync of the output
// directory after it is renamed into place (syncfs on Linux), not by a
// sync of its temporary file and another of its directory; it is in
// place when that sync is done, and a build apart from the source records
// twice: the copies of originals before it writes them, then the renamed
// copies.
func TestDirPendingRecordOneSync(t *testing.T) {
	f := newDirFixture(t, map[string]string{"css/app.css": "a{}", "js/app.js": "x()"})
	f.out = t.TempDir()
	records, own := 0, 0
	fingerprint.TraceSyncs(t, func(kind string, names []string) {
		switch {
		case kind == "outputs" && slices.Equal(names, []string{".cachebust-pending.json"}):
			records++
			if _, err := os.Stat(filepath.Join(f.out, ".cachebust-pending.json")); err != nil {
				t.Errorf("pending record synced before it is in place: %v", err)
			}
		case kind == "file" && strings.Contains(filepath.Base(names[0]), "pending"):
			own++
		}
	})
	f.build(fingerprint.DirOptions{Options: fingerprint.Options{Form: strategy.Rename{}, Workers: 1}})
	if records != 2 {
		t.Errorf("pending record synced %d times with the output directory, want 2", records)
	}
	if own != 0 {
		t.Errorf("pending record synced on its own %d times, want none", own)
	}
}
