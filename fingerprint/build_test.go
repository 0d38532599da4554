package fingerprint_test

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
	"github.com/cachebust/cachebust/fingerprint"
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
		{strategy.CRC32(), strategy.Rename{}, 0, "css/main-3610a686.css", "3610a686", 8},
		{strategy.CRC32(), strategy.Query{Param: "v"}, 0, "css/main.css", "3610a686", 8},
		{strategy.MD5(), strategy.Rename{}, 0, "css/main-5d41402abc4b.css", "5d41402abc4b2a76b9719d911017c592", 12},
		{strategy.MD5(), strategy.Rename{}, 32, "css/main-5d41402abc4b2a76b9719d911017c592.css", "5d41402abc4b2a76b9719d911017c592", 32},
		{strategy.SHA256(), strategy.Rename{}, 8, "css/main-2cf24dba.css", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 8},
		{strategy.SHA256(), strategy.Query{}, 0, "css/main.css", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 12},
	}
	for _, tt := range tests {
		t.Run(tt.hash.Name+"-"+tt.form.Name(), func(t *testing.T) {
			m, err := buildManifest(context.Background(), fsys, fingerprint.Options{Hash: tt.hash, Form: tt.form, Length: tt.length})
			if err != nil {
				t.Fatal(err)
			}
			want := core.Asset{File: tt.wantFile, Hash: tt.wantHash, Size: 5}
			if got := m.Assets["css/main.css"]; !reflect.DeepEqual(got, want) {
				t.Errorf("asset = %+v, want %+v", got, want)
			}
			if m.Hash != tt.hash.Name || m.Form != tt.form.Name() || m.Length != tt.wantLength {
				t.Errorf("manifest hash, url, length = %q, %q, %d, want %q, %q, %d", m.Hash, m.Form, m.Length, tt.hash.Name, tt.form.Name(), tt.wantLength)
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
	m, err := buildManifest(context.Background(), fsys, fingerprint.Options{
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
	_, err := buildManifest(context.Background(), fstest.MapFS{}, fingerprint.Options{Exclude: []string{"[a-"}})
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
	_, err := buildManifest(context.Background(), fsys, fingerprint.Options{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "css/b.css") {
		t.Errorf("Build = %v, want a permission error naming css/b.css", err)
	}
}

func TestBuildCancelled(t *testing.T) {
	fsys := fstest.MapFS{"a.css": {Data: []byte("a")}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := buildManifest(ctx, fsys, fingerprint.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Build(cancelled) = %v, want context.Canceled", err)
	}
}

func TestBuildEmptyTree(t *testing.T) {
	m, err := buildManifest(context.Background(), fstest.MapFS{}, fingerprint.Options{})
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
	ma, _ := buildManifest(context.Background(), a, fingerprint.Options{})
	mb, _ := buildManifest(context.Background(), b, fingerprint.Options{})
	da, _ := ma.Marshal()
	db, _ := mb.Marshal()
	if string(da) != string(db) {
		t.Errorf("manifests differ by modification time:\n%s\n%s", da, db)
	}
}

// buildManifest builds fsys in memory and returns the manifest.
func buildManifest(ctx context.Context, fsys fs.FS, opts fingerprint.Options) (*core.Manifest, error) {
	t, err := fingerprint.FS(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	return t.Manifest(), nil
}

// The manifest of a tree is the same bytes whatever the map order, and
// round-trips through ParseManifest to an equal value.
func TestManifestMarshalDeterministic(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"z.css", "a/b.js", "a/a.js", "m/ü.png", "a&b<c>.txt"} {
		fsys[name] = &fstest.MapFile{Data: []byte(name)}
	}
	var first []byte
	for i := range 10 {
		m, err := buildManifest(context.Background(), fsys, fingerprint.Options{Hash: strategy.MD5()})
		if err != nil {
			t.Fatal(err)
		}
		data, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = data
			continue
		}
		if string(data) != string(first) {
			t.Fatalf("build %d marshals differently:\n%s\nvs\n%s", i, data, first)
		}
	}
	if !strings.HasSuffix(string(first), "}\n") || !strings.Contains(string(first), "\n  \"assets\": {\n    \"a&b<c>.txt\"") {
		t.Errorf("manifest not in the documented layout (sorted keys, 2-space indent, trailing newline, no HTML escaping):\n%s", first)
	}
	m, err := core.ParseManifest(first)
	if err != nil {
		t.Fatalf("ParseManifest(Marshal()) = %v", err)
	}
	again, _ := m.Marshal()
	if string(again) != string(first) {
		t.Errorf("Marshal(ParseManifest(data)) differs from data")
	}
	// A manifest read back is the manifest built: it has no hidden state.
	built, err := buildManifest(context.Background(), fsys, fingerprint.Options{Hash: strategy.MD5()})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, built) {
		t.Errorf("ParseManifest(Marshal(m)) = %+v, want %+v", m, built)
	}
}

func TestBuildLengthBeyondDigest(t *testing.T) {
	_, err := fingerprint.FS(context.Background(), fstest.MapFS{}, fingerprint.Options{Hash: strategy.MD5(), Length: 33})
	if err == nil || !strings.Contains(err.Error(), "32") {
		t.Errorf("Length 33 with md5: error %v, want one naming the maximum, 32", err)
	}
}
