package fingerprint_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// TestNPMSubset builds small subsets of the bootstrap, bootstrap-icons and
// lit-html npm packages (see testdata/npm/README.md) in rename mode, with integrity
// values and precompressed siblings, and checks that every reference in
// every renamed stylesheet and script resolves to a renamed file whose
// content matches its hash, that nothing outside references changed, and
// that building the output again in place changes nothing.
func TestNPMSubset(t *testing.T) {
	tests := []struct {
		pkg      string
		referrer string // a file with references
		refs     int    // local references in the renamed copies
	}{
		// bootstrap.css's 25 url()s are data: URIs, left alone; its
		// sourceMappingURL and the script's are rewritten, and so is the
		// "file" of the stylesheet's map (the script's map has none).
		{"bootstrap", "dist/css/bootstrap.css", 3},
		// The @font-face rule's woff2 and woff, with their ?hash queries.
		{"bootstrap-icons", "font/bootstrap-icons.css", 2},
		// ES modules: 11 relative specifiers among the modules, 7
		// sourceMappingURLs and the "file" of the 7 maps.
		{"lit-html", "directives/until.js", 25},
	}
	opts := fingerprint.DirOptions{Options: fingerprint.Options{Integrity: "sha384", StrictRefs: true}, Gzip: true, Brotli: true}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "npm", tt.pkg))); err != nil {
				t.Fatal(err)
			}
			res, err := fingerprint.Dir(context.Background(), dir, dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			m := res.Manifest
			out := os.DirFS(dir)
			if err := fingerprint.Verify(out, m); err != nil {
				t.Errorf("Verify: %v", err)
			}
			if got := checkServedRefs(t, out, m, core.DefaultPrefix); got != tt.refs {
				t.Errorf("checked %d references, want %d", got, tt.refs)
			}
			for name, a := range m.Assets {
				if a.File == name {
					t.Errorf("%s was not renamed", name)
				}
				orig, _ := os.ReadFile(filepath.Join(dir, name))
				served, _ := os.ReadFile(filepath.Join(dir, a.File))
				checkOutside(t, name, orig, served)
				if a.Integrity == "" {
					t.Errorf("%s has no integrity value", name)
				}
			}
			if a := m.Assets[tt.referrer]; len(a.Encodings) != 2 {
				t.Errorf("%s has encodings %q, want br and gzip", tt.referrer, a.Encodings)
			}

			before := snapshot(t, dir)
			again, err := fingerprint.Dir(context.Background(), dir, dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Written) > 0 || len(again.Removed) > 0 {
				t.Errorf("second build wrote %q and removed %q, want nothing", again.Written, again.Removed)
			}
			got, _ := again.Manifest.Marshal()
			want, _ := m.Marshal()
			if !bytes.Equal(got, want) {
				t.Errorf("second build's manifest:\n%s\nfirst:\n%s", got, want)
			}
			if after := snapshot(t, dir); !maps.Equal(after, before) {
				t.Errorf("second build changed the tree:\nbefore %q\nafter  %q", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
			}
		})
	}
}
