package rewrite_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/cachebust/cachebust/build/rewrite"
)

// benchCSS returns about 200 KB of CSS modelled on bootstrap: rules with
// custom properties, SVG data URIs, fonts with queries, images and escapes.
func benchCSS() []byte {
	var b bytes.Buffer
	b.WriteString("@charset \"UTF-8\";\n/*!\n * Benchmark CSS modelled on Bootstrap\n */\n@import url(\"base.css\") layer(base);\n")
	for i := 0; b.Len() < 200_000; i++ {
		fmt.Fprintf(&b, `.btn-%d {
  --bs-btn-padding-x: 0.75rem;
  --bs-btn-font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  display: inline-block;
  padding: var(--bs-btn-padding-y) var(--bs-btn-padding-x);
  border: var(--bs-btn-border-width) solid var(--bs-btn-border-color);
  transition: color 0.15s ease-in-out, background-color 0.15s ease-in-out;
}
.form-select-%d {
  --bs-form-select-bg-img: url("data:image/svg+xml,%%3csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%%3e%%3cpath fill='none' stroke='%%23343a40' stroke-linecap='round' stroke-linejoin='round' stroke-width='2' d='m2 5 6 6 6-6'/%%3e%%3c/svg%%3e");
  background-image: var(--bs-form-select-bg-img), var(--bs-form-select-bg-icon, none);
}
@font-face {
  font-family: "icons-%d";
  src: url("../fonts/icons.woff2?dd67030699838ea613ee6dbda90effa6") format("woff2"), url(../fonts/icons.woff?dd67030699838ea613ee6dbda90effa6) format("woff");
}
.hero-%d { background: image-set("../img/hero.avif" type("image/avif") 1x, url(../img/hero@2x.jpg) 2x) no-repeat center / cover; }
.bi-alarm-%d::before { content: "\f101"; }
.a\:hover-%d:hover { color: rgba(13, 110, 253, 0.25); }
`, i, i, i, i, i, i)
	}
	b.WriteString("/*# sourceMappingURL=bench.css.map */\n")
	return b.Bytes()
}

func BenchmarkFindCSS(b *testing.B) {
	src := benchCSS()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rewrite.FindCSS(src)
	}
}

func BenchmarkFindRewriteCSS(b *testing.B) {
	src := benchCSS()
	newName := func(r rewrite.Ref) (string, bool) {
		target, _, ok, err := rewrite.Resolve("css/app.css", r.URL, "/static/")
		if err != nil || !ok {
			return "", false
		}
		return "icons-1a2b3c4d.woff2", len(target) > 0
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rewrite.Rewrite(src, rewrite.FindCSS(src), newName)
	}
}

// BenchmarkSHA256SameBytes hashes the bytes BenchmarkFindCSS scans, so that
// the throughput of finding and rewriting can be quoted against hashing.
func BenchmarkSHA256SameBytes(b *testing.B) {
	src := benchCSS()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		sha256.Sum256(src)
	}
}
