package core_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// dirFixture is an asset tree on disk built with BuildDir. Its helpers are
// methods so that their names cannot clash with other tests' helpers.
type dirFixture struct {
	t        *testing.T
	src, out string // out is src for a build in place
}

func newDirFixture(t *testing.T, files map[string]string) *dirFixture {
	f := &dirFixture{t: t, src: t.TempDir()}
	f.out = f.src
	f.write(files)
	return f
}

// write writes files into the source tree.
func (f *dirFixture) write(files map[string]string) {
	f.t.Helper()
	for name, data := range files {
		p := filepath.Join(f.src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *dirFixture) remove(name string) {
	f.t.Helper()
	if err := os.Remove(filepath.Join(f.src, filepath.FromSlash(name))); err != nil {
		f.t.Fatal(err)
	}
}

// outArg is the out argument of BuildDir: "" for a build in place.
func (f *dirFixture) outArg() string {
	if f.out == f.src {
		return ""
	}
	return f.out
}

func (f *dirFixture) build(opts core.BuildOptions) *core.Result {
	f.t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	res, err := core.BuildDir(context.Background(), f.src, f.outArg(), opts)
	if err != nil {
		f.t.Fatalf("BuildDir: %v", err)
	}
	return res
}

// buildErr runs a build that must fail and returns its error.
func (f *dirFixture) buildErr(opts core.BuildOptions) error {
	f.t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	_, err := core.BuildDir(context.Background(), f.src, f.outArg(), opts)
	if err == nil {
		f.t.Fatal("BuildDir succeeded, want an error")
	}
	return err
}

func (f *dirFixture) manifestPath() string { return filepath.Join(f.out, core.ManifestName) }

// manifest reads, parses and verifies the manifest on disk.
func (f *dirFixture) manifest() (*core.Manifest, []byte) {
	f.t.Helper()
	data, err := os.ReadFile(f.manifestPath())
	if err != nil {
		f.t.Fatal(err)
	}
	m, err := core.ParseManifest(data)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := core.Verify(os.DirFS(f.out), m); err != nil {
		f.t.Fatalf("Verify: %v", err)
	}
	return m, data
}

// files returns the regular files under the output directory with their
// modification times, without the lock file.
func (f *dirFixture) files() map[string]fs.FileInfo {
	f.t.Helper()
	files := make(map[string]fs.FileInfo)
	err := filepath.WalkDir(f.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".cachebust.lock" {
			return err
		}
		rel, err := filepath.Rel(f.out, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.Stat(p)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return files
}

func (f *dirFixture) names() []string { return slices.Sorted(maps.Keys(f.files())) }

// inMemory builds files in memory: what a build of the same tree on disk
// must record.
func inMemory(t *testing.T, files map[string]string, opts core.BuildOptions) *core.Manifest {
	t.Helper()
	fsys := make(fstest.MapFS)
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	m, err := core.Build(context.Background(), fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A build that fails half-way leaves copies that no manifest names. The
// next build must not take them for inputs, and removes them.
func TestBuildDirAfterFailedBuild(t *testing.T) {
	f := newDirFixture(t, map[string]string{"a.css": "a1", "b.css": "b1"})
	f.build(core.BuildOptions{})

	v2 := map[string]string{"a.css": "a2", "b.css": "b2"}
	f.write(v2)
	// A directory where b.css's new copy goes makes the build fail after
	// it may have written a.css's.
	want := inMemory(t, v2, core.BuildOptions{})
	block := filepath.Join(f.src, want.Assets["b.css"].File)
	if err := os.Mkdir(block, 0o755); err != nil {
		t.Fatal(err)
	}
	_, before := f.manifest()
	f.buildErr(core.BuildOptions{Workers: 1})
	if _, after := f.manifest(); !bytes.Equal(after, before) {
		t.Errorf("failed build changed the manifest:\n%s\nwant\n%s", after, before)
	}

	if err := os.Remove(block); err != nil {
		t.Fatal(err)
	}
	f.build(core.BuildOptions{Keep: -1})
	m, _ := f.manifest()
	if !reflect.DeepEqual(m.Assets, want.Assets) {
		t.Errorf("assets after a failed build = %v, want %v", m.Assets, want.Assets)
	}
	wantFiles := []string{"a.css", "b.css", core.ManifestName, want.Assets["a.css"].File, want.Assets["b.css"].File}
	slices.Sort(wantFiles)
	if got := f.names(); !slices.Equal(got, wantFiles) {
		t.Errorf("files = %v, want %v", got, wantFiles)
	}
}
