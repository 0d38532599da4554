package fingerprint_test

// Layouts a user may give a build: an output directory that holds the
// source or lies in it through a link, files named like outputs, names
// that are not UTF-8, originals changed without changing size or time,
// and outputs changed by hand. No input is ever lost, no output taken for
// an input, and no stale bytes are kept where the manifest vouches for
// others.

import (
	"bytes"
	"compress/gzip"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// An output directory that holds the source (-out P P/static) is refused
// before anything is written: the copies of static/static/a.css and the
// like would land on the source's own files.
func TestDirRefusesOutHoldingSource(t *testing.T) {
	for _, linked := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "through a link"}[linked], func(t *testing.T) {
			parent := t.TempDir()
			src := filepath.Join(parent, "static")
			writeTree(t, src, map[string]string{"a.css": "a{}", "static/a.css": "inner{}", "static/b.js": "b()"})
			out := parent
			if linked {
				out = filepath.Join(t.TempDir(), "link")
				symlink(t, parent, out)
			}
			before := listTree(t, src)
			_, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Options: fingerprint.Options{Logger: quiet}})
			if err == nil {
				t.Fatal("build succeeded, want it refused")
			}
			if msg := err.Error(); !strings.Contains(msg, out) || !strings.Contains(msg, src) || strings.Contains(msg, "\n") {
				t.Errorf("error = %q, want one line naming %s and %s", msg, out, src)
			}
			if after := listTree(t, src); !maps.Equal(after, before) {
				t.Errorf("source changed:\n got %q\nwant %q", after, before)
			}
			if _, err := os.Stat(filepath.Join(parent, core.ManifestName)); err == nil {
				t.Error("manifest written")
			}
		})
	}
}

// A file of the source with the name of an output (a-HASH.css beside
// a.css, where HASH is a.css's, or a.css.gz beside a.css with -gzip) is
// never replaced: the build fails naming it, and no file of the source
// changes.
func TestDirNeverOverwritesSourceFiles(t *testing.T) {
	css := strings.Repeat("body { color: red }\n", 20)
	copyName := "css/a-" + strategy.SHA256().SumBytes([]byte(css))[:12] + ".css"
	query := fingerprint.Options{Form: strategy.Query{Param: "v"}}
	for _, tc := range []struct {
		name  string
		apart bool
		opts  fingerprint.DirOptions
		user  string // the user's file in the way
	}{
		{name: "renamed copy in place", user: copyName},
		{name: "renamed copy apart", apart: true, user: copyName},
		{name: "excluded file in place", opts: fingerprint.DirOptions{Options: fingerprint.Options{Exclude: []string{"a-*.css"}}}, user: copyName},
		{name: "gzip sibling in place", opts: fingerprint.DirOptions{Options: query, Gzip: true}, user: "css/a.css.gz"},
		{name: "gzip sibling apart", apart: true, opts: fingerprint.DirOptions{Options: query, Gzip: true}, user: "css/a.css.gz"},
		{name: "brotli sibling of a copy", opts: fingerprint.DirOptions{Brotli: true}, user: copyName + ".br"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, map[string]string{"css/a.css": css, tc.user: "the user's own file", "b.txt": "b"})
			if tc.apart {
				f.out = t.TempDir()
			}
			opts := tc.opts
			opts.Keep = 0
			before := listTree(t, f.src)
			err := f.buildErr(opts)
			if msg := err.Error(); !strings.HasPrefix(msg, tc.user+": ") || !strings.Contains(msg, "of css/a") || strings.Contains(msg, "\n") {
				t.Errorf("error = %q, want one line naming %s first", msg, tc.user)
			}
			if after := listTree(t, f.src); !maps.Equal(after, before) {
				t.Errorf("source changed:\n got %q\nwant %q", after, before)
			}
			// Renamed out of the way, the file is an ordinary input.
			if err := os.Rename(filepath.Join(f.src, filepath.FromSlash(tc.user)), filepath.Join(f.src, "mine.txt")); err != nil {
				t.Fatal(err)
			}
			f.build(opts)
			m, _ := f.manifest()
			if _, ok := m.Assets["mine.txt"]; !ok && len(opts.Exclude) == 0 {
				t.Errorf("mine.txt not an asset: %v", slices.Sorted(maps.Keys(m.Assets)))
			}
			if data, err := os.ReadFile(filepath.Join(f.src, "mine.txt")); err != nil || string(data) != "the user's own file" {
				t.Errorf("mine.txt = %q, %v", data, err)
			}
		})
	}
}

