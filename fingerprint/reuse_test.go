package fingerprint_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// writeFiles writes files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildInPlace builds dir in place with opts and returns the manifest's
// bytes.
func buildInPlace(t *testing.T, dir string, opts fingerprint.Options) []byte {
	t.Helper()
	if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: opts}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// reuseFiles is graphFiles with a reference to a file it lacks, for an
// edit to add.
func reuseFiles() map[string]string {
	files := maps.Clone(graphFiles)
	files["js/later.js"] = `import "./missing.js"; export const later = 1;`
	return files
}

// A query build in place takes the edges the previous manifest recorded
// for the files whose bytes it recorded, and only when resolving their
// references would give the same: after any edit, the manifest of a
// rebuild is the same bytes as that of a build of the same tree from
// scratch.
func TestRebuildGraphIsFresh(t *testing.T) {
	fingerprint.NoSync(t)
	crc := fingerprint.Options{Form: strategy.Query{}, Hash: strategy.CRC32(), Length: 8}
	with := func(f func(*fingerprint.Options)) fingerprint.Options {
		o := crc
		f(&o)
		return o
	}
	for _, tt := range []struct {
		name        string
		first, then fingerprint.Options
		edit        map[string]string // new contents; "" removes
		rename      [2]string
		// tamper, if set, changes the output directory after the first
		// builds.
		tamper func(t *testing.T, dir string)
	}{
		{name: "unchanged", first: crc, then: crc},
		{name: "bytes changed, same size", first: crc, then: crc, edit: map[string]string{"js/a.js": `import "./x.js"; export const a = 1;`}},
		{name: "import changed", first: crc, then: crc, edit: map[string]string{"js/lazy.js": `import "./side.mjs";`}},
		{name: "missing target added", first: crc, then: crc, edit: map[string]string{"js/missing.js": `export {}`}},
		{name: "target removed", first: crc, then: crc, edit: map[string]string{"img/bg.png": ""}},
		{name: "imported module removed", first: crc, then: crc, edit: map[string]string{"js/b.js": ""}},
		{name: "file renamed", first: crc, then: crc, rename: [2]string{"js/worker.js", "js/missing.js"}},
		{name: "target renamed", first: crc, then: crc, rename: [2]string{"vendor/v.js", "vendor/w.js"}},
		{name: "prefix set", first: crc, then: with(func(o *fingerprint.Options) { o.Prefix = "/assets/" })},
		{name: "prefix unset", first: with(func(o *fingerprint.Options) { o.Prefix = "/assets/" }), then: crc},
		{name: "manifest without graph, no record", first: crc, then: crc, tamper: func(t *testing.T, dir string) {
			stripGraph(t, dir)
			if err := os.Remove(filepath.Join(dir, ".cachebust.graph")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "record of another manifest", first: crc, then: crc, tamper: stripGraph},
		{name: "length changed", first: crc, then: with(func(o *fingerprint.Options) { o.Length = 6 })},
		{name: "hash changed", first: crc, then: with(func(o *fingerprint.Options) { o.Hash = strategy.SHA256() })},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, reuseFiles())
			buildInPlace(t, dir, tt.first)
			buildInPlace(t, dir, tt.first) // its record in place too
			if tt.tamper != nil {
				tt.tamper(t, dir)
			}
			files := reuseFiles()
			for name, data := range tt.edit {
				if data == "" {
					delete(files, name)
					if err := os.Remove(filepath.Join(dir, name)); err != nil {
						t.Fatal(err)
					}
					continue
				}
				files[name] = data
			}
			for name, data := range tt.edit {
				if data != "" {
					writeFiles(t, dir, map[string]string{name: data})
				}
			}
			if from, to := tt.rename[0], tt.rename[1]; from != "" {
				files[to] = files[from]
				delete(files, from)
				if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
					t.Fatal(err)
				}
			}
			got := buildInPlace(t, dir, tt.then)
			fresh := t.TempDir()
			writeFiles(t, fresh, files)
			want := buildInPlace(t, fresh, tt.then)
			if !bytes.Equal(got, want) {
				t.Errorf("rebuilt manifest:\n%s\nbuilt from scratch:\n%s", got, want)
			}
			if again := buildInPlace(t, dir, tt.then); !bytes.Equal(again, want) {
				t.Errorf("manifest of a second rebuild:\n%s\nbuilt from scratch:\n%s", again, want)
			}
		})
	}
}

// stripGraph removes the graph from the manifest in dir, as a build that
// recorded none wrote it.
func stripGraph(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, core.ManifestName)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range m.Assets {
		a.Imports, a.Refs = nil, nil
		m.Assets[name] = a
	}
	if data, err = m.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A query rebuild in place with nothing changed looks for the references
// of no file; one with a file changed, of that file only.
func TestRebuildScansOnlyChanged(t *testing.T) {
	fingerprint.NoSync(t)
	opts := fingerprint.Options{Form: strategy.Query{}, Hash: strategy.CRC32(), Length: 8}
	dir := t.TempDir()
	writeFiles(t, dir, reuseFiles())
	finds := fingerprint.CountFinds(t)
	buildInPlace(t, dir, opts)
	if finds() == 0 {
		t.Fatal("a first build looked for no references")
	}
	before := finds()
	buildInPlace(t, dir, opts)
	if n := finds() - before; n != 0 {
		t.Errorf("a rebuild with nothing changed looked for the references of %d files, want 0", n)
	}
	writeFiles(t, dir, map[string]string{"css/base.css": `h1 { background: url(../img/bg.png) }`})
	before = finds()
	buildInPlace(t, dir, opts)
	if n := finds() - before; n != 1 {
		t.Errorf("a rebuild with one file changed looked for the references of %d files, want 1", n)
	}
}
