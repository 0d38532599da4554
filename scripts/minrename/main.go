//go:build linux

// Command minrename is the floor a rename build with -out is measured
// against (scripts/perf): the least a program must do to write the same
// outputs. It walks SRC and, for every regular file but dotfiles, reads it
// once, SHA-256es it while writing its copy to the same path under OUT,
// and hard-links the copy to the hashed name (css/app.css to
// css/app-HASH.css, HASH the first 12 hex digits); then it writes the
// manifest OUT/cachebust.json, shaped as cachebust writes it, and makes
// everything durable with one syncfs. Each directory's files are written
// by one goroutine, -j of them at once, since two creating files in one
// directory contend on its lock in the kernel. It keeps none of the crash
// guarantees of a build (no temporary names, no ordering of the manifest
// after the outputs) and imports nothing of cachebust. OUT must not exist.
//
// Usage:
//
//	minrename [-j N] SRC OUT
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// hashLen is how many hex digits of the hash go into a file name.
const hashLen = 12

func main() {
	workers := flag.Int("j", runtime.GOMAXPROCS(0), "goroutines that copy, one directory at a time")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, "usage: minrename [-j N] SRC OUT") }
	flag.Parse()
	if flag.NArg() != 2 || *workers < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := rename(flag.Arg(0), flag.Arg(1), *workers); err != nil {
		fmt.Fprintln(os.Stderr, "minrename:", err)
		os.Exit(1)
	}
}

// asset is a manifest entry, as cachebust writes it.
type asset struct {
	File string `json:"file"`
	Hash string `json:"hash"`
	Size int64  `json:"size"`
}

// manifest is the manifest, as cachebust writes it.
type manifest struct {
	Version   int              `json:"version"`
	Hash      string           `json:"hash"`
	URL       string           `json:"url"`
	Length    int              `json:"length"`
	Originals bool             `json:"originals"`
	Assets    map[string]asset `json:"assets"`
}

// task is a directory's files to copy: rel is its slash-separated path
// relative to the tree, "" for the top.
type task struct {
	rel   string
	names []string
}

// rename copies the tree src to the new directory out as the doc comment
// says.
func rename(src, out string, workers int) error {
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	tasks := make(chan task, 64)
	found := make([]map[string]asset, workers)
	errs := make([]error, workers+1)
	var wg sync.WaitGroup
	for k := range workers {
		found[k] = map[string]asset{}
		wg.Go(func() {
			h := sha256.New()
			buf := make([]byte, 128<<10)
			for t := range tasks {
				for _, name := range t.names {
					if errs[k] != nil {
						break // drain, so that the walk can end
					}
					rel := path.Join(t.rel, name)
					var a asset
					a, errs[k] = copyFile(src, out, rel, h, buf)
					found[k][rel] = a
				}
			}
		})
	}
	errs[workers] = walk(src, out, "", tasks)
	close(tasks)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	m := manifest{Version: 1, Hash: "sha256", URL: "rename", Length: hashLen, Originals: true, Assets: map[string]asset{}}
	for _, f := range found {
		for rel, a := range f {
			m.Assets[rel] = a
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(out, "cachebust.json")
	if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return syncfs(out)
}

// walk makes the directories of src/rel under out and sends each
// directory's regular files, dotfiles left out.
func walk(src, out, rel string, tasks chan<- task) error {
	entries, err := os.ReadDir(filepath.Join(src, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	t := task{rel: rel}
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, "."):
		case e.IsDir():
			sub := path.Join(rel, name)
			if err := os.Mkdir(filepath.Join(out, filepath.FromSlash(sub)), 0o755); err != nil {
				return err
			}
			if err := walk(src, out, sub, tasks); err != nil {
				return err
			}
		case e.Type().IsRegular():
			t.names = append(t.names, name)
		}
	}
	if len(t.names) > 0 {
		tasks <- t
	}
	return nil
}

// copyFile copies src/rel to out/rel through buf, SHA-256ing it on the
// way, and links the copy to its hashed name.
func copyFile(src, out, rel string, h hash.Hash, buf []byte) (asset, error) {
	from, to := filepath.Join(src, filepath.FromSlash(rel)), filepath.Join(out, filepath.FromSlash(rel))
	in, err := syscall.Open(from, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return asset{}, &os.PathError{Op: "open", Path: from, Err: err}
	}
	defer syscall.Close(in)
	dst, err := syscall.Open(to, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return asset{}, &os.PathError{Op: "create", Path: to, Err: err}
	}
	h.Reset()
	size, err := copyData(dst, in, h, buf)
	if err != nil {
		syscall.Close(dst)
		return asset{}, fmt.Errorf("copying %s to %s: %w", from, to, err)
	}
	if err := syscall.Close(dst); err != nil {
		return asset{}, &os.PathError{Op: "close", Path: to, Err: err}
	}
	sum := hex.EncodeToString(h.Sum(buf[:0]))
	ext := path.Ext(rel)
	file := strings.TrimSuffix(rel, ext) + "-" + sum[:hashLen] + ext
	if err := syscall.Link(to, filepath.Join(out, filepath.FromSlash(file))); err != nil {
		return asset{}, &os.LinkError{Op: "link", Old: to, New: file, Err: err}
	}
	return asset{File: file, Hash: sum, Size: size}, nil
}

// copyData copies in to out through buf and into h, and returns how many
// bytes it copied.
func copyData(out, in int, h hash.Hash, buf []byte) (int64, error) {
	var size int64
	for {
		n, err := syscall.Read(in, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return size, err
		}
		if n == 0 {
			return size, nil
		}
		h.Write(buf[:n])
		size += int64(n)
		for b := buf[:n]; len(b) > 0; {
			w, err := syscall.Write(out, b)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return size, err
			}
			b = b[w:]
		}
	}
}

// syncfs makes everything written to the file system of dir durable.
func syncfs(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return &os.PathError{Op: "sync", Path: dir, Err: err}
	}
	return nil
}
