package main

// Crash safety of "cachebust build", tested the way users meet it: a real
// process, killed with SIGKILL at varied points. After every kill the
// manifest on disk is the previous one or the new one, it parses, and every
// file it names is there with the hash it records.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/realpart"
	"github.com/cachebust/cachebust/strategy"
)

var built struct {
	once sync.Once
	path string
	err  error
}

// cliBinary builds the cachebust command once per test run, without the
// race detector, so that its timing is that of the real command.
func cliBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skipf("no SIGKILL of subprocesses on %s", runtime.GOOS)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "cachebust-cli-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "cachebust")
		out, err := exec.Command(goTool, "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

func TestMain(m *testing.M) {
	helper, err := installPublish()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	if helper != "" {
		os.RemoveAll(helper)
	}
	realpart.Report("cmd/cachebust")
	os.Exit(code)
}

// tree is a source tree on disk and a model of what it should contain.
type tree struct {
	t     *testing.T
	dir   string
	files map[string][]byte
	rng   *rand.Rand
	big   []string // names of the large files, all in "big/"
}

// newTree writes n files of mixed sizes under dir: most are small, some
// tens of kilobytes, and a few in big/ a megabyte or more, so that copying
// takes long enough to be interrupted.
func newTree(t *testing.T, dir string, n int, seed uint64) *tree {
	tr := &tree{t: t, dir: dir, files: make(map[string][]byte), rng: rand.New(rand.NewPCG(seed, 1))}
	dirs := []string{"css", "js", "img", "fonts", "a/b/c", "a/d"}
	exts := []string{".css", ".js", ".png", ".woff2", ".svg", ".txt", ""}
	for i := range n {
		var name string
		size := 64 + tr.rng.IntN(8<<10)
		switch {
		case i%50 == 0:
			name = fmt.Sprintf("big/blob%03d.bin", i)
			size = 1<<20 + tr.rng.IntN(1<<20)
			tr.big = append(tr.big, name)
		case i%7 == 0:
			size = 16<<10 + tr.rng.IntN(112<<10)
			fallthrough
		default:
			name = fmt.Sprintf("%s/f%03d%s", dirs[i%len(dirs)], i, exts[i%len(exts)])
		}
		tr.write(name, size)
	}
	return tr
}

// write gives the file name size new random bytes.
func (tr *tree) write(name string, size int) {
	tr.t.Helper()
	data := make([]byte, size)
	switch path.Ext(name) {
	case ".css", ".js", ".svg", ".txt":
		// Text that compresses, so that -gzip writes siblings.
		line := fmt.Appendf(nil, "/* %x */ .c%d { color: #%06x }\n", tr.rng.Uint64(), size, tr.rng.IntN(1<<24))
		for i := range data {
			data[i] = line[i%len(line)]
		}
	default:
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], tr.rng.Uint64())
		rand.NewChaCha8(seed).Read(data)
	}
	p := filepath.Join(tr.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tr.t.Fatal(err)
	}
	tr.files[name] = data
}

// mutate changes a few files, always one large one, and now and then adds
// or removes one.
func (tr *tree) mutate(round int) {
	tr.t.Helper()
	names := slices.Sorted(maps.Keys(tr.files))
	big := tr.big[tr.rng.IntN(len(tr.big))]
	tr.write(big, 1<<20+tr.rng.IntN(1<<20))
	for range 4 {
		name := names[tr.rng.IntN(len(names))]
		tr.write(name, len(tr.files[name])+1)
	}
	if round%3 == 0 {
		tr.write(fmt.Sprintf("new/r%03d.css", round), 100+tr.rng.IntN(4<<10))
	}
	if round%4 == 0 {
		name := names[tr.rng.IntN(len(names))]
		if !slices.Contains(tr.big, name) {
			if err := os.Remove(filepath.Join(tr.dir, filepath.FromSlash(name))); err != nil {
				tr.t.Fatal(err)
			}
			delete(tr.files, name)
		}
	}
}

