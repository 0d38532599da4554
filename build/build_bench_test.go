package build_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/strategy"
)

// benchFiles is the number of files in the generated benchmark tree.
const benchFiles = 10_000

// benchTree returns a deterministic tree of n files shaped like a static
// site's assets: mostly small files, some tens of kilobytes, a few hundred
// kilobytes, 25 to a directory. About 6 MiB per thousand files.
func benchTree(n int) fstest.MapFS {
	rng := rand.New(rand.NewChaCha8([32]byte{'c', 'a', 'c', 'h', 'e'}))
	exts := []string{".css", ".js", ".svg", ".png", ".woff2", ".map", ".json", ".txt"}
	fsys := make(fstest.MapFS, n)
	for i := range n {
		var size int
		switch r := rng.IntN(1000); {
		case r < 5:
			size = 128<<10 + rng.IntN(384<<10)
		case r < 100:
			size = 8<<10 + rng.IntN(32<<10)
		default:
			size = 256 + rng.IntN(6<<10)
		}
		data := make([]byte, size)
		for j := 0; j < size; j += 8 {
			v := rng.Uint64()
			for k := 0; k < 8 && j+k < size; k++ {
				data[j+k] = byte(v >> (8 * k))
			}
		}
		name := fmt.Sprintf("d%03d/e%02d/f%05d%s", i/250, i/25%10, i, exts[i%len(exts)])
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

// benchWriteFS writes fsys under dir and returns the total size.
func benchWriteFS(b *testing.B, dir string, fsys fstest.MapFS) int64 {
	b.Helper()
	var total int64
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(f.Data))
	}
	return total
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
		opts := build.Options{Logger: slog.New(slog.DiscardHandler)}
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
				if _, err := build.Dir(context.Background(), src, out, build.DirOptions{Options: opts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A rebuild in place of an unchanged tree: hash everything, write only
	// the manifest.
	b.Run("BuildDir/rename/rebuild", func(b *testing.B) {
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
		opts := build.Options{Logger: slog.New(slog.DiscardHandler)}
		if _, err := build.Dir(context.Background(), dir, "", build.DirOptions{Options: opts}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(total)
		for b.Loop() {
			if _, err := build.Dir(context.Background(), dir, "", build.DirOptions{Options: opts}); err != nil {
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
		benchWriteFS(b, src, tree)
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
	b.Run("memory/Build", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := buildManifest(context.Background(), tree, build.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil {
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
}
