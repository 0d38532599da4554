//go:build linux

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// files is a tree with dotfiles, an empty file, a file larger than the
// copy buffer, a name with two dots and one without an extension.
var files = map[string]string{
	"a.css":           "body{}",
	"js/app.min.js":   strings.Repeat("x", 300<<10+7),
	"img/empty.png":   "",
	"LICENSE":         "MIT",
	".hidden":         "left out",
	".git/HEAD":       "left out",
	"js/.map/x.map":   "left out",
	"deep/er/f.woff2": "font",
}

func TestRename(t *testing.T) {
	src := t.TempDir()
	for name, data := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 3} {
		out := filepath.Join(t.TempDir(), "out")
		if err := rename(src, out, workers); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(out, "cachebust.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := core.ParseManifest(data)
		if err != nil {
			t.Fatalf("cachebust cannot read the manifest: %v\n%s", err, data)
		}
		want := map[string]string{"cachebust.json": string(data)}
		for name, content := range files {
			if strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
				continue
			}
			sum := sha256.Sum256([]byte(content))
			h := hex.EncodeToString(sum[:])
			ext := filepath.Ext(name)
			file := strings.TrimSuffix(name, ext) + "-" + h[:12] + ext
			want[name], want[file] = content, content
			if a := m.Assets[name]; a.File != file || a.Hash != h || a.Size != int64(len(content)) {
				t.Errorf("-j %d: manifest has %s as %+v, want file %s, hash %s, size %d", workers, name, a, file, h, len(content))
			}
		}
		if len(m.Assets) != 5 || m.Form != "rename" || m.Hash != "sha256" {
			t.Errorf("-j %d: manifest has %d assets, form %q, hash %q; want 5, rename, sha256", workers, len(m.Assets), m.Form, m.Hash)
		}
		got := map[string]string{}
		err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(out, p)
			got[filepath.ToSlash(rel)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for name := range got {
			if got[name] != want[name] {
				t.Errorf("-j %d: OUT/%s holds %.20q, want %.20q", workers, name, got[name], want[name])
			}
		}
		for name := range want {
			if _, ok := got[name]; !ok {
				t.Errorf("-j %d: OUT/%s is missing", workers, name)
			}
		}
		if names := slices.Sorted(func(yield func(string) bool) {
			for n := range got {
				if !yield(n) {
					return
				}
			}
		}); len(names) != len(want) {
			t.Errorf("-j %d: OUT holds %q", workers, names)
		}
		// The copy and its hashed name are one file.
		a, _ := os.Stat(filepath.Join(out, "a.css"))
		b, _ := os.Stat(filepath.Join(out, m.Assets["a.css"].File))
		if !os.SameFile(a, b) {
			t.Errorf("-j %d: a.css and %s are not hard links of one file", workers, m.Assets["a.css"].File)
		}
	}
}

func TestRenameErrors(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.css"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir() // exists
	if err := rename(src, out, 2); err == nil {
		t.Error("rename into an existing OUT: no error")
	}
	if err := rename(filepath.Join(src, "none"), filepath.Join(out, "new"), 2); err == nil {
		t.Error("rename of a missing SRC: no error")
	}
}