// expected returns the assets a build of the tree must record, computed in
// memory from the model, not from the disk.
func (tr *tree) expected(opts fingerprint.Options) map[string]core.Asset {
	tr.t.Helper()
	fsys := make(fstest.MapFS, len(tr.files))
	for name, data := range tr.files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	built, err := fingerprint.FS(context.Background(), fsys, opts)
	if err != nil {
		tr.t.Fatal(err)
	}
	m := built.Manifest()
	return m.Assets
}

// crashCase is one way of running the build.
type crashCase struct {
	name  string
	args  []string // flags before DIR
	out   bool     // build into a separate output directory
	opts  fingerprint.Options
	kills int
}

// killMode says when a build is killed.
type killMode int

const (
	killAfterDelay   killMode = iota // after a delay spread over the build's duration
	killWhileCopying                 // as soon as a copy's temporary file appears
	killAtManifest                   // as soon as the manifest's temporary file appears
)

func (k killMode) String() string {
	return [...]string{"delay", "copying", "manifest"}[k]
}

func TestBuildSurvivesSIGKILL(t *testing.T) {
	bin := cliBinary(t)
	cases := []crashCase{
		{name: "rename-in-place", kills: 24},
		{name: "rename-out", out: true, kills: 24},
		{name: "rename-gzip", args: []string{"-gzip"}, kills: 12},
		{name: "query-in-place", args: []string{"-url", "query"}, opts: fingerprint.Options{Form: strategy.Query{Param: "v"}}, kills: 12},
		{name: "query-out", args: []string{"-url", "query"}, out: true, opts: fingerprint.Options{Form: strategy.Query{Param: "v"}}, kills: 12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			testKills(t, bin, c)
		})
	}
}

func testKills(t *testing.T, bin string, c crashCase) {
	root := t.TempDir()
	src := filepath.Join(root, "src")
	out := src
	args := append([]string{"build"}, c.args...)
	if c.out {
		out = filepath.Join(root, "out")
		args = append(args, "-out", out)
	}
	args = append(args, src)
	manifestPath := filepath.Join(out, core.ManifestName)
	tr := newTree(t, src, 300, uint64(len(c.name)))

	// The first, unkilled build gives the duration to spread kills over.
	start := time.Now()
	buildToEnd(t, bin, args)
	full := time.Since(start)
	checkBuilt(t, out, manifestPath, tr.expected(c.opts))

	rng := rand.New(rand.NewPCG(7, uint64(c.kills)))
	var old, new, unfinished int
	// The hashes each file has had, for the query form with -out.
	had := make(map[string]map[string]bool)
	addHashes := func(assets map[string]core.Asset) {
		for name, a := range assets {
			if had[name] == nil {
				had[name] = make(map[string]bool)
			}
			had[name][a.Hash] = true
		}
	}
	addHashes(tr.expected(c.opts))
	for i := range c.kills {
		before, err := os.ReadFile(manifestPath)
		if err != nil {
			t.Fatal(err)
		}
		tr.mutate(i)
		want := tr.expected(c.opts)
		addHashes(want)
		mode := killMode(i % 3)
		// Delays run from 0 to the time of a full build, which is
		// longer than these incremental builds take.
		delay := time.Duration(rng.Int64N(int64(full) + 1))
		finished := killBuild(t, bin, args, out, mode, delay)
		if !finished {
			unfinished++
		}

		after, err := os.ReadFile(manifestPath)
		if err != nil {
			t.Fatalf("kill %d (%v): manifest: %v", i, mode, err)
		}
		m, err := core.ParseManifest(after)
		if err != nil {
			t.Fatalf("kill %d (%v): manifest does not parse: %v", i, mode, err)
		}
		switch {
		case bytes.Equal(after, before):
			old++
		case sameAssets(m.Assets, want):
			new++
		default:
			t.Fatalf("kill %d (%v): manifest is neither the previous one nor the new build's:\n%s", i, mode, diffAssets(m.Assets, want))
		}
		// In the query form in place the served files are the sources
		// this test just edited, so only the new manifest can match them.
		if c.opts.Form != nil && !c.out && bytes.Equal(after, before) {
			continue
		}
		// In the query form with -out, a kill during the renames that
		// put the changed originals in place leaves the previous
		// manifest naming some of them with the bytes of the killed
		// build, as docs/CLI.md says, until a build finishes: each file it
		// names holds bytes the tree has had, never others.
		if c.opts.Form != nil && c.out && bytes.Equal(after, before) {
			checkHad(t, out, m.Assets, had)
			continue
		}
		if err := fingerprint.Verify(os.DirFS(out), m); err != nil {
			t.Fatalf("kill %d (%v): verify after kill: %v", i, mode, err)
		}
	}
	t.Logf("%d kills (full build %v): %d left the previous manifest, %d the new one; %d killed before finishing", c.kills, full.Round(time.Millisecond), old, new, unfinished)

	// An unkilled build recovers and removes what the killed ones left, and
	// clean after it leaves exactly the outputs too.
	buildToEnd(t, bin, args)
	checkBuilt(t, out, manifestPath, tr.expected(c.opts))
	checkOnlyOutputs(t, src, out, manifestPath)
	var stdout, stderr bytes.Buffer
	cleanArgs := []string{"clean", out}
	if code := run(context.Background(), cleanArgs, &stdout, &stderr); code != 0 {
		t.Fatalf("cachebust clean: exit %d: %s", code, stderr.String())
	}
	checkOnlyOutputs(t, src, out, manifestPath)
}

