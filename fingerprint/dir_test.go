package fingerprint_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// dirFixture is an asset tree on disk built with Dir. Its helpers are
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

// outArg is the out argument of Dir: "" for a build in place.
func (f *dirFixture) outArg() string {
	if f.out == f.src {
		return ""
	}
	return f.out
}

func (f *dirFixture) build(opts fingerprint.DirOptions) *fingerprint.Result {
	f.t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	res, err := fingerprint.Dir(context.Background(), f.src, f.outArg(), opts)
	if err != nil {
		f.t.Fatalf("BuildDir: %v", err)
	}
	return res
}

// buildErr runs a build that must fail and returns its error.
func (f *dirFixture) buildErr(opts fingerprint.DirOptions) error {
	f.t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	_, err := fingerprint.Dir(context.Background(), f.src, f.outArg(), opts)
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
	if err := fingerprint.Verify(os.DirFS(f.out), m); err != nil {
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
		files[filepath.ToSlash(rel)], err = os.Lstat(p)
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
func inMemory(t *testing.T, files map[string]string, opts fingerprint.Options) *core.Manifest {
	t.Helper()
	fsys := make(fstest.MapFS)
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	m, err := buildManifest(context.Background(), fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A rebuild of an unchanged tree writes nothing, not even the manifest.
func TestBuildDirRebuildWritesNothing(t *testing.T) {
	files := map[string]string{
		"css/app.css": "body{color:red}",
		"js/app.js":   "console.log(1)",
		// Named like outputs by the user: ordinary inputs all the same.
		"css/x-1a2b3c4d.css":     "x",
		"css/y-1a2b3c4d5e6f.css": "y",
	}
	for _, tc := range []struct {
		name string
		out  bool
		opts fingerprint.Options
	}{
		{name: "rename"},
		{name: "query", opts: fingerprint.Options{Form: strategy.Query{Param: "v"}}},
		{name: "rename-out", out: true},
		{name: "md5-len8", opts: fingerprint.Options{Hash: strategy.MD5(), Length: 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newDirFixture(t, files)
			if tc.out {
				f.out = t.TempDir()
			}
			f.build(fingerprint.DirOptions{Options: tc.opts, Keep: fingerprint.DefaultKeep})
			m, first := f.manifest()
			if want := inMemory(t, files, tc.opts); !reflect.DeepEqual(m.Assets, want.Assets) {
				t.Errorf("assets = %v, want %v", m.Assets, want.Assets)
			}
			before := f.files()
			for range 2 {
				res := f.build(fingerprint.DirOptions{Options: tc.opts, Keep: fingerprint.DefaultKeep})
				if len(res.Written) != 0 || len(res.Removed) != 0 {
					t.Errorf("rebuild wrote %v and removed %v, want nothing", res.Written, res.Removed)
				}
				if _, again := f.manifest(); !bytes.Equal(again, first) {
					t.Errorf("rebuild manifest:\n%s\nwant\n%s", again, first)
				}
			}
			after := f.files()
			if got, want := slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)); !slices.Equal(got, want) {
				t.Errorf("files after rebuild = %v, want %v", got, want)
			}
			for name, info := range before {
				if a := after[name]; a != nil && !os.SameFile(a, info) {
					t.Errorf("rebuild replaced %s", name)
				}
			}
		})
	}
}

func TestBuildDirSameBytesInAnyDirectory(t *testing.T) {
	files := map[string]string{"a/b/c.css": "c", "d.js": "d", "e f.png": "e"}
	for _, out := range []bool{false, true} {
		var got [][]byte
		for _, depth := range []string{"one", "one/two/three"} {
			f := &dirFixture{t: t, src: filepath.Join(t.TempDir(), depth)}
			f.out = f.src
			if out {
				f.out = filepath.Join(t.TempDir(), "out", depth)
			}
			f.write(files)
			f.build(fingerprint.DirOptions{Keep: fingerprint.DefaultKeep})
			_, data := f.manifest()
			got = append(got, data)
		}
		if !bytes.Equal(got[0], got[1]) {
			t.Errorf("out %v: manifests of the same tree differ:\n%s\n%s", out, got[0], got[1])
		}
	}
}

func TestBuildDirKeepsGenerations(t *testing.T) {
	f := newDirFixture(t, map[string]string{"a.css": "v0", "b.css": "same"})
	opts := fingerprint.DirOptions{Keep: 2}
	var copies []string // a.css's renamed copy in each build
	for v := range 4 {
		f.write(map[string]string{"a.css": "v" + string(rune('0'+v))})
		res := f.build(opts)
		copies = append(copies, res.Manifest.Assets["a.css"].File)
		m, _ := f.manifest()
		have := f.files()
		// This build and the previous two are on disk and listed.
		for i := max(0, v-2); i <= v; i++ {
			if have[copies[i]] == nil {
				t.Errorf("after build %d: %s of build %d is missing", v, copies[i], i)
			}
			if !slices.Contains(m.Files(), copies[i]) {
				t.Errorf("after build %d: manifest does not list %s of build %d", v, copies[i], i)
			}
		}
		for i := 0; i < v-2; i++ {
			if have[copies[i]] != nil {
				t.Errorf("after build %d: %s of build %d is still there", v, copies[i], i)
			}
		}
		if got, want := len(m.Generations), min(v, 2); got != want {
			t.Errorf("after build %d: %d generations, want %d", v, got, want)
		}
	}

	// A build that fails removes nothing: dropped files go only once the
	// new manifest is in place.
	f.write(map[string]string{"a.css": "v4"})
	want := inMemory(t, map[string]string{"a.css": "v4", "b.css": "same"}, opts.Options)
	block := filepath.Join(f.src, want.Assets["a.css"].File)
	if err := os.Mkdir(block, 0o755); err != nil {
		t.Fatal(err)
	}
	f.buildErr(opts)
	for _, c := range copies[1:] {
		if f.files()[c] == nil {
			t.Errorf("failed build removed %s", c)
		}
	}
	if err := os.Remove(block); err != nil {
		t.Fatal(err)
	}
	f.write(map[string]string{"a.css": "v3"})

	// Clean trims to its Keep, and removes nothing more when repeated.
	for _, keep := range []int{1, 0, 0} {
		removed, err := fingerprint.Clean(context.Background(), f.out, fingerprint.CleanOptions{Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := f.manifest()
		wantGens := max(keep, 0)
		if len(m.Generations) != wantGens {
			t.Errorf("Clean(keep %d): %d generations left, want %d", keep, len(m.Generations), wantGens)
		}
		have := f.files()
		for i, c := range copies[:3] {
			if i >= 3-wantGens {
				continue
			}
			if have[c] != nil {
				t.Errorf("Clean(keep %d): %s of build %d is still there (removed %v)", keep, c, i, removed)
			}
		}
		if have[copies[3]] == nil {
			t.Errorf("Clean(keep %d) removed the current build's %s", keep, copies[3])
		}
	}
}

func TestBuildDirSeparateOutput(t *testing.T) {
	f := newDirFixture(t, map[string]string{"a.css": "a", "b.css": "b", "img/c.png": "c"})
	f.out = filepath.Join(t.TempDir(), "public")
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, name := range []string{"a.css", "b.css", "img/c.png"} {
		if err := os.Chtimes(filepath.Join(f.src, filepath.FromSlash(name)), past, past); err != nil {
			t.Fatal(err)
		}
	}
	opts := fingerprint.DirOptions{}
	f.build(opts)
	first := f.files()
	for _, name := range []string{"a.css", "b.css", "img/c.png"} {
		info := first[name]
		if info == nil {
			t.Fatalf("original %s not copied; have %v", name, f.names())
		}
		if !info.ModTime().Equal(past) {
			t.Errorf("copy of %s has mtime %v, want the source's %v", name, info.ModTime(), past)
		}
	}

	f.write(map[string]string{"a.css": "a2"})
	f.remove("img/c.png")
	res := f.build(opts)
	m, _ := f.manifest()
	if got, want := slices.Sorted(slices.Values(res.Written)), slices.Sorted(slices.Values([]string{"a.css", m.Assets["a.css"].File})); !slices.Equal(got, want) {
		t.Errorf("Written = %v, want %v", got, want)
	}
	after := f.files()
	if a, b := after["b.css"], first["b.css"]; a == nil || !os.SameFile(a, b) || !a.ModTime().Equal(past) {
		t.Errorf("unchanged b.css was rewritten")
	}
	if data, err := os.ReadFile(filepath.Join(f.out, "a.css")); err != nil || string(data) != "a2" {
		t.Errorf("a.css in the output = %q, %v, want %q", data, err, "a2")
	}
	for _, gone := range []string{"img/c.png", m.Assets["img/c.png"].File, first["img/c.png"].Name()} {
		if gone != "" && after[gone] != nil {
			t.Errorf("%s of the deleted source file is still in the output", gone)
		}
	}
	want := []string{"a.css", "b.css", core.ManifestName, m.Assets["a.css"].File, m.Assets["b.css"].File}
	slices.Sort(want)
	if got := f.names(); !slices.Equal(got, want) {
		t.Errorf("output files = %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(f.src, core.ManifestName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a build into a separate output wrote into the source: %v", err)
	}
}

// Every bad input fails the build naming it, and leaves the previous
// manifest and every file it names as they were, writing nothing.
func TestBuildDirBadInputs(t *testing.T) {
	tests := []struct {
		name string
		// spoil breaks the fixture after a good build and returns what the
		// error must mention.
		spoil func(t *testing.T, f *dirFixture) string
	}{
		{"missing source", func(t *testing.T, f *dirFixture) string {
			f.src = filepath.Join(t.TempDir(), "nowhere")
			return "nowhere"
		}},
		{"source is a file", func(t *testing.T, f *dirFixture) string {
			f.src = filepath.Join(f.src, "a.css")
			return "not a directory"
		}},
		{"symlink loop", func(t *testing.T, f *dirFixture) string {
			if err := os.Symlink("loop.css", filepath.Join(f.src, "loop.css")); err != nil {
				t.Skip(err)
			}
			return "loop.css"
		}},
		{"dangling symlink", func(t *testing.T, f *dirFixture) string {
			if err := os.Symlink("nowhere.css", filepath.Join(f.src, "dangling.css")); err != nil {
				t.Skip(err)
			}
			return "dangling.css"
		}},
		{"unreadable file", func(t *testing.T, f *dirFixture) string {
			p := filepath.Join(f.src, "secret.css")
			if err := os.WriteFile(p, []byte("s"), 0o000); err != nil {
				t.Fatal(err)
			}
			if fh, err := os.Open(p); err == nil {
				fh.Close()
				t.Skip("permissions do not stop reads here (running as root)")
			}
			return "secret.css"
		}},
		{"corrupt manifest", func(t *testing.T, f *dirFixture) string {
			if err := os.WriteFile(f.manifestPath(), []byte(`{"version": 1, "assets": {"a.css": `), 0o644); err != nil {
				t.Fatal(err)
			}
			return f.manifestPath()
		}},
		{"corrupt pending record", func(t *testing.T, f *dirFixture) string {
			if err := os.WriteFile(filepath.Join(f.out, ".cachebust-pending.json"), []byte(`["a`), 0o644); err != nil {
				t.Fatal(err)
			}
			return ".cachebust-pending.json"
		}},
	}
	for _, tc := range tests {
		for _, out := range []bool{false, true} {
			name := tc.name
			if out {
				name += "/out"
			}
			t.Run(name, func(t *testing.T) {
				f := newDirFixture(t, map[string]string{"a.css": "a", "b/c.js": "c"})
				if out {
					f.out = t.TempDir()
				}
				f.build(fingerprint.DirOptions{Keep: fingerprint.DefaultKeep})
				f.write(map[string]string{"a.css": "a changed"})
				mention := tc.spoil(t, f)
				before := f.files()
				manifest, _ := os.ReadFile(f.manifestPath())
				err := f.buildErr(fingerprint.DirOptions{Keep: fingerprint.DefaultKeep})
				if !strings.Contains(err.Error(), mention) {
					t.Errorf("BuildDir error %q does not mention %q", err, mention)
				}
				after := f.files()
				if got, want := slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)); !slices.Equal(got, want) {
					t.Errorf("failed build changed the output files: got %v, want %v", got, want)
				}
				for name, info := range before {
					if a := after[name]; a != nil && (!os.SameFile(a, info) || !a.ModTime().Equal(info.ModTime())) {
						t.Errorf("failed build replaced %s", name)
					}
				}
				got, _ := os.ReadFile(f.manifestPath())
				if !bytes.Equal(got, manifest) {
					t.Errorf("failed build changed the manifest")
				}
				if tc.name != "corrupt manifest" {
					f.manifest() // verifies
				}
			})
		}
	}
}

// A build that fails half-way leaves copies that no manifest names. The
// next build must not take them for inputs, and removes them.
func TestBuildDirAfterFailedBuild(t *testing.T) {
	f := newDirFixture(t, map[string]string{"a.css": "a1", "b.css": "b1"})
	f.build(fingerprint.DirOptions{Keep: fingerprint.DefaultKeep})

	v2 := map[string]string{"a.css": "a2", "b.css": "b2"}
	f.write(v2)
	// A directory where b.css's new copy goes makes the build fail after
	// it may have written a.css's.
	want := inMemory(t, v2, fingerprint.Options{})
	block := filepath.Join(f.src, want.Assets["b.css"].File)
	if err := os.Mkdir(block, 0o755); err != nil {
		t.Fatal(err)
	}
	_, before := f.manifest()
	f.buildErr(fingerprint.DirOptions{Options: fingerprint.Options{Workers: 1}, Keep: fingerprint.DefaultKeep})
	if _, after := f.manifest(); !bytes.Equal(after, before) {
		t.Errorf("failed build changed the manifest:\n%s\nwant\n%s", after, before)
	}

	if err := os.Remove(block); err != nil {
		t.Fatal(err)
	}
	f.build(fingerprint.DirOptions{Keep: 0})
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

// TestDirCopyPermissions checks that renamed copies keep their source's
// permissions and are readable by all, whether the build copies them from
// the bytes it kept or streams them a second time.
func TestDirCopyPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no permission bits")
	}
	for _, kept := range []bool{true, false} {
		t.Run(fmt.Sprint("kept=", kept), func(t *testing.T) {
			if !kept {
				fingerprint.KeepNothing(t)
			}
			f := newDirFixture(t, map[string]string{"a.css": "a{}", "bin/run.js": "run()", "secret.js": "s()"})
			for name, perm := range map[string]fs.FileMode{"bin/run.js": 0o750, "secret.js": 0o600} {
				if err := os.Chmod(filepath.Join(f.src, filepath.FromSlash(name)), perm); err != nil {
					t.Fatal(err)
				}
			}
			f.build(fingerprint.DirOptions{})
			m, _ := f.manifest()
			for name, want := range map[string]fs.FileMode{"a.css": 0o644, "bin/run.js": 0o754, "secret.js": 0o644} {
				info, err := os.Stat(filepath.Join(f.out, filepath.FromSlash(m.Assets[name].File)))
				if err != nil {
					t.Fatal(err)
				}
				if got := info.Mode().Perm(); got != want {
					t.Errorf("%s: copy has permissions %v, want %v", name, got, want)
				}
			}
		})
	}
}

// TestDirHashCollision checks that a build whose shortened hashes give
// files the previous manifest names with other content fails before it
// writes anything, naming the first such asset in sorted order every time,
// and leaves the previous build in place.
func TestDirHashCollision(t *testing.T) {
	dir := t.TempDir()
	names := []string{"z.txt", "m.txt", "b.txt", "q.txt"}
	first := make(map[string]string)
	for _, name := range names {
		first[name] = "one " + name
	}
	writeTree(t, dir, first)
	opts := fingerprint.DirOptions{Options: fingerprint.Options{Length: 1}}
	res, err := fingerprint.Dir(context.Background(), dir, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(res.ManifestPath)
	if err != nil {
		t.Fatal(err)
	}
	// Other content whose SHA-256 starts with the same hex digit.
	for _, name := range names {
		want := res.Manifest.Assets[name].Hash[:1]
		for i := 0; ; i++ {
			data := fmt.Sprintf("two %s %d", name, i)
			if strategy.SHA256().SumBytes([]byte(data))[:1] == want {
				writeTree(t, dir, map[string]string{name: data})
				break
			}
		}
	}
	for range 10 {
		_, err := fingerprint.Dir(context.Background(), dir, dir, opts)
		if err == nil || !strings.Contains(err.Error(), "asset b.txt: b-") || !strings.Contains(err.Error(), "use a longer hash length") {
			t.Fatalf("Dir with four colliding hashes = %v, want an error naming b.txt and the way out", err)
		}
	}
	if after, _ := os.ReadFile(res.ManifestPath); !bytes.Equal(after, before) {
		t.Errorf("a refused build changed the manifest:\n%s\nwas\n%s", after, before)
	}
	if err := fingerprint.Verify(os.DirFS(dir), res.Manifest); err != nil {
		t.Errorf("a refused build broke the previous one: %v", err)
	}
}
