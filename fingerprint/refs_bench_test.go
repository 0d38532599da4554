package fingerprint_test

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/rewrite"
)

// bootstrapCSS returns dist/css/bootstrap.css of bootstrap 5.3.3 (281,046
// bytes), kept gzipped in testdata.
func bootstrapCSS(b *testing.B) []byte {
	b.Helper()
	f, err := os.Open("testdata/bootstrap-5.3.3.css.gz")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkRewriteBootstrap measures, on bootstrap.css, finding, resolving
// and rewriting references and the whole in-memory build, against hashing
// the same bytes with SHA-256 in the same run. Compare the MB/s columns:
//
//	go test -run '^$' -bench RewriteBootstrap ./build
func BenchmarkRewriteBootstrap(b *testing.B) {
	src := bootstrapCSS(b)
	b.Run("sha256", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			sha256.Sum256(src)
		}
	})
	b.Run("find-resolve-rewrite", func(b *testing.B) {
		files := map[string]string{"dist/css/bootstrap.css.map": "dist/css/bootstrap.css-0123456789ab.map"}
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			refs := rewrite.FindCSS(src)
			rewrite.Rewrite(src, refs, func(r rewrite.Ref) (string, bool) {
				target, _, ok, err := rewrite.Resolve("dist/css/bootstrap.css", r.URL, core.DefaultPrefix)
				if err != nil || !ok {
					return "", false
				}
				file, ok := files[target]
				return path.Base(file), ok
			})
		}
	})
	b.Run("build", func(b *testing.B) {
		fsys := fstest.MapFS{
			"dist/css/bootstrap.css":     {Data: src},
			"dist/css/bootstrap.css.map": {Data: []byte(`{"version":3}`)},
		}
		opts := fingerprint.Options{StrictRefs: true, Workers: 1}
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			m, err := buildManifest(context.Background(), fsys, opts)
			if err != nil {
				b.Fatal(err)
			}
			if m.Assets["dist/css/bootstrap.css"].Size != int64(len(src)+len("-0123456789ab")) {
				b.Fatal("bootstrap.css was not rewritten")
			}
		}
	})
}
