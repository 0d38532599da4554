package fingerprint

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// walkList is what list must give: the files fs.WalkDir meets, in its
// order, with the same rules, and the warnings in that order.
func walkList(fsys fs.FS, opts Options) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") || opts.excluded(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case !utf8.ValidString(d.Name()):
			what := "file"
			if d.IsDir() {
				what = "directory"
			}
			opts.Logger.Warn("cachebust: skipping "+what+" whose name is not UTF-8", "path", fmt.Sprintf("%q", name))
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			return nil
		case d.Type().IsRegular():
		default:
			opts.Logger.Warn("cachebust: skipping special file", "path", name, "mode", d.Type().String())
			return nil
		}
		if strings.ContainsRune(name, '\\') {
			opts.Logger.Warn("cachebust: skipping file with a backslash in its name", "path", name)
			return nil
		}
		names = append(names, name)
		return nil
	})
	return names, err
}

// TestListOrder checks list, which reads directories in parallel, against
// a walk in lexical order on random trees: the same files in the same
// order, and the same warnings in the same order.
func TestListOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		fsys := fstest.MapFS{}
		for i := range 1 + rng.IntN(400) {
			var parts []string
			for range 1 + rng.IntN(4) {
				parts = append(parts, []string{"a", "b", "c", ".d", "vendor", "e f", "z"}[rng.IntN(7)])
			}
			name := strings.Join(parts, "/") + fmt.Sprintf("/f%d%s", i, []string{".css", ".js", ".scss", `\x.png`}[rng.IntN(4)])
			f := &fstest.MapFile{Data: []byte(name)}
			if rng.IntN(20) == 0 {
				f.Mode = fs.ModeDevice
			}
			fsys[name] = f
		}
		for _, workers := range []int{1, 2, 4} {
			var got, want bytes.Buffer
			opts := Options{Exclude: []string{"*.scss", "vendor"}, Workers: workers}
			opts.Logger = slog.New(slog.NewTextHandler(&want, &slog.HandlerOptions{ReplaceAttr: dropTime}))
			wantNames, err := walkList(fsys, opts)
			if err != nil {
				t.Fatal(err)
			}
			opts.Logger = slog.New(slog.NewTextHandler(&got, &slog.HandlerOptions{ReplaceAttr: dropTime}))
			gotNames, err := list(context.Background(), fsys, opts, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gotNames, wantNames) {
				t.Fatalf("round %d, %d workers: list gave %d files, the walk %d:\n%q\n%q", round, workers, len(gotNames), len(wantNames), gotNames, wantNames)
			}
			if got.String() != want.String() {
				t.Fatalf("round %d, %d workers: warnings\n%s\nwant\n%s", round, workers, got.String(), want.String())
			}
		}
	}
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// errFS fails to read the directory bad.
type errFS struct{ fstest.MapFS }

func (f errFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "b/bad" {
		return nil, fmt.Errorf("cannot read %s", name)
	}
	return f.MapFS.ReadDir(name)
}

// list fails with the error of the first directory, in walk order, that
// cannot be read.
func TestListError(t *testing.T) {
	fsys := errFS{fstest.MapFS{"a/x.css": {}, "b/bad/y.css": {}, "c/z.css": {}}}
	opts, _ := Options{Workers: 4}.withDefaults()
	_, err := list(context.Background(), fsys, opts, nil, nil)
	if err == nil || err.Error() != "cannot read b/bad" {
		t.Fatalf("list error = %v, want cannot read b/bad", err)
	}
}
