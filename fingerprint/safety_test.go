package fingerprint_test

// Confinement and clean-up: nothing a manifest, a pending record or a
// symbolic link says reaches outside the directories a build works in,
// another tool's manifest is never taken over, and nothing a failed or
// killed build wrote survives the next build.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// listTree returns every file and link under dir, without following links:
// a file's content, or "-> target" for a link.
func listTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	entries := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".cachebust.lock" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			entries[filepath.ToSlash(rel)] = "-> " + target
			return err
		}
		data, err := os.ReadFile(p)
		entries[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// symlink makes the link name pointing at target, or skips the test where
// links cannot be made.
func symlink(t testing.TB, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// logTo returns a logger writing text lines to buf.
func logTo(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// victims writes victim.txt into dir and each of its parents up to three
// levels up, returns the paths, and checks at cleanup that they survived.
func victims(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for d, i := dir, 0; i < 4; d, i = filepath.Dir(d), i+1 {
		p := filepath.Join(filepath.Dir(d), "victim.txt")
		if err := os.WriteFile(p, []byte("victim"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func checkSurvived(t *testing.T, paths []string) {
	t.Helper()
	for _, p := range paths {
		if data, err := os.ReadFile(p); err != nil || string(data) != "victim" {
			t.Errorf("%s: %q, %v; want it untouched", p, data, err)
		}
	}
}

// urlFiles are manifest entries whose file looks like a URL and, joined to
// a directory, climbs out of it.
var urlFiles = []string{"https://../../../../victim.txt", "//../../victim.txt", "x://../../victim.txt"}

// A manifest entry whose file is a URL is never a file: neither Clean nor a
// build with -keep 0, in place or into a separate directory, removes what
// it would name joined to the output directory.
func TestCleanRefusesURLFiles(t *testing.T) {
	flat := map[string]string{}
	gens := core.Generation{Assets: map[string]core.Asset{}}
	for i, f := range urlFiles {
		flat[fmt.Sprintf("x%d.css", i)] = f
		gens.Assets[fmt.Sprintf("x%d.css", i)] = core.Asset{File: f}
	}
	flatJSON, err := json.Marshal(flat)
	if err != nil {
		t.Fatal(err)
	}
	// Our own format with no hash: what a build over a flat map wrote
	// before such maps were refused.
	own, _ := (&core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}, Generations: []core.Generation{gens}}).Marshal()
	for _, tc := range []struct {
		name     string
		manifest []byte
		run      func(t *testing.T, src, out string) error
	}{
		{"clean flat", flatJSON, cleanKeep0},
		{"clean own", own, cleanKeep0},
		{"build flat", flatJSON, buildKeep0(false)},
		{"build own", own, buildKeep0(false)},
		{"build out flat", flatJSON, buildKeep0(true)},
		{"build out own", own, buildKeep0(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "1", "2", "3", "src")
			out := src
			if strings.HasPrefix(tc.name, "build out") {
				out = filepath.Join(filepath.Dir(src), "out")
			}
			writeTree(t, src, map[string]string{"x0.css": "x"})
			writeTree(t, out, map[string]string{core.ManifestName: string(tc.manifest)})
			paths := victims(t, out)
			err := tc.run(t, src, out)
			// Refused either way: as unsafe URLs when the manifest is
			// read, or as another tool's manifest by the build.
			if !errors.Is(err, fingerprint.ErrForeignManifest) && !errors.Is(err, core.ErrCorruptManifest) {
				t.Errorf("error = %v, want ErrForeignManifest or ErrCorruptManifest", err)
			}
			checkSurvived(t, paths)
		})
	}

	// Verify does not look for URL entries either, however the manifest
	// came by them.
	m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: gens.Assets}
	if err := fingerprint.Verify(fstest.MapFS{}, m); err != nil {
		t.Errorf("Verify of a map of URLs: %v, want no error", err)
	}
}

func cleanKeep0(t *testing.T, src, out string) error {
	_, err := fingerprint.Clean(context.Background(), out, fingerprint.CleanOptions{Keep: 0})
	return err
}

func buildKeep0(separate bool) func(t *testing.T, src, out string) error {
	return func(t *testing.T, src, out string) error {
		if !separate {
			out = ""
		}
		_, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Keep: 0, Options: fingerprint.Options{Logger: quiet}})
		return err
	}
}

// Clean removes only inside the output directory: a manifest or pending
// record naming a file through a symbolic link to a directory outside
// (out/link -> ../outside) does not reach it, and temporary files there are
// left alone.
func TestCleanDoesNotFollowLinkedDirs(t *testing.T) {
	for _, via := range []string{"manifest", "pending"} {
		t.Run(via, func(t *testing.T) {
			parent := t.TempDir()
			src, outside := filepath.Join(parent, "src"), filepath.Join(parent, "outside")
			writeTree(t, src, map[string]string{"a.css": "a"})
			h := strings.Repeat("ab", 32)
			writeTree(t, outside, map[string]string{"x-" + h[:12] + ".css": "x", "y.css": "y", ".cachebust-tmp-z": "z"})
			if _, err := fingerprint.Dir(context.Background(), src, "", fingerprint.DirOptions{Keep: 2}); err != nil {
				t.Fatal(err)
			}
			symlink(t, "../outside", filepath.Join(src, "link"))
			if via == "manifest" {
				m, err := core.ReadManifest(filepath.Join(src, core.ManifestName))
				if err != nil {
					t.Fatal(err)
				}
				m.Generations = append(m.Generations, core.Generation{Assets: map[string]core.Asset{
					"link/x.css": {File: "link/x-" + h[:12] + ".css", Hash: h, Size: 1},
				}})
				data, _ := m.Marshal()
				writeTree(t, src, map[string]string{core.ManifestName: string(data)})
			} else {
				writeTree(t, src, map[string]string{".cachebust-pending.json": `["link/y.css"]`})
			}
			before := listTree(t, outside)
			_, err := fingerprint.Clean(context.Background(), src, fingerprint.CleanOptions{Keep: 0})
			if err == nil {
				t.Errorf("Clean succeeded, want an error for the file behind the link")
			}
			if after := listTree(t, outside); !maps.Equal(after, before) {
				t.Errorf("Clean changed the directory behind out/link:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// A symbolic link in the source that leads out of it, directly, to an
// absolute path or through a linked directory, is skipped with a warning
// naming link and target, by Dir and by FS; links inside the tree work.
func TestDirSkipsLinksOutOfTree(t *testing.T) {
	parent := t.TempDir()
	src := filepath.Join(parent, "src")
	secret := filepath.Join(parent, "secret.txt")
	writeTree(t, parent, map[string]string{"secret.txt": "SECRET", "outside/f.css": "SECRET"})
	writeTree(t, src, map[string]string{"real/in.css": "in", "a.css": "a"})
	symlink(t, "../secret.txt", filepath.Join(src, "leak.txt"))
	symlink(t, secret, filepath.Join(src, "abs.css"))
	symlink(t, "../outside", filepath.Join(src, "linkdir"))
	symlink(t, "linkdir/f.css", filepath.Join(src, "via.css"))
	symlink(t, "real/in.css", filepath.Join(src, "inside.css"))
	symlink(t, "../real/../inside.css", filepath.Join(src, "real/chain.css"))
	wantAssets := []string{"a.css", "inside.css", "real/chain.css", "real/in.css"}
	wantWarnings := map[string]string{
		"leak.txt": "target=../secret.txt",
		"abs.css":  "target=" + secret,
		"via.css":  `through="linkdir -> ../outside"`,
	}
	check := func(t *testing.T, m *core.Manifest, log string) {
		t.Helper()
		if got := slices.Sorted(maps.Keys(m.Assets)); !slices.Equal(got, wantAssets) {
			t.Errorf("assets = %q, want %q", got, wantAssets)
		}
		for link, target := range wantWarnings {
			if !regexp.MustCompile(`skipping link out of the tree" path=` + regexp.QuoteMeta(link) + ` .*` + regexp.QuoteMeta(target)).MatchString(log) {
				t.Errorf("no warning naming %s and %s in the log:\n%s", link, target, log)
			}
		}
	}
	t.Run("Dir", func(t *testing.T) {
		out := filepath.Join(parent, "out")
		var log bytes.Buffer
		res, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Options: fingerprint.Options{Logger: logTo(&log)}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res.Manifest, log.String())
		for name, data := range listTree(t, out) {
			if strings.Contains(data, "SECRET") {
				t.Errorf("%s in the output holds bytes from outside the source", name)
			}
		}
	})
	t.Run("FS/DirFS", func(t *testing.T) {
		var log bytes.Buffer
		tree, err := fingerprint.FS(context.Background(), os.DirFS(src), fingerprint.Options{Logger: logTo(&log)})
		if err != nil {
			t.Fatal(err)
		}
		check(t, tree.Manifest(), log.String())
	})
	t.Run("FS/MapFS", func(t *testing.T) {
		link := func(target string) *fstest.MapFile {
			return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
		}
		fsys := fstest.MapFS{
			"a.css":          {Data: []byte("a")},
			"real/in.css":    {Data: []byte("in")},
			"leak.txt":       link("../secret.txt"),
			"abs.css":        link(secret),
			"linkdir":        link("../outside"),
			"via.css":        link("linkdir/f.css"),
			"inside.css":     link("real/in.css"),
			"real/chain.css": link("../real/../inside.css"),
		}
		var log bytes.Buffer
		tree, err := fingerprint.FS(context.Background(), fsys, fingerprint.Options{Logger: logTo(&log)})
		if err != nil {
			t.Fatal(err)
		}
		check(t, tree.Manifest(), log.String())
	})
}

// A build over an output directory holding another tool's manifest stops
// before it writes anything, with one line saying how to go on; once the
// map is moved aside, or the build writes its manifest elsewhere, every
// later build and Verify work.
func TestDirRefusesForeignManifest(t *testing.T) {
	foreign := `{"x.css": "https://cdn.example.com/x.css", "y.css": "y-123.css"}`
	for _, elsewhere := range []bool{false, true} {
		t.Run(fmt.Sprintf("elsewhere=%v", elsewhere), func(t *testing.T) {
			src, out := t.TempDir(), t.TempDir()
			writeTree(t, src, map[string]string{"x.css": "x", "y.css": "y"})
			writeTree(t, out, map[string]string{core.ManifestName: foreign})
			before := listTree(t, out)
			opts := fingerprint.DirOptions{Options: fingerprint.Options{Logger: quiet}, Keep: 2}
			_, err := fingerprint.Dir(context.Background(), src, out, opts)
			if !errors.Is(err, fingerprint.ErrForeignManifest) || !strings.Contains(err.Error(), filepath.Join(out, core.ManifestName)) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Dir over a foreign manifest: %v, want one line naming it and wrapping ErrForeignManifest", err)
			}
			if after := listTree(t, out); !maps.Equal(after, before) {
				t.Errorf("refused build changed the output:\nbefore %v\nafter  %v", before, after)
			}
			manifest := filepath.Join(out, core.ManifestName)
			if elsewhere {
				manifest = filepath.Join(t.TempDir(), "assets.json")
				opts.Manifest = manifest
			} else if err := os.Remove(manifest); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				writeTree(t, src, map[string]string{"x.css": fmt.Sprint("x", i)})
				if _, err := fingerprint.Dir(context.Background(), src, out, opts); err != nil {
					t.Fatalf("build %d: %v", i, err)
				}
				m, err := core.ReadManifest(manifest)
				if err != nil {
					t.Fatalf("build %d: %v", i, err)
				}
				if err := fingerprint.Verify(os.DirFS(out), m); err != nil {
					t.Fatalf("build %d: Verify: %v", i, err)
				}
				if len(m.Generations) != min(i, 2) {
					t.Errorf("build %d: %d generations, want %d", i, len(m.Generations), min(i, 2))
				}
			}
		})
	}
}

// twoHashes matches a file name that carries two hashes, such as
// css/app-7ef19a8ed9d9-7ef19a8ed9d9.css: a build's output fingerprinted
// again as an input.
var twoHashes = regexp.MustCompile(`-[0-9a-f]{12}-[0-9a-f]{12}\.`)

// A failed build in place removes the renamed copies it wrote, and no
// later build, in place or into a separate directory, takes a build's
// outputs for inputs, even those of a killed build still on disk.
func TestDirFailedBuildRemovesCopies(t *testing.T) {
	src := t.TempDir()
	v1 := map[string]string{"css/app.css": "a{}", "css/b.css": "b{}"}
	writeTree(t, src, v1)
	opts := fingerprint.DirOptions{Options: fingerprint.Options{Workers: 1, Logger: quiet}, Keep: 2}
	if _, err := fingerprint.Dir(context.Background(), src, "", opts); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, src)
	v2 := map[string]string{"css/app.css": "a{color:red}", "css/b.css": "b{color:red}"}
	writeTree(t, src, v2)
	want := inMemory(t, v2, opts.Options)
	// A directory where b.css's new copy goes fails the build after it
	// wrote app.css's.
	block := filepath.Join(src, filepath.FromSlash(want.Assets["css/b.css"].File))
	if err := os.Mkdir(block, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := fingerprint.Dir(context.Background(), src, "", opts); err == nil {
		t.Fatal("build succeeded, want it to fail")
	}
	if err := os.Remove(block); err != nil {
		t.Fatal(err)
	}
	after := listTree(t, src)
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the failed build left %s", name)
		}
	}

	// What a build killed in place leaves: a renamed copy its pending
	// record lists.
	killed := "css/app-" + strings.Repeat("7e", 6) + ".css"
	writeTree(t, src, map[string]string{killed: "a{color:red}", ".cachebust-pending.json": `["` + killed + `"]`})
	for _, out := range []string{t.TempDir(), ""} {
		res, err := fingerprint.Dir(context.Background(), src, out, opts)
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range res.Manifest.Assets {
			if twoHashes.MatchString(a.File) || name == killed {
				t.Errorf("out %q: asset %s (%s) is a build's output taken for an input", out, name, a.File)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(src, killed)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the build in place left the killed build's %s: %v", killed, err)
	}
}

// The next build removes the temporary files a killed build left: beside
// the outputs, at the top of the output directory and beside a manifest
// kept elsewhere; and only those. A build records that it is writing
// before its first temporary file beside an output, so the next one walks
// the tree for them only when such a record is there.
func TestDirRemovesStaleTemps(t *testing.T) {
	src, out, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	writeTree(t, src, map[string]string{"css/app.css": "a{}", ".git/x": "git"})
	manifest := filepath.Join(elsewhere, "assets.json")
	opts := fingerprint.DirOptions{Manifest: manifest, Options: fingerprint.Options{Logger: quiet}}
	if _, err := fingerprint.Dir(context.Background(), src, out, opts); err != nil {
		t.Fatal(err)
	}
	stale := []string{"css/.cachebust-tmp-app.css-1x2y", ".cachebust-tmp-.cachebust-pending.json-3z", "css/.cachebust-tmp-app-0123456789ab.css-link"}
	for _, name := range stale {
		writeTree(t, out, map[string]string{name: "partial"})
	}
	writeTree(t, out, map[string]string{".dot/.cachebust-tmp-mine": "not ours", ".cachebust-pending.json": "[]"})
	writeTree(t, elsewhere, map[string]string{".cachebust-tmp-assets.json-9q": "partial", ".cachebust-tmp-other.json-9q": "not ours"})
	writeTree(t, src, map[string]string{"css/app.css": "a{color:red}"})
	res, err := fingerprint.Dir(context.Background(), src, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := append(slices.Clone(stale), filepath.Join(elsewhere, ".cachebust-tmp-assets.json-9q"))
	for _, name := range wantRemoved {
		if !slices.Contains(res.Removed, name) {
			t.Errorf("Removed = %q, want it to list %s", res.Removed, name)
		}
	}
	var left []string
	for _, dir := range []string{out, elsewhere} {
		for name := range listTree(t, dir) {
			if strings.Contains(name, ".cachebust-tmp-") {
				left = append(left, name)
			}
		}
	}
	slices.Sort(left)
	if want := []string{".cachebust-tmp-other.json-9q", ".dot/.cachebust-tmp-mine"}; !slices.Equal(left, want) {
		t.Errorf("temporary files left = %q, want %q", left, want)
	}
}

// With a separate output directory, the bytes of a plain URL (the copy of
// an original, or a precompressed sibling in the query form) hash to what
// the manifest in place records, after a build fails and after it
// succeeds: changed originals replace the previous copies only together
// with the manifest.
func TestDirOutPlainETagMatchesBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts fingerprint.DirOptions
	}{
		{"rename", fingerprint.DirOptions{}},
		{"query-gzip", fingerprint.DirOptions{Options: fingerprint.Options{Form: strategy.Query{Param: "v"}}, Gzip: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, out := t.TempDir(), t.TempDir()
			opts := tc.opts
			opts.Workers, opts.Logger, opts.Keep = 1, quiet, 2
			files := func(v string) map[string]string {
				return map[string]string{"a.css": strings.Repeat("a{color:"+v+"}", 20), "b.svg": strings.Repeat("<svg "+v+"/>", 20)}
			}
			writeTree(t, src, files("red"))
			if _, err := fingerprint.Dir(context.Background(), src, out, opts); err != nil {
				t.Fatal(err)
			}
			checkPlainBytes(t, out)

			// The build fails after a.css's and b.svg's outputs are
			// written: new/c.css cannot be, a file stands where its
			// directory goes.
			writeTree(t, src, withFiles(files("blue"), map[string]string{"new/c.css": "c"}))
			writeTree(t, out, map[string]string{"new": "in the way"})
			if _, err := fingerprint.Dir(context.Background(), src, out, opts); err == nil {
				t.Fatal("build succeeded, want it to fail")
			}
			checkPlainBytes(t, out)

			if err := os.Remove(filepath.Join(out, "new")); err != nil {
				t.Fatal(err)
			}
			if _, err := fingerprint.Dir(context.Background(), src, out, opts); err != nil {
				t.Fatal(err)
			}
			checkPlainBytes(t, out)
		})
	}
}

// checkPlainBytes checks that the manifest in out verifies and that every
// original there holds the bytes whose hash the manifest records.
func checkPlainBytes(t *testing.T, out string) {
	t.Helper()
	m, err := core.ReadManifest(filepath.Join(out, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := fingerprint.Verify(os.DirFS(out), m); err != nil {
		t.Errorf("Verify: %v", err)
	}
	for name, a := range m.Assets {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if got := strategy.SHA256().SumBytes(data); got != a.Hash {
			t.Errorf("%s holds bytes with hash %.12s, the manifest in place says %.12s", name, got, a.Hash)
		}
	}
}

// TestDirFileChangedDuringBuild changes a source file after the build hashed
// it and before it copies it. A file whose bytes the build kept from
// hashing is copied from them, and with an output directory apart from the
// source every original is copied as it is hashed: the build succeeds,
// and every renamed copy, and the copy of the original, holds the bytes
// its name's hash names. A file streamed a second time would be copied
// with other bytes than its name's hash names, and be served as immutable:
// the build must fail naming the file, and leave nothing behind.
func TestDirFileChangedDuringBuild(t *testing.T) {
	for _, tc := range []struct {
		name  string
		apart bool
		gzip  bool
		kept  bool
	}{
		{name: "kept", kept: true},
		{name: "kept gzip", gzip: true, kept: true},
		{name: "in place"},
		{name: "apart", apart: true, kept: true},
		{name: "apart gzip", apart: true, gzip: true, kept: true},
		{name: "gzip", gzip: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.kept {
				fingerprint.KeepNothing(t)
			}
			f := newDirFixture(t, map[string]string{"css/app.css": "body { color: red }\n", "js/app.js": "x()\n"})
			if tc.apart {
				f.out = t.TempDir()
			}
			opts := fingerprint.DirOptions{Gzip: tc.gzip, Options: fingerprint.Options{Form: strategy.Rename{}, Workers: 1}}
			opts.Progress = func(p fingerprint.Progress) {
				if p.Phase == fingerprint.PhaseHash && p.Asset == "css/app.css" {
					f.write(map[string]string{"css/app.css": "body { color: blue; background: white }\n"})
				}
			}
			if tc.kept {
				f.build(opts)
				m, _ := f.manifest()
				if err := fingerprint.Verify(os.DirFS(f.out), m); err != nil {
					t.Errorf("Verify: %v", err)
				}
				a := m.Assets["css/app.css"]
				if got, want := a.Hash, strategy.SHA256().SumBytes([]byte("body { color: red }\n")); got != want {
					t.Errorf("css/app.css hash = %.12s, want that of the bytes hashed, %.12s", got, want)
				}
				if tc.apart {
					got, err := os.ReadFile(filepath.Join(f.out, "css", "app.css"))
					if err != nil || string(got) != "body { color: red }\n" {
						t.Errorf("copy of css/app.css = %q, %v; want the bytes hashed", got, err)
					}
				}
				return
			}
			err := f.buildErr(opts)
			if got, want := err.Error(), "css/app.css changed during the build; run it again"; got != want {
				t.Errorf("error = %q, want %q", got, want)
			}
			if !errors.Is(err, fingerprint.ErrChanged) {
				t.Errorf("errors.Is(%v, ErrChanged) = false, want true: the one error worth a retry", err)
			}
			for name := range f.files() {
				if strings.HasPrefix(name, "css/app.") && name != "css/app.css" {
					t.Errorf("%s left after the failed build", name)
				}
			}
			if _, err := os.Stat(f.manifestPath()); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("manifest written after the failed build: %v", err)
			}
		})
	}
}

// A directory of the output that is moved out of it while the build writes
// into it fails the build before its manifest is written: the build's
// handles on the directory, opened before the move, would otherwise put
// outputs outside the tree. The test fails a build that writes the rest
// of the directory's outputs into the moved directory and succeeds.
func TestDirFailsWhenOutputDirectoryMoves(t *testing.T) {
	fingerprint.NoSync(t)
	for _, sep := range []bool{false, true} {
		t.Run(fmt.Sprintf("separate=%v", sep), func(t *testing.T) {
			src, away := t.TempDir(), t.TempDir()
			out := src
			if sep {
				out = t.TempDir()
			}
			for _, name := range []string{"css/a.css", "css/b.css", "css/c.css"} {
				p := filepath.Join(src, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(name+"{}"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			moved := filepath.Join(away, "css")
			var renameErr error
			opts := fingerprint.DirOptions{Options: fingerprint.Options{Workers: 1, Progress: func(p fingerprint.Progress) {
				// Once the first output of css/ is written, and css/ is
				// open for the rest, move it out of the tree.
				if p.Phase == fingerprint.PhaseWrite && p.Done == 1 {
					renameErr = os.Rename(filepath.Join(out, "css"), moved)
				}
			}}}
			_, err := fingerprint.Dir(context.Background(), src, out, opts)
			if renameErr != nil {
				t.Fatal(renameErr)
			}
			want := filepath.Join(out, "css") + " was moved or replaced while the build wrote into it"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Dir with css/ moved away during the build: error %v, want one saying %s", err, want)
			}
			if _, err := os.Stat(filepath.Join(out, core.ManifestName)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the build wrote its manifest (stat: %v)", err)
			}
		})
	}
}
