package core_test

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

var quiet = slog.New(slog.DiscardHandler)

// The digests of "hello" come from md5sum, sha256sum and Python's
// zlib.crc32, not from the code under test.
func TestBuildHashesAndForms(t *testing.T) {
	fsys := fstest.MapFS{"css/main.css": {Data: []byte("hello")}}
	tests := []struct {
		hash       strategy.Hash
		form       strategy.Form
		length     int
		wantFile   string
		wantHash   string
		wantLength int
	}{
		{strategy.CRC32, strategy.Rename{}, 0, "css/main-3610a686.css", "3610a686", 8},
		{strategy.CRC32, strategy.Query{Param: "v"}, 0, "css/main.css", "3610a686", 8},
		{strategy.MD5, strategy.Rename{}, 0, "css/main-5d41402abc4b.css", "5d41402abc4b2a76b9719d911017c592", 12},
		{strategy.MD5, strategy.Rename{}, 100, "css/main-5d41402abc4b2a76b9719d911017c592.css", "5d41402abc4b2a76b9719d911017c592", 32},
		{strategy.SHA256, strategy.Rename{}, 8, "css/main-2cf24dba.css", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 8},
		{strategy.SHA256, strategy.Query{}, 0, "css/main.css", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 12},
	}
	for _, tt := range tests {
		t.Run(tt.hash.Name+"-"+tt.form.Name(), func(t *testing.T) {
			m, err := core.Build(context.Background(), fsys, core.BuildOptions{Hash: tt.hash, Form: tt.form, Length: tt.length})
			if err != nil {
				t.Fatal(err)
			}
			want := core.Asset{File: tt.wantFile, Hash: tt.wantHash, Size: 5}
			if got := m.Assets["css/main.css"]; !reflect.DeepEqual(got, want) {
				t.Errorf("asset = %+v, want %+v", got, want)
			}
			if m.Hash != tt.hash.Name || m.URL != tt.form.Name() || m.Length != tt.wantLength {
				t.Errorf("manifest hash, url, length = %q, %q, %d, want %q, %q, %d", m.Hash, m.URL, m.Length, tt.hash.Name, tt.form.Name(), tt.wantLength)
			}
		})
	}
}

func TestBuildSkipsAndExcludes(t *testing.T) {
	fsys := fstest.MapFS{
		"css/main.css":        {Data: []byte("a")},
		"css/_vars.scss":      {Data: []byte("b")},
		".git/config":         {Data: []byte("c")},
		"css/.hidden.css":     {Data: []byte("d")},
		"src/x.ts":            {Data: []byte("e")},
		"img/a/src/y.png":     {Data: []byte("f")},
		"vendor/lib.js":       {Data: []byte("g")},
		"vendor/deep/lib.js":  {Data: []byte("h")},
		"x-1a2b3c4d.css":      {Data: []byte("i")}, // looks hashed, is an input
		"dir.with.dots/app":   {Data: []byte("j")},
		"link-to-dir":         {Data: []byte("css"), Mode: fs.ModeSymlink},
		"pipe":                {Mode: fs.ModeNamedPipe},
		"img/photo.JPG":       {Data: []byte("k")},
		"img/photo.jpg.orig":  {Data: []byte("l")},
		"fonts/a b.woff2":     {Data: []byte("m")},
		"fonts/ü.woff2":       {Data: []byte("n")},
		"empty.txt":           {Data: nil},
		"css/print/print.css": {Data: []byte("o")},
	}
	m, err := core.Build(context.Background(), fsys, core.BuildOptions{
		Exclude: []string{"*.scss", "src", "vendor/*", "*.orig"},
		Logger:  quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for name := range m.Assets {
		got = append(got, name)
	}
	slices.Sort(got)
	want := []string{"css/main.css", "css/print/print.css", "dir.with.dots/app", "empty.txt", "fonts/a b.woff2", "fonts/ü.woff2", "img/photo.JPG", "x-1a2b3c4d.css"}
	if !slices.Equal(got, want) {
		t.Errorf("assets = %q, want %q", got, want)
	}
	if f := m.Assets["dir.with.dots/app"].File; !strings.HasPrefix(f, "dir.with.dots/app-") {
		t.Errorf("dir.with.dots/app file = %q, want the hash after the name", f)
	}
}

func TestBuildBadExclude(t *testing.T) {
	_, err := core.Build(context.Background(), fstest.MapFS{}, core.BuildOptions{Exclude: []string{"[a-"}})
	if err == nil || !strings.Contains(err.Error(), `"[a-"`) {
		t.Errorf("Build with a bad pattern: error = %v, want one naming it", err)
	}
}

// failFS fails to open one file.
type failFS struct {
	fstest.MapFS
	bad string
}

func (f failFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func TestBuildUnreadableFile(t *testing.T) {
	fsys := failFS{MapFS: fstest.MapFS{}, bad: "css/b.css"}
	for _, n := range []string{"css/a.css", "css/b.css", "css/c.css"} {
		fsys.MapFS[n] = &fstest.MapFile{Data: []byte(n)}
	}
	_, err := core.Build(context.Background(), fsys, core.BuildOptions{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "css/b.css") {
		t.Errorf("Build = %v, want a permission error naming css/b.css", err)
	}
}

func TestBuildCancelled(t *testing.T) {
	fsys := fstest.MapFS{"a.css": {Data: []byte("a")}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := core.Build(ctx, fsys, core.BuildOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Build(cancelled) = %v, want context.Canceled", err)
	}
}

func TestBuildEmptyTree(t *testing.T) {
	m, err := core.Build(context.Background(), fstest.MapFS{}, core.BuildOptions{})
	if err != nil || len(m.Assets) != 0 {
		t.Fatalf("Build(empty) = %v, %v", m, err)
	}
	data, _ := m.Marshal()
	if !strings.Contains(string(data), `"assets": {}`) {
		t.Errorf("empty manifest = %s, want an empty assets object", data)
	}
}

func TestBuildModTimeIrrelevant(t *testing.T) {
	a := fstest.MapFS{"x.css": {Data: []byte("x"), ModTime: time.Unix(1, 0)}}
	b := fstest.MapFS{"x.css": {Data: []byte("x"), ModTime: time.Unix(2e9, 0)}}
	ma, _ := core.Build(context.Background(), a, core.BuildOptions{})
	mb, _ := core.Build(context.Background(), b, core.BuildOptions{})
	da, _ := ma.Marshal()
	db, _ := mb.Marshal()
	if string(da) != string(db) {
		t.Errorf("manifests differ by modification time:\n%s\n%s", da, db)
	}
}
