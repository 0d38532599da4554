package fingerprint_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// With a separate output directory, a renamed copy shares the bytes of the
// copied original instead of being a second file, and rebuilding after a
// change never alters the bytes an earlier generation's copy holds.
func TestBuildDirLinksRenamedCopies(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"img/a.png": "one", "css/app.css": "a{background:url(../img/a.png)}"})
	build := func() *core.Manifest {
		t.Helper()
		res, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Keep: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := fingerprint.Verify(os.DirFS(out), res.Manifest); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		return res.Manifest
	}
	m := build()
	stat := func(name string) os.FileInfo {
		t.Helper()
		info, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	if !os.SameFile(stat("img/a.png"), stat(m.Assets["img/a.png"].File)) {
		t.Errorf("img/a.png and its renamed copy are separate files, want one linked to the other")
	}
	if os.SameFile(stat("css/app.css"), stat(m.Assets["css/app.css"].File)) {
		t.Errorf("css/app.css and its rewritten copy are one file, want two: their bytes differ")
	}
	writeTree(t, src, map[string]string{"img/a.png": "two"})
	m2 := build() // verifies the kept generation too
	if len(m2.Generations) != 1 || m2.Generations[0].Assets["img/a.png"].File != m.Assets["img/a.png"].File {
		t.Fatalf("generations = %+v, want the first build's img/a.png kept", m2.Generations)
	}
	if got, _ := os.ReadFile(filepath.Join(out, m.Assets["img/a.png"].File)); string(got) != "one" {
		t.Errorf("the first build's renamed copy now holds %q, want %q", got, "one")
	}
}
