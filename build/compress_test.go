package build_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The integrity values were computed with
// printf '%s' DATA | openssl dgst -sha384 -binary | base64 (and -sha256,
// -sha512), not with the code under test.
func TestBuildIntegrity(t *testing.T) {
	tests := []struct {
		alg, want string
	}{
		{"sha256", "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="},
		{"sha384", "sha384-WeF0h3dEjGnea4ANejO7+5/xtGPkQ1TDVTvNucZm+pASWjx5+QOXvfX2oT3oKGhP"},
		{"sha512", "sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw=="},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"a.txt": "hello"})
		res, err := build.Dir(context.Background(), dir, dir, build.DirOptions{Options: build.Options{Integrity: tt.alg}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Manifest.Assets["a.txt"].Integrity; got != tt.want {
			t.Errorf("integrity %s = %q, want %q", tt.alg, got, tt.want)
		}
	}
	_, err := build.Dir(context.Background(), t.TempDir(), "", build.DirOptions{Options: build.Options{Integrity: "md5"}})
	if err == nil || !strings.Contains(err.Error(), `"md5"`) {
		t.Errorf("Integrity md5: error = %v, want one naming it", err)
	}
}

func TestBuildPrecompress(t *testing.T) {
	css := strings.Repeat(".btn { color: #0d6efd; background: url(../img/x.png); }\n", 200)
	files := map[string]string{
		"css/app.css":  css,
		"css/tiny.css": "a{}",       // compressing makes it larger: no sibling
		"img/x.png":    css,         // compressible bytes, but not a text type
		"js/app.js":    css + "//x", // text type
	}
	buildDir := func(dir string) *build.Result {
		t.Helper()
		res, err := build.Dir(context.Background(), dir, "", build.DirOptions{Gzip: true, Brotli: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	dir1, dir2 := t.TempDir(), t.TempDir()
	writeTree(t, dir1, files)
	writeTree(t, dir2, files)
	res := buildDir(dir1)
	buildDir(dir2)
	m := res.Manifest
	want := map[string][]string{"css/app.css": {"br", "gzip"}, "js/app.js": {"br", "gzip"}}
	for name, a := range m.Assets {
		if !slices.Equal(a.Encodings, want[name]) {
			t.Errorf("%s encodings = %q, want %q", name, a.Encodings, want[name])
		}
		for _, enc := range a.Encodings {
			sibling := a.File + core.EncodingExt(enc)
			z1, err := os.ReadFile(filepath.Join(dir1, sibling))
			if err != nil {
				t.Fatal(err)
			}
			z2, _ := os.ReadFile(filepath.Join(dir2, sibling))
			if !bytes.Equal(z1, z2) {
				t.Errorf("%s differs between two builds of the same tree", sibling)
			}
			var r io.Reader
			if enc == core.Gzip {
				zr, err := gzip.NewReader(bytes.NewReader(z1))
				if err != nil {
					t.Fatal(err)
				}
				if zr.Name != "" || !zr.ModTime.IsZero() {
					t.Errorf("%s: gzip header has name %q, time %v, want none", sibling, zr.Name, zr.ModTime)
				}
				r = zr
			} else {
				r = brotli.NewReader(bytes.NewReader(z1))
			}
			got, err := io.ReadAll(r)
			served, _ := os.ReadFile(filepath.Join(dir1, a.File))
			if err != nil || !bytes.Equal(got, served) {
				t.Errorf("%s does not decompress to %s: %v", sibling, a.File, err)
			}
		}
	}
	if err := build.Verify(os.DirFS(dir1), m); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// A damaged sibling fails verification, naming it.
	bad := m.Assets["css/app.css"].File + ".gz"
	if err := os.WriteFile(filepath.Join(dir1, bad), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := build.Verify(os.DirFS(dir1), m); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("Verify with damaged %s = %v, want an error naming it", bad, err)
	}
	// Siblings are outputs, never inputs, and go with their generation.
	res = buildDir(dir1)
	if _, ok := res.Manifest.Assets["css/app.css.gz"]; ok {
		t.Errorf("a rebuild took a sibling as an input")
	}
	writeTree(t, dir1, map[string]string{"css/app.css": css + "/* v2 */"})
	buildDir(dir1)
	buildDir(dir1)
	res = buildDir(dir1) // nothing changed: generations stay
	writeTree(t, dir1, map[string]string{"css/app.css": css + "/* v3 */"})
	writeTree(t, dir1, map[string]string{"css/app.css": css + "/* v4 */"})
	res = buildDir(dir1)
	writeTree(t, dir1, map[string]string{"css/app.css": css + "/* v5 */"})
	res = buildDir(dir1)
	for _, f := range res.Removed {
		if strings.HasSuffix(f, ".br") {
			return
		}
	}
	t.Errorf("removed %q, want the siblings of dropped generations among them", res.Removed)
}