// checkHad checks that the file of every asset holds bytes with one of the
// hashes had lists for it.
func checkHad(t *testing.T, out string, assets map[string]core.Asset, had map[string]map[string]bool) {
	t.Helper()
	for name, a := range assets {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(a.File)))
		if err != nil {
			t.Fatalf("%s: %v", a.File, err)
		}
		if h := strategy.SHA256().SumBytes(data); !had[name][h] {
			t.Fatalf("%s holds bytes with hash %.12s, which the tree never had", a.File, h)
		}
	}
}

// buildToEnd runs the command to completion and fails the test if it fails.
func buildToEnd(t *testing.T, bin string, args []string) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cachebust %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// killBuild starts a build and kills it with SIGKILL as mode says. It
// reports whether the build had already exited by itself.
func killBuild(t *testing.T, bin string, args []string, out string, mode killMode, delay time.Duration) (finished bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	switch mode {
	case killAfterDelay:
		select {
		case err := <-exited:
			return buildExited(t, err, output.String())
		case <-time.After(delay):
		}
	case killWhileCopying, killAtManifest:
		dirs := []string{out, filepath.Join(out, "big")}
		prefix := ".cachebust-tmp-"
		if mode == killAtManifest {
			dirs = dirs[:1]
			prefix += core.ManifestName
		}
	poll:
		for {
			select {
			case err := <-exited:
				return buildExited(t, err, output.String())
			default:
			}
			for _, d := range dirs {
				if hasPrefixed(d, prefix) {
					break poll
				}
			}
		}
	}
	cmd.Process.Kill()
	if err := <-exited; err == nil {
		return true
	}
	return false
}

func buildExited(t *testing.T, err error, output string) bool {
	t.Helper()
	if err != nil {
		t.Fatalf("build failed by itself: %v\n%s", err, output)
	}
	return true
}

// hasPrefixed reports whether the directory dir has an entry whose name
// starts with prefix.
func hasPrefixed(dir, prefix string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			return true
		}
	}
	return false
}

