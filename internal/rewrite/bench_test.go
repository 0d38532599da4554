package rewrite_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
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

// benchJS returns about 200 KB of JavaScript modelled on an ES module
// library: imports and exports, classes, templates with substitutions,
// regular expressions, divisions, comments and dynamic imports.
func benchJS() []byte {
	var b bytes.Buffer
	b.WriteString("/**\n * Benchmark module modelled on a component library\n */\nimport { LitElement, html, css } from \"lit\";\nimport { format } from \"./format.js\";\n")
	for i := 0; b.Len() < 200_000; i++ {
		fmt.Fprintf(&b, `import { helper%d } from "./helpers/helper-%d.js";
export * from '../shared/part-%d.mjs';
const ESCAPE%d = /[&<>"'`+"`"+`]/g, TRIM%d = /^\s+|\s+$/g;
/** Renders item %d. See https://example.com/docs/%d */
export class Item%d extends LitElement {
  static styles = css`+"`"+`:host { display: block; margin: ${%d / 2}px; }`+"`"+`;
  render() {
    const ratio = this.width / this.height / 2, label = this.label.replace(ESCAPE%d, (c) => "&#" + c.charCodeAt(0) + ";");
    if (/^x-/.test(this.tag)) return html`+"`"+`<b class=${this.on ? "on" : "off"}>${label}</b>`+"`"+`;
    return html`+"`"+`<li>${`+"`"+`#${%d}: ${format(ratio)}`+"`"+`}</li>`+"`"+`; // item %d
  }
  async more() { return import("./more/more-%d.js"); }
}
export const asset%d = new URL("../img/icon-%d.svg", import.meta.url);
`, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i)
	}
	b.WriteString("//# sourceMappingURL=bench.js.map\n")
	return b.Bytes()
}

// BenchmarkFindJS scans benchJS, BenchmarkFindRewriteJS also resolves and
// rewrites every reference, and BenchmarkSHA256SameBytesJS hashes the same
// bytes, so that the scanner's throughput can be quoted against hashing.
func BenchmarkFindJS(b *testing.B) {
	src := benchJS()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rewrite.FindJS(src)
	}
}

func BenchmarkFindRewriteJS(b *testing.B) {
	src := benchJS()
	newName := func(r rewrite.Ref) (string, bool) {
		target, _, ok, err := r.Resolve("js/app.js", "/static/")
		if err != nil || !ok {
			return "", false
		}
		return "helper-1a2b3c4d.js", len(target) > 0
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		rewrite.Rewrite(src, rewrite.FindJS(src), newName)
	}
}

func BenchmarkSHA256SameBytesJS(b *testing.B) {
	src := benchJS()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		sha256.Sum256(src)
	}
}
