package fingerprint_test

import (
	"context"
	"crypto/sha256"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/testtree"
	"github.com/cachebust/cachebust/strategy"
)

// benchFiles is the number of files in the generated benchmark tree.
const benchFiles = 10_000

// benchTree returns the generated tree of n files (package testtree) as a
// file system in memory.
func benchTree(n int) fstest.MapFS {
	fsys := make(fstest.MapFS, n)
	for name, data := range testtree.Files(n) {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

// benchTreeFiles lists the regular files under dir and their total size.
func benchTreeFiles(b *testing.B, dir string) ([]string, int64) {
	b.Helper()
	var files []string
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, p)
		total += info.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return files, total
}

// benchReadAll reads every file with as many workers as a build hashes with,
// the floor under any build of the same files.
func benchReadAll(b *testing.B, files []string) {
	b.Helper()
	next := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			buf := make([]byte, 64<<10)
			for name := range next {
				if err := benchReadFile(name, buf); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
}

func benchReadFile(name string, buf []byte) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, buf)
	return err
}

// benchDirBuild benchmarks Dir over the tree in src beside reading
// the same files, so that the two MB/s figures of one run can be compared.
func benchDirBuild(b *testing.B, src string) {
	files, total := benchTreeFiles(b, src)
	b.Run("ReadOnly", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			benchReadAll(b, files)
		}
	})
	for _, form := range []string{"rename", "query"} {
		opts := fingerprint.Options{Logger: slog.New(slog.DiscardHandler)}
		if form == "query" {
			opts.Form = strategy.Query{Param: "v"}
		}
		// A full build into an empty output directory: hash, copy
		// everything, write the manifest.
		b.Run("BuildDir/"+form+"/out", func(b *testing.B) {
			b.SetBytes(total)
			outs := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				out := filepath.Join(outs, strconv.Itoa(i))
				if _, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Options: opts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A query build in place of an unchanged tree: hash everything, write
	// only the manifest (cachebust build -url query DIR).
	b.Run("BuildDir/query/inplace", func(b *testing.B) {
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
		opts := fingerprint.Options{Logger: slog.New(slog.DiscardHandler), Form: strategy.Query{Param: "v"}}
		if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: opts}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(total)
		cpu := processCPU()
		for b.Loop() {
			if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: opts}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	})
	// A rebuild in place of an unchanged tree: hash everything, write only
	// the manifest.
	b.Run("BuildDir/rename/rebuild", func(b *testing.B) {
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
		opts := fingerprint.Options{Logger: slog.New(slog.DiscardHandler)}
		if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: opts}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(total)
		for b.Loop() {
			if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: opts}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuild builds a generated tree of 10,000 files on disk with
// Dir and in memory with Build, each beside a read of the same bytes.
func BenchmarkBuild(b *testing.B) {
	tree := benchTree(benchFiles)
	var total int64
	for _, f := range tree {
		total += int64(len(f.Data))
	}
	b.Run("disk", func(b *testing.B) {
		src := b.TempDir()
		if _, err := testtree.Write(src, benchFiles); err != nil {
			b.Fatal(err)
		}
		benchDirBuild(b, src)
	})
	b.Run("memory/ReadOnly", func(b *testing.B) {
		b.SetBytes(total)
		buf := make([]byte, 64<<10)
		for b.Loop() {
			for name := range tree {
				f, err := tree.Open(name)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, buf); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
	})
	benchMemoryBuild(b, tree, total)
}

// benchMemoryBuild benchmarks a build of tree, of total bytes, in memory.
func benchMemoryBuild(b *testing.B, tree fstest.MapFS, total int64) {
	b.Run("memory/Build", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := buildManifest(context.Background(), tree, fingerprint.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuildNPM builds a real package tree, such as an unpacked
// "npm pack bootstrap-icons", named by $CACHEBUST_NPM_TREE.
func BenchmarkBuildNPM(b *testing.B) {
	src := os.Getenv("CACHEBUST_NPM_TREE")
	if src == "" {
		b.Skip("set CACHEBUST_NPM_TREE to an unpacked npm package to run")
	}
	// Build from a copy, so that the tree named is never written to.
	dir := filepath.Join(b.TempDir(), "src")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	benchDirBuild(b, dir)
	// In memory, the build's own work, hashing, finding and rewriting
	// references, beside hashing the same bytes once.
	tree := fstest.MapFS{}
	var total int64
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		tree[name] = &fstest.MapFile{Data: data}
		total += int64(len(data))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("memory/SHA256", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			for _, f := range tree {
				sha256.Sum256(f.Data)
			}
		}
	})
	benchMemoryBuild(b, tree, total)
}
