package build_test

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"testing"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
)

// FuzzBuildRewrite builds a small tree whose stylesheet css/app.css is
// fuzzed and which has assets it can refer to: an image, a font and a
// stylesheet that imports it back, so that references can form cycles. It
// checks that the build does not panic, that the served copy differs from
// the original only at reference sites, that a strict build's references
// all resolve to renamed files with their recorded hashes, that two builds
// give the same manifest bytes, and that building the output again in
// place changes nothing.
func FuzzBuildRewrite(f *testing.F) {
	f.Add([]byte(refTree["css/app.css"]))
	if b, err := os.ReadFile("testdata/npm/bootstrap-icons/font/bootstrap-icons.css"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		`a{b:url(../img/bg.png)}`,
		`@import "base.css"; a{b:url("../fonts/icons.woff2?#iefix")}`,
		`@IMPORT url(base.css) layer(x) supports(display:grid) screen;`,
		`a{b:url(app.css#self)}`,
		`a{b:image-set("../img/bg.png" 1x, url(../img/bg.png) 2x)}`,
		`a{b:url(..\2f img\2f bg.png)}`,
		`a{b:url("\2e\2e/img/b\67.png")}`,
		`a{b:url(/static/img/bg.png)} c{d:url(//x/img/bg.png)} e{f:url(data:,url(../img/bg.png))}`,
		"a{}\r\n/*# sourceMappingURL=../img/bg.png */\r\n",
		`a{b:url(../img/bg.png`,
		`a{b:url(../img/missing.png)} c{d:url(../../up.png)}`,
		`.x\(url\(..\/img\/bg.png\)\){content:"url(../img/bg.png)"}/* url(../img/bg.png) */`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, css []byte) {
		files := map[string]string{
			"css/app.css":       string(css),
			"css/base.css":      `@import "app.css"; .base{background:url(../img/bg.png)}`,
			"img/bg.png":        "PNG",
			"fonts/icons.woff2": "WOFF2",
		}
		src := mapFS(files)
		opts := build.Options{Logger: quiet}
		tree, err := build.FS(context.Background(), src, opts)
		if err != nil {
			t.Fatal(err)
		}
		m := tree.Manifest()
		first, _ := m.Marshal()
		m2, err := buildManifest(context.Background(), src, opts)
		if err != nil {
			t.Fatal(err)
		}
		if second, _ := m2.Marshal(); !bytes.Equal(first, second) {
			t.Fatalf("two builds of the same tree differ:\n%s\n%s", first, second)
		}
		served, err := fs.ReadFile(tree, m.Assets["css/app.css"].File)
		if err != nil {
			t.Fatal(err)
		}
		checkOutside(t, "css/app.css", css, served)
		if strict, err := build.FS(context.Background(), src, build.Options{StrictRefs: true}); err == nil {
			checkServedRefs(t, strict, strict.Manifest(), core.DefaultPrefix)
		}

		dir := t.TempDir()
		writeTree(t, dir, files)
		res, err := build.Dir(context.Background(), dir, dir, build.DirOptions{Options: opts})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := res.Manifest.Marshal(); !bytes.Equal(got, first) {
			t.Fatalf("BuildDir manifest:\n%s\nBuild manifest:\n%s", got, first)
		}
		before := snapshot(t, dir)
		again, err := build.Dir(context.Background(), dir, dir, build.DirOptions{Options: opts})
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Written) > 0 || len(again.Removed) > 0 {
			t.Errorf("second build wrote %q and removed %q, want nothing", again.Written, again.Removed)
		}
		if got, _ := again.Manifest.Marshal(); !bytes.Equal(got, first) {
			t.Errorf("second build's manifest:\n%s\nfirst:\n%s", got, first)
		}
		if after := snapshot(t, dir); !maps.Equal(after, before) {
			t.Errorf("second build in place changed the tree")
		}
	})
}