// checkBuilt checks that the manifest records want and verifies.
func checkBuilt(t *testing.T, out, manifestPath string, want map[string]core.Asset) {
	t.Helper()
	m, err := core.ReadManifest(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	if !sameAssets(m.Assets, want) {
		t.Fatalf("manifest assets differ from an in-memory build of the same tree:\n%s", diffAssets(m.Assets, want))
	}
	if err := fingerprint.Verify(os.DirFS(out), m); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// checkOnlyOutputs checks that the output directory holds only what the
// manifest accounts for: the manifest, the lock file, originals (in the
// source or copied) and the files the manifest names, and no temporary
// files.
func checkOnlyOutputs(t *testing.T, src, out, manifestPath string) {
	t.Helper()
	m, err := core.ReadManifest(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{core.ManifestName: true, ".cachebust.lock": true, ".cachebust.graph": true}
	for name := range m.Assets {
		known[name] = true
	}
	for _, f := range m.Files() {
		known[f] = true
	}
	var extra []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel = filepath.ToSlash(rel); !known[rel] {
			extra = append(extra, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 {
		t.Errorf("after build and clean, %s holds %d files the manifest does not account for: %s", out, len(extra), strings.Join(head(extra, 10), ", "))
	}
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

// sameAssets reports whether the assets of a manifest on disk are those of
// an in-memory build, which writes no precompressed siblings.
func sameAssets(disk, mem map[string]core.Asset) bool {
	return maps.EqualFunc(disk, mem, func(d, m core.Asset) bool {
		d.Encodings = nil
		m.Encodings = nil
		return reflect.DeepEqual(d, m)
	})
}

// diffAssets describes how got differs from want, briefly.
func diffAssets(got, want map[string]core.Asset) string {
	var b strings.Builder
	n := 0
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if w, ok := want[name]; !ok || !sameAssets(map[string]core.Asset{name: got[name]}, map[string]core.Asset{name: w}) {
			if n++; n <= 5 {
				fmt.Fprintf(&b, "got  %s: %+v (want %+v, present %v)\n", name, got[name], w, ok)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[name]; !ok {
			if n++; n <= 5 {
				fmt.Fprintf(&b, "missing %s: %+v\n", name, want[name])
			}
		}
	}
	fmt.Fprintf(&b, "%d differences (%d assets, want %d)", n, len(got), len(want))
	return b.String()
}

func TestConcurrentBuildsAreSerialized(t *testing.T) {
	bin := cliBinary(t)
	src := t.TempDir()
	tr := newTree(t, src, 200, 3)
	manifestPath := filepath.Join(src, core.ManifestName)
	buildToEnd(t, bin, []string{"build", src})
	for round := range 5 {
		tr.mutate(round)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		outputs := make([][]byte, 2)
		for i := range errs {
			wg.Go(func() {
				outputs[i], errs[i] = exec.Command(bin, "build", src).CombinedOutput()
			})
		}
		wg.Wait()
		for i, err := range errs {
			// Failing is allowed if it is clear; with the lock both succeed.
			if err != nil {
				t.Errorf("round %d: build %d: %v: %s", round, i, err, outputs[i])
			}
		}
		checkBuilt(t, src, manifestPath, tr.expected(fingerprint.Options{}))
	}
}

func TestManifestReaderNeverSeesPartialFile(t *testing.T) {
	bin := cliBinary(t)
	src := t.TempDir()
	tr := newTree(t, src, 200, 4)
	manifestPath := filepath.Join(src, core.ManifestName)
	buildToEnd(t, bin, []string{"build", src})

	var reads, stop atomic.Int64
	done := make(chan error, 1)
	go func() {
		for stop.Load() == 0 {
			data, err := os.ReadFile(manifestPath)
			if err == nil {
				_, err = core.ParseManifest(data)
			}
			if err != nil {
				done <- fmt.Errorf("read %d: %w", reads.Load(), err)
				return
			}
			reads.Add(1)
		}
		done <- nil
	}()
	for round := range 12 {
		tr.mutate(round)
		buildToEnd(t, bin, []string{"build", src})
	}
	stop.Store(1)
	if err := <-done; err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("manifest vanished during a build: %v", err)
		}
		t.Fatalf("reader saw a partial manifest: %v", err)
	}
	if reads.Load() == 0 {
		t.Fatal("reader never read the manifest")
	}
	t.Logf("%d reads, all parsed", reads.Load())
}
