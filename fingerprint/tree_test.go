package fingerprint_test

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

func TestManifestFS(t *testing.T) {
	src := fstest.MapFS{
		"css/app.css": {Data: []byte(`body{background:url("../img/bg.png")}`)},
		"img/bg.png":  {Data: []byte("PNG")},
	}
	mTree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := mTree.Manifest()
	out := mTree
	for name, a := range m.Assets {
		for _, open := range []string{a.File, name} {
			f, err := out.Open(open)
			if err != nil {
				t.Fatalf("Open(%q): %v", open, err)
			}
			data, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			info, _ := f.Stat()
			f.Close()
			if open == a.File {
				if got := strategy.SHA256().SumBytes(data); got != a.Hash {
					t.Errorf("Open(%q) gives bytes with hash %s, manifest says %s:\n%s", open, got, a.Hash, data)
				}
				if info.Name() != a.File[strings.LastIndexByte(a.File, '/')+1:] || info.Size() != a.Size {
					t.Errorf("Stat(%q) = %s, %d bytes, want its own name and %d bytes", open, info.Name(), info.Size(), a.Size)
				}
				if _, ok := f.(io.Seeker); !ok {
					t.Errorf("Open(%q) is not an io.Seeker, so ranges cannot be served", open)
				}
			} else if string(data) != string(src[name].Data) {
				t.Errorf("Open(%q) = %q, want the original", open, data)
			}
		}
	}
	css, _ := fs.ReadFile(out, m.Assets["css/app.css"].File)
	if want := "../img/" + strings.TrimPrefix(m.Assets["img/bg.png"].File, "img/"); !strings.Contains(string(css), want) {
		t.Errorf("served stylesheet %s does not refer to %s", css, want)
	}
	for _, bad := range []string{"../x", "/css/app.css", "css/missing.css"} {
		if _, err := out.Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

// With no build step, a handler serves a stylesheet's rewritten bytes, so
// what the browser gets matches the manifest's hash and integrity value.
func TestHandlerSourcesServesRewrittenBytes(t *testing.T) {
	src := fstest.MapFS{
		"css/app.css": {Data: []byte(`body{background:url(../img/bg.png)}`)},
		"img/bg.png":  {Data: []byte("PNG")},
	}
	mTree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{Integrity: "sha256"})
	if err != nil {
		t.Fatal(err)
	}
	m := mTree.Manifest()
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := serve.NewSourceHandler(mTree, r, serve.Options{})
	a := m.Assets["css/app.css"]
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+a.File, nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d", a.File, rec.Code)
	}
	if got := strategy.SHA256().SumBytes(rec.Body.Bytes()); got != a.Hash {
		t.Errorf("GET %s: body %q has hash %s, manifest says %s", a.File, rec.Body, got, a.Hash)
	}
	if !strings.Contains(rec.Body.String(), m.Assets["img/bg.png"].File[len("img/"):]) {
		t.Errorf("GET %s: body %q does not refer to the renamed image", a.File, rec.Body)
	}
}

// hashOf returns what Hash reports for the open file f, or "" if f has no
// Hash method: a file served as it is.
func hashOf(f fs.File) string {
	if h, ok := f.(interface{ Hash() string }); ok {
		return h.Hash()
	}
	return ""
}

// A Tree over a source that can change reads an asset's file whole when
// it opens it and reports the hash of exactly the bytes it read.
func TestTreeChecksChangedFiles(t *testing.T) {
	src := fstest.MapFS{"a.txt": {Data: []byte("1")}, "a.txt.gz": {Data: []byte("GZ")}}
	tree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{Exclude: []string{"*.gz"}})
	if err != nil {
		t.Fatal(err)
	}
	a := tree.Manifest().Assets["a.txt"]
	for _, content := range []string{"1", "22"} {
		src["a.txt"] = &fstest.MapFile{Data: []byte(content)}
		f, err := tree.Open(a.File)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(f)
		info, _ := f.Stat()
		f.Close()
		if want := strategy.SHA256().SumBytes([]byte(content)); string(data) != content || hashOf(f) != want || info.Size() != int64(len(content)) {
			t.Errorf("with a.txt = %q: Open(%q) reads %q, %d bytes, Hash %q; want the content and Hash %q", content, a.File, data, info.Size(), hashOf(f), want)
		}
	}
	if got := tree.Manifest().Assets["a.txt"].Hash; got != strategy.SHA256().SumBytes([]byte("1")) {
		t.Errorf("manifest hash changed to %s", got)
	}
	// Nothing proves the sibling holds the asset's bytes.
	if f, err := tree.Open(a.File + ".gz"); err == nil {
		f.Close()
		t.Errorf("Open(%q) of a source that can change succeeded", a.File+".gz")
	}
	if _, err := fs.ReadFile(tree, "a.txt.gz"); err != nil {
		t.Errorf("the sibling under its own name: %v", err)
	}
}

//go:embed testdata/tree
var embedded embed.FS

// fixedMapFS is a file system in memory that says its files never change.
type fixedMapFS struct{ fstest.MapFS }

func (fixedMapFS) Immutable() bool { return true }

