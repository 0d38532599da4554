package build_test

import (
	"context"
	"io"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

func TestManifestFS(t *testing.T) {
	src := fstest.MapFS{
		"css/app.css": {Data: []byte(`body{background:url("../img/bg.png")}`)},
		"img/bg.png":  {Data: []byte("PNG")},
	}
	mTree, err := build.FS(context.Background(), src, build.Options{})
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
				if got := strategy.SHA256.SumBytes(data); got != a.Hash {
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
	mTree, err := build.FS(context.Background(), src, build.Options{Integrity: "sha256"})
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
	if got := strategy.SHA256.SumBytes(rec.Body.Bytes()); got != a.Hash {
		t.Errorf("GET %s: body %q has hash %s, manifest says %s", a.File, rec.Body, got, a.Hash)
	}
	if !strings.Contains(rec.Body.String(), m.Assets["img/bg.png"].File[len("img/"):]) {
		t.Errorf("GET %s: body %q does not refer to the renamed image", a.File, rec.Body)
	}
}