// An output directory inside the source named through a symbolic link
// (-out distlink, distlink -> src/dist) is left out of the inputs as its
// plain spelling is: the build's outputs and manifest are never
// fingerprinted.
func TestDirOutInSourceThroughLink(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	writeTree(t, src, map[string]string{"a.css": "a{}", "js/b.js": "b()", "c.txt": "c"})
	if err := os.Mkdir(filepath.Join(src, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "distlink")
	symlink(t, filepath.Join("src", "dist"), out)
	for i := range 3 {
		res, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Options: fingerprint.Options{Logger: quiet}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slices.Sorted(maps.Keys(res.Manifest.Assets)), []string{"a.css", "c.txt", "js/b.js"}; !slices.Equal(got, want) {
			t.Fatalf("build %d: assets %q, want %q", i+1, got, want)
		}
	}
}

// With an output directory apart, an original changed without changing
// its size or modification time (SOURCE_DATE_EPOCH, cp -p, tar) is copied
// again: every copy holds the bytes the manifest records.
func TestDirOutCopiesOriginalChangedInPlace(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts fingerprint.Options
	}{
		{"query", fingerprint.Options{Form: strategy.Query{Param: "v"}}},
		{"rename", fingerprint.Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, map[string]string{
				"css/a.css": "a { color: red }",
				"css/r.css": "/*1*/ b { background: url(i.png) }",
				"css/i.png": "png",
			})
			f.out = t.TempDir()
			opts := fingerprint.DirOptions{Options: tc.opts}
			f.build(opts)
			stamp := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
			change := func(files map[string]string) {
				f.write(files)
				for name := range files {
					if err := os.Chtimes(filepath.Join(f.src, filepath.FromSlash(name)), stamp, stamp); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The same times as the copies the next build makes.
			change(map[string]string{"css/a.css": "a { color: red }", "css/r.css": "/*1*/ b { background: url(i.png) }"})
			f.build(opts)
			change(map[string]string{"css/a.css": "a { color: tan }", "css/r.css": "/*2*/ b { background: url(i.png) }"})
			f.build(opts)
			m, _ := f.manifest()
			for name := range m.Assets {
				got, err := os.ReadFile(filepath.Join(f.out, filepath.FromSlash(name)))
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join(f.src, filepath.FromSlash(name)))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s in the output holds %q, the source %q", name, got, want)
				}
			}
		})
	}
}

// A file whose name is not UTF-8 is skipped with a warning that names it
// readably, as a name with a backslash is; so is a directory.
func TestDirSkipsNamesNotUTF8(t *testing.T) {
	f := newDirFixture(t, map[string]string{"ok.css": "ok{}"})
	for _, name := range []string{"bad\xff.css", "dir\xfe/x.css"} {
		p := filepath.Join(f.src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Skipf("no such names here: %v", err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Skipf("no such names here: %v", err)
		}
	}
	var log bytes.Buffer
	res, err := fingerprint.Dir(context.Background(), f.src, "", fingerprint.DirOptions{Options: fingerprint.Options{Logger: logTo(&log)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(res.Manifest.Assets)); !slices.Equal(got, []string{"ok.css"}) {
		t.Errorf("assets %q, want only ok.css", got)
	}
	for _, want := range []string{`bad\\xff.css`, `dir\\xfe`} {
		if !strings.Contains(log.String(), want) || !strings.Contains(log.String(), "not UTF-8") {
			t.Errorf("warnings %q do not name %s", log.String(), want)
		}
	}
}

// A renamed copy (or, apart, an original's copy) changed by hand is put
// right by the next build when its size differs from the manifest's, and
// otherwise found by Verify, which names it and says to remove it and
// build again; that build writes it afresh.
func TestDirRepairsChangedOutputs(t *testing.T) {
	css := "body { color: red }\n"
	for _, tc := range []struct {
		name  string
		apart bool
		opts  fingerprint.Options
	}{
		{name: "renamed copy"},
		{name: "original's copy", apart: true, opts: fingerprint.Options{Form: strategy.Query{Param: "v"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, map[string]string{"css/a.css": css})
			if tc.apart {
				f.out = t.TempDir()
			}
			opts := fingerprint.DirOptions{Options: tc.opts}
			f.build(opts)
			m, _ := f.manifest()
			file := filepath.Join(f.out, filepath.FromSlash(m.Assets["css/a.css"].File))
			tamper := func(data string) {
				t.Helper()
				os.Chmod(file, 0o644)
				if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			tamper("body{}")
			res := f.build(opts)
			if !slices.Contains(res.Written, m.Assets["css/a.css"].File) {
				t.Errorf("written %q, want the changed file written again", res.Written)
			}
			f.manifest() // verifies

			tamper(strings.ToUpper(css))
			f.build(opts)
			err := fingerprint.Verify(os.DirFS(f.out), m)
			if err == nil {
				t.Fatal("Verify found nothing wrong with a changed file")
			}
			if msg := err.Error(); !strings.Contains(msg, m.Assets["css/a.css"].File) || !strings.Contains(msg, "remove it and build again") {
				t.Errorf("Verify: %q, want it to name the file and the fix", msg)
			}
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
			f.build(opts)
			f.manifest()
		})
	}
}

// A build killed while it renamed the outputs that replace files its
// previous manifest names (the query form's originals with -out, its
// precompressed siblings) leaves that manifest in place, a pending record,
// and some of those files with the killed build's bytes. The next build
// takes none of them for what the manifest records, even when the source
// is back to the bytes it records: it writes them again.
func TestDirAfterKillDuringRenames(t *testing.T) {
	css := strings.Repeat("a { color: red }\n", 20)
	killed := strings.Repeat("a { color: tan }\n", 20)
	query := fingerprint.Options{Form: strategy.Query{Param: "v"}}
	for _, tc := range []struct {
		name  string
		apart bool
		opts  fingerprint.DirOptions
		file  string // the file the killed build replaced
		bytes string // what it left there
	}{
		{name: "original apart", apart: true, opts: fingerprint.DirOptions{Options: query}, file: "css/a.css", bytes: killed},
		{name: "gzip sibling", opts: fingerprint.DirOptions{Options: query, Gzip: true}, file: "css/a.css.gz", bytes: gzipped(t, killed)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, map[string]string{"css/a.css": css})
			if tc.apart {
				f.out = t.TempDir()
			}
			f.build(tc.opts)
			writeTree(t, f.out, map[string]string{tc.file: tc.bytes, ".cachebust-pending.json": "[]"})
			f.build(tc.opts)
			f.manifest() // verifies, siblings too
			if tc.apart {
				checkPlainBytes(t, f.out)
			}
		})
	}
}

// gzipped returns s compressed with gzip.
func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	if _, err := z.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