// The files of an embed.FS, of its subtree through fingerprint.Sub, and of
// an ImmutableFS that says so cannot change: they are served as they are,
// with their precompressed siblings.
func TestTreeImmutable(t *testing.T) {
	sub, err := fingerprint.Sub(embedded, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	mapped := fixedMapFS{fstest.MapFS{"a.txt": {Data: []byte("A\n")}, "a.txt.gz": {Data: []byte("GZ")}}}
	for _, tc := range []struct {
		name string
		src  fs.FS
	}{
		{"Sub(embed.FS)", sub},
		{"ImmutableFS", mapped},
	} {
		tree, err := fingerprint.FS(context.Background(), tc.src, fingerprint.Options{Exclude: []string{"*.gz"}})
		if err != nil {
			t.Fatal(err)
		}
		a := tree.Manifest().Assets["a.txt"]
		for name, want := range map[string]string{a.File: "A\n", a.File + ".gz": "GZ"} {
			f, err := tree.Open(name)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			data, _ := io.ReadAll(f)
			f.Close()
			if string(data) != want || hashOf(f) != "" {
				t.Errorf("%s: Open(%q) reads %q with Hash %q; want %q as it is", tc.name, name, data, hashOf(f), want)
			}
		}
	}
}

// A subtree of a file system that says nothing, or that says its files
// change, is no ImmutableFS.
func TestSubMutable(t *testing.T) {
	for _, fsys := range []fs.FS{fstest.MapFS{"d/a": {}}, changingFS{fstest.MapFS{"d/a": {}}}} {
		sub, err := fingerprint.Sub(fsys, "d")
		if err != nil {
			t.Fatal(err)
		}
		if im, ok := sub.(fingerprint.ImmutableFS); ok && im.Immutable() {
			t.Errorf("Sub(%T) says its files never change", fsys)
		}
	}
	sub, err := fingerprint.Sub(embedded, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	sub, err = fs.Sub(sub, "tree") // through fs.SubFS
	if err != nil {
		t.Fatal(err)
	}
	if im, ok := sub.(fingerprint.ImmutableFS); !ok || !im.Immutable() {
		t.Errorf("fs.Sub of Sub(embed.FS) = %T, want an ImmutableFS that says so", sub)
	}
	if err := fstest.TestFS(sub, "a.txt", "a.txt.gz"); err != nil {
		t.Error(err)
	}
}

// changingFS says its files can change.
type changingFS struct{ fstest.MapFS }

func (changingFS) Immutable() bool { return false }

// A Tree keeps the contract of fs.FS in both forms, over a source that
// can change and one that cannot: what ReadDir, Stat and the directories
// Open opens list is what Open serves, renamed names and precompressed
// siblings included, and no link that Open refuses.
func TestTreeFS(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"css/app.css": `body{background:url(../img/bg.png)}`, "img/bg.png": "PNG", "img/bg.png.gz": "GZ", "robots.txt": "ok",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"img/in.png": "bg.png", "img/out": outside} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	embedSub, err := fingerprint.Sub(embedded, "testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	sources := []struct {
		name string
		src  fs.FS
	}{
		{"MapFS", fstest.MapFS{
			"css/app.css":   {Data: []byte(`body{background:url(../img/bg.png)}`)},
			"img/bg.png":    {Data: []byte("PNG")},
			"img/bg.png.br": {Data: []byte("BR")},
			"robots.txt":    {Data: []byte("ok")},
		}},
		{"DirFS", os.DirFS(dir)},
		{"Sub(embed.FS)", embedSub},
		{"ImmutableFS", fixedMapFS{fstest.MapFS{
			"css/app.css":   {Data: []byte(`body{background:url(../img/bg.png)}`)},
			"img/bg.png":    {Data: []byte("PNG")},
			"img/bg.png.br": {Data: []byte("BR")},
		}}},
	}
	for _, form := range []strategy.Form{strategy.Rename{}, strategy.Query{Param: "v"}} {
		for _, tc := range sources {
			t.Run(form.Name()+"/"+tc.name, func(t *testing.T) {
				tree, err := fingerprint.FS(context.Background(), tc.src, fingerprint.Options{Form: form, Exclude: []string{"*.gz", "*.br"}, Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					t.Fatal(err)
				}
				if tc.name == "DirFS" && form.Name() == "rename" {
					// A link made dangling after the build.
					nowhere := filepath.Join(dir, "img", "nowhere")
					if err := os.Symlink("missing", nowhere); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { os.Remove(nowhere) })
				}
				var want []string
				for name, a := range tree.Manifest().Assets {
					want = append(want, name, a.File)
					if f, err := tree.Open(a.File + ".gz"); err == nil {
						f.Close()
						want = append(want, a.File+".gz")
					}
				}
				if err := fstest.TestFS(tree, want...); err != nil {
					t.Error(err)
				}
				if tc.name != "DirFS" {
					return
				}
				entries, err := fs.ReadDir(tree, "img")
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if e.Name() == "out" || e.Name() == "nowhere" {
						t.Errorf("ReadDir(img) lists %s, a link Open refuses", e.Name())
					}
				}
			})
		}
	}
}
