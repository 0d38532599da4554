package fingerprint_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
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
		opts := fingerprint.Options{Logger: quiet}
		tree, err := fingerprint.FS(context.Background(), src, opts)
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
		// The graph names assets of the build, and is the same in the
		// query form, which rewrites nothing.
		if _, err := core.New(m, core.Options{Logger: quiet}); err != nil {
			t.Fatalf("New(built manifest): %v", err)
		}
		q, err := buildManifest(context.Background(), src, fingerprint.Options{Logger: quiet, Form: strategy.Query{}})
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range m.Assets {
			if qa := q.Assets[name]; !slices.Equal(a.Imports, qa.Imports) || !slices.Equal(a.Refs, qa.Refs) {
				t.Fatalf("%s: graph %q %q in the rename form, %q %q in the query form", name, a.Imports, a.Refs, qa.Imports, qa.Refs)
			}
		}
		served, err := fs.ReadFile(tree, m.Assets["css/app.css"].File)
		if err != nil {
			t.Fatal(err)
		}
		checkOutside(t, "css/app.css", css, served)
		if strict, err := fingerprint.FS(context.Background(), src, fingerprint.Options{StrictRefs: true}); err == nil {
			checkServedRefs(t, strict, strict.Manifest(), core.DefaultPrefix)
		}

		dir := t.TempDir()
		writeTree(t, dir, files)
		res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: opts})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := res.Manifest.Marshal(); !bytes.Equal(got, first) {
			t.Fatalf("BuildDir manifest:\n%s\nBuild manifest:\n%s", got, first)
		}
		before := snapshot(t, dir)
		again, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: opts})
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

// FuzzOutputConfinement puts arbitrary bytes in an output directory as its
// manifest and pending record, and runs Clean, Dir (in place or from a
// separate source) and Verify over it. The directory sits in a parent that
// holds a canary file, a directory that out/link points to and an
// absolute link out/abs to the parent; the source holds a link to the
// canary. Nothing outside the output directory may change, and no file in
// it may hold the canary's bytes, whatever the bytes say.
func FuzzOutputConfinement(f *testing.F) {
	h := strings.Repeat("ab", 32)
	for _, seed := range []struct {
		manifest, pending string
	}{
		{`{"x.css": "https://../../../../canary.txt", "y.css": "//../../canary.txt", "z.css": "x://../../canary.txt"}`, ""},
		{`{"version": 1, "hash": "", "url": "rename", "assets": {}, "generations": [{"assets": {"x.css": {"file": "https://../../canary.txt", "hash": "", "size": 0}}}]}`, ""},
		{`{"version": 1, "hash": "sha256", "url": "rename", "assets": {}, "generations": [{"assets": {"x.css": {"file": "link/x-` + h[:12] + `.css", "hash": "` + h + `", "size": 1}}}]}`, `["link/y.css", "abs/canary.txt"]`},
		{`{"version": 1, "hash": "sha256", "url": "rename", "originals": true, "assets": {"abs/canary.txt": {"file": "abs/canary-` + h[:12] + `.txt", "hash": "` + h + `", "size": 1, "encodings": ["gzip"]}}}`, `["link"]`},
		{`{"x.css": "abs/canary.txt"}`, `["../canary.txt"]`},
		{"", `["link/.cachebust-tmp-z"]`},
	} {
		f.Add([]byte(seed.manifest), []byte(seed.pending), false, uint8(0))
		f.Add([]byte(seed.manifest), []byte(seed.pending), true, uint8(1))
	}
	fingerprint.NoSync(f) // what is checked here does not depend on the disk's cache
	f.Fuzz(func(t *testing.T, manifest, pending []byte, inPlace bool, keep uint8) {
		parent := t.TempDir()
		canary := rand.Text()
		src, out := filepath.Join(parent, "src"), filepath.Join(parent, "out")
		writeTree(t, parent, map[string]string{
			"canary.txt":                   canary,
			"outside/x-" + h[:12] + ".css": canary,
			"outside/y.css":                canary,
			"outside/.cachebust-tmp-z":     canary,
		})
		writeTree(t, src, map[string]string{"a.css": "a{background:url(img/b.png)}", "img/b.png": "PNG", "x.css": "x"})
		symlink(t, "../canary.txt", filepath.Join(src, "leak.txt"))
		outArg := out
		if inPlace {
			out, outArg = src, ""
		}
		symlink(t, "../outside", filepath.Join(out, "link"))
		symlink(t, parent, filepath.Join(out, "abs"))
		records := func() {
			writeTree(t, out, map[string]string{core.ManifestName: string(manifest)})
			if len(pending) > 0 {
				writeTree(t, out, map[string]string{".cachebust-pending.json": string(pending)})
			}
		}
		outsideOut := func() map[string]string {
			entries := listTree(t, parent)
			rel, _ := filepath.Rel(parent, out)
			maps.DeleteFunc(entries, func(name, _ string) bool { return strings.HasPrefix(name, filepath.ToSlash(rel)+"/") })
			return entries
		}
		records()
		before := outsideOut()

		fingerprint.Clean(context.Background(), out, fingerprint.CleanOptions{Keep: int(keep % 3)})
		records()
		fingerprint.Dir(context.Background(), src, outArg, fingerprint.DirOptions{Keep: int(keep % 3), Options: fingerprint.Options{Logger: quiet}})
		records()
		if m, err := core.ParseManifest(manifest); err == nil {
			root, err := os.OpenRoot(out)
			if err != nil {
				t.Fatal(err)
			}
			fingerprint.Verify(root.FS(), m)
			root.Close()
		}

		if after := outsideOut(); !maps.Equal(after, before) {
			t.Errorf("outside the output directory:\nbefore %v\nafter  %v", before, after)
		}
		for name, data := range listTree(t, out) {
			if strings.Contains(data, canary) {
				t.Errorf("%s in the output directory holds the canary's bytes", name)
			}
		}
	})
}
