package fingerprint_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/precompressed"
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
		res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: fingerprint.Options{Integrity: tt.alg}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Manifest.Assets["a.txt"].Integrity; got != tt.want {
			t.Errorf("integrity %s = %q, want %q", tt.alg, got, tt.want)
		}
	}
	_, err := fingerprint.Dir(context.Background(), t.TempDir(), "", fingerprint.DirOptions{Options: fingerprint.Options{Integrity: "md5"}})
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
	buildDir := func(dir string) *fingerprint.Result {
		t.Helper()
		res, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Gzip: true, Brotli: true})
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
			sibling := a.File + precompressed.Ext(enc)
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
	if err := fingerprint.Verify(os.DirFS(dir1), m); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// A damaged sibling fails verification, naming it.
	bad := m.Assets["css/app.css"].File + ".gz"
	if err := os.WriteFile(filepath.Join(dir1, bad), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fingerprint.Verify(os.DirFS(dir1), m); err == nil || !strings.Contains(err.Error(), bad) {
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

// textLike returns n bytes of a made-up script: words and hex literals, so
// that compressors find matches and brotli's best quality works hard.
func textLike(n int) []byte {
	words := []string{"function ", "return ", "const ", "let ", "{\n", "}\n", ";\n", "(a, b) => ", "this."}
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "0x%08x", r.Uint32())
		} else {
			b.WriteString(words[r.IntN(len(words))])
		}
	}
	return b.Bytes()[:n]
}

// A canceled build stops while brotli compresses a large file, rather than
// once the file is done (which took minutes), and leaves the output as the
// previous build left it: its manifest, its files, no new directory.
func TestDirCanceledDuringCompression(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	writeTree(t, src, map[string]string{"css/a.css": strings.Repeat("body { color: red }\n", 50)})
	opts := fingerprint.DirOptions{Brotli: true, Options: fingerprint.Options{Workers: 2}}
	if _, err := fingerprint.Dir(context.Background(), src, out, opts); err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(out, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.ParseManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	big := textLike(8 << 20)
	writeTree(t, src, map[string]string{"js/big/big.js": string(big)})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel once the copy of big.js is in place: its compression is next.
	canceled := make(chan struct{})
	go func() {
		defer close(canceled)
		for ctx.Err() == nil {
			if info, err := os.Stat(filepath.Join(out, "js", "big", "big.js")); err == nil && info.Size() == int64(len(big)) {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, err := fingerprint.Dir(ctx, src, out, opts)
		done <- err
	}()
	<-canceled
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		// A failure detector, not a measure of speed: the build stops
		// within a chunk of compression, brotli takes minutes for the file.
		t.Fatal("Dir has not returned 10 s after its context was canceled during compression")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Dir = %v, want context.Canceled", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, core.ManifestName)); !bytes.Equal(got, manifest) {
		t.Errorf("manifest changed by a canceled build:\n%s\nwant\n%s", got, manifest)
	}
	if err := fingerprint.Verify(os.DirFS(out), m); err != nil {
		t.Errorf("Verify after a canceled build: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(out, "js")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a canceled build left %s behind (%v)", filepath.Join(out, "js"), err)
	}
}

// While a large file is compressed, progress keeps coming: the bytes
// compressed so far, in calls that name no asset, before the file is done.
func TestDirProgressDuringCompression(t *testing.T) {
	dir := t.TempDir()
	data := textLike(1 << 20)
	writeTree(t, dir, map[string]string{"app.js": string(data)})
	var during []int64
	var final fingerprint.Progress
	opts := fingerprint.DirOptions{Gzip: true, Options: fingerprint.Options{Progress: func(p fingerprint.Progress) {
		if p.Phase != fingerprint.PhaseWrite {
			return
		}
		if p.Asset == "" {
			if p.Done != 0 {
				t.Errorf("a call while compressing has Done %d, want 0", p.Done)
			}
			during = append(during, p.Compressed)
			return
		}
		final = p
	}}}
	if _, err := fingerprint.Dir(context.Background(), dir, "", opts); err != nil {
		t.Fatal(err)
	}
	if len(during) < 2 || !slices.IsSorted(during) || during[0] == 0 {
		t.Errorf("compressed counts while compressing %d bytes: %v, want several, growing", len(data), during)
	}
	if final.Asset != "app.js" || final.Compressed != int64(len(data)) {
		t.Errorf("last call %+v, want app.js done with %d bytes compressed", final, len(data))
	}
}
