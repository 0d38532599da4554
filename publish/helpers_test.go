package publish_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/publish"
	"github.com/cachebust/cachebust/serve"
)

// site returns a small asset tree; version changes the stylesheet and the
// script, and so their fingerprints, and leaves the image and font alone.
func site(version string) fstest.MapFS {
	css := "/* " + version + " */\n.logo { background: url(../img/logo.png) }\n" + strings.Repeat(".c { color: #123456 }\n", 40)
	return fstest.MapFS{
		"css/app.css":   {Data: []byte(css)},
		"js/app.js":     {Data: []byte("// " + version + "\n" + strings.Repeat("console.log('hello');\n", 40))},
		"img/logo.png":  {Data: []byte("\x89PNG\r\n\x1a\n not really a png")},
		"fonts/a.woff2": {Data: []byte("wOF2 not really a font")},
	}
}

// buildDir writes tree to a source directory and builds it, with
// precompressed siblings, into an output directory, which it returns.
func buildDir(t *testing.T, tree fstest.MapFS) string {
	t.Helper()
	src, out := filepath.Join(t.TempDir(), "src"), filepath.Join(t.TempDir(), "out")
	if err := os.CopyFS(src, tree); err != nil {
		t.Fatal(err)
	}
	if _, err := fingerprint.Dir(context.Background(), src, out, fingerprint.DirOptions{Gzip: true, Brotli: true}); err != nil {
		t.Fatal(err)
	}
	return out
}

// fileBucket opens a bucket in a fresh directory, and returns it with its
// URL.
func fileBucket(t *testing.T) (*blob.Bucket, string) {
	t.Helper()
	u := "file://" + filepath.ToSlash(t.TempDir())
	b, err := publish.OpenBucket(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, u
}

// keys lists the keys in b, sorted.
func keys(t *testing.T, b *blob.Bucket) []string {
	t.Helper()
	var ks []string
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return ks
		}
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, obj.Key)
	}
}

// bucketManifest reads the manifest object under prefix.
func bucketManifest(t *testing.T, b *blob.Bucket, prefix string) *core.Manifest {
	t.Helper()
	data, err := b.ReadAll(context.Background(), prefix+publish.ManifestKey)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantKeys returns the keys the objects of m take, with plain objects if
// asked, and the manifest object.
func wantKeys(m *core.Manifest, plain bool) []string {
	set := map[string]bool{publish.ManifestKey: true}
	for _, f := range m.Files() {
		set[f] = true
	}
	if plain {
		for name := range m.Assets {
			set[name] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// decode returns data decoded from the content coding enc.
func decode(t *testing.T, enc string, data []byte) []byte {
	t.Helper()
	out, err := decodeCoding(enc, data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeCoding returns data decoded from the content coding enc, "" for
// none.
func decodeCoding(enc string, data []byte) ([]byte, error) {
	var r io.Reader
	switch enc {
	case "":
		return data, nil
	case core.Gzip:
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		r = z
	case core.Brotli:
		r = brotli.NewReader(bytes.NewReader(data))
	default:
		return nil, fmt.Errorf("unknown encoding %q", enc)
	}
	return io.ReadAll(r)
}

// checkObjects checks that b holds, under prefix, the objects of the build
// m records, whose files are in files, by the rules of the bucket: bytes,
// Cache-Control, Content-Type and Content-Encoding.
func checkObjects(t *testing.T, b *blob.Bucket, prefix string, files fs.FS, m *core.Manifest, plain bool) {
	t.Helper()
	ctx := context.Background()
	check := func(key, file, cache, ctype, enc string, want []byte) {
		t.Helper()
		attrs, err := b.Attributes(ctx, prefix+key)
		if err != nil {
			t.Errorf("object %s: %v", key, err)
			return
		}
		if attrs.CacheControl != cache || attrs.ContentType != ctype || attrs.ContentEncoding != enc {
			t.Errorf("object %s: Cache-Control %q, Content-Type %q, Content-Encoding %q; want %q, %q, %q",
				key, attrs.CacheControl, attrs.ContentType, attrs.ContentEncoding, cache, ctype, enc)
		}
		got, err := b.ReadAll(ctx, prefix+key)
		if err != nil {
			t.Fatal(err)
		}
		local, err := fs.ReadFile(files, file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, local) {
			t.Errorf("object %s: %d bytes differ from the %d of %s", key, len(got), len(local), file)
		}
		if want != nil && !bytes.Equal(decode(t, enc, got), want) {
			t.Errorf("object %s does not decode to the served bytes of its asset", key)
		}
	}
	for name, a := range m.Assets {
		served, err := fs.ReadFile(files, a.File)
		if err != nil {
			t.Fatal(err)
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		check(a.File, a.File, serve.CacheImmutable, ctype, "", served)
		for _, enc := range a.Encodings {
			sibling := a.File + precompressed.Ext(enc)
			check(sibling, sibling, serve.CacheImmutable, ctype, enc, served)
		}
		if plain {
			check(name, name, serve.CacheRevalidate, ctype, "", nil)
		}
	}
}
