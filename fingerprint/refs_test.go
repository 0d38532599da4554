package fingerprint_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/rewrite"
	"github.com/cachebust/cachebust/strategy"
)

// refAssets are the files the stylesheets of the reference tests point at.
var refAssets = map[string]string{
	"img/bg.png":           "PNG bg",
	"img/hero.png":         "PNG hero",
	"img/hero@2x.png":      "PNG hero 2x",
	"img/sprite.svg":       "<svg/>",
	"img/database.jpg":     "JPG database",
	"img/http-diagram.png": "PNG http diagram",
	"img/a b.png":          "PNG with a space",
	"fonts/icons.eot":      "EOT",
	"fonts/icons.woff2":    "WOFF2",
	"css/base.css":         "body{margin:0}",
	"css/print.css":        "body{color:#000}",
	"css/app.css.map":      `{"version":3}`,
}

// expand replaces every «logical/path» in s with the base name of the file
// that serves that asset in m, percent-encoded as the rewriter writes it.
func expand(m *core.Manifest, s string) string {
	for {
		i := strings.Index(s, "«")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "»")
		name := s[i+len("«") : i+j]
		a, ok := m.Assets[name]
		base := "MISSING(" + name + ")"
		if ok {
			base = strings.NewReplacer(" ", "%20", "@", "%40").Replace(path.Base(a.File))
		}
		s = s[:i] + base + s[i+j+len("»"):]
	}
}

// mapFS returns a MapFS of files.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := make(fstest.MapFS, len(files))
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

// withFiles returns a copy of base with more files added.
func withFiles(base map[string]string, more map[string]string) map[string]string {
	all := maps.Clone(base)
	maps.Copy(all, more)
	return all
}

// outside returns the bytes of src outside its references, one chunk per
// gap between them, so that two versions of a file can be compared with
// their references masked.
func outside(name string, src []byte) []string {
	var chunks []string
	last := 0
	for _, r := range rewrite.Find(name, src) {
		chunks = append(chunks, string(src[last:r.Start]))
		last = r.End
	}
	return append(chunks, string(src[last:]))
}

// checkOutside reports an error if served differs from orig anywhere but at
// the references of orig.
func checkOutside(t *testing.T, name string, orig, served []byte) {
	t.Helper()
	if got, want := outside(name, served), outside(name, orig); !slices.Equal(got, want) {
		t.Errorf("%s: bytes outside references changed:\ncopy:     %q\noriginal: %q", name, got, want)
	}
}

// checkServedRefs checks every reference in every renamed stylesheet,
// script and source map that out serves for m: if it names a local asset,
// it must name a file of m (a renamed copy, not an original), the file must
// exist in out and its bytes must have the hash m records. It returns how
// many references it checked.
func checkServedRefs(t *testing.T, out fs.FS, m *core.Manifest, prefix string) int {
	t.Helper()
	h, err := strategy.HashByName(m.Hash)
	if err != nil {
		t.Fatal(err)
	}
	byFile := make(map[string]string, len(m.Assets))
	for name, a := range m.Assets {
		byFile[a.File] = name
	}
	n := 0
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		a := m.Assets[name]
		if a.File == name {
			continue
		}
		data, err := fs.ReadFile(out, a.File)
		if err != nil {
			t.Errorf("read %s: %v", a.File, err)
			continue
		}
		for _, r := range rewrite.Find(a.File, data) {
			target, _, ok, err := r.Resolve(a.File, prefix)
			if err != nil || !ok {
				continue
			}
			if _, err := fs.Stat(out, target); err != nil && r.Kind == rewrite.MapFile {
				continue // a map's "file" that names nothing is left as written
			}
			n++
			logical, ok := byFile[target]
			if !ok {
				t.Errorf("%s:%d: reference %q resolves to %s, which the manifest does not name as a file", a.File, r.Line, r.Raw, target)
				continue
			}
			b, err := fs.ReadFile(out, target)
			if err != nil {
				t.Errorf("%s:%d: reference %q: %v", a.File, r.Line, r.Raw, err)
				continue
			}
			if got, want := h.SumBytes(b), m.Assets[logical].Hash; got != want {
				t.Errorf("%s:%d: reference %q: %s has hash %s, manifest says %s", a.File, r.Line, r.Raw, target, got, want)
			}
		}
	}
	return n
}

// TestRewriteForms builds one stylesheet at a time, in memory, and checks
// its served copy: references to assets in the build point at their
// renamed files, with directory, query, fragment and quotes as written, and
// everything else is left byte for byte. In want, «name» stands for the base
// name of the file that serves the asset name.
func TestRewriteForms(t *testing.T) {
	tests := []struct {
		name, css, want string
		prefix          string // Options.Prefix
	}{
		{name: "unquoted", css: `a{b:url(../img/bg.png)}`, want: `a{b:url(../img/«img/bg.png»)}`},
		{name: "double quoted", css: `a{b:url("../img/bg.png")}`, want: `a{b:url("../img/«img/bg.png»")}`},
		{name: "single quoted", css: `a{b:url('../img/bg.png')}`, want: `a{b:url('../img/«img/bg.png»')}`},
		{name: "spaced", css: "a{b:url(  ../img/bg.png\t)}", want: "a{b:url(  ../img/«img/bg.png»\t)}"},
		{name: "spaced quoted", css: `a{b:url( "../img/bg.png" )}`, want: `a{b:url( "../img/«img/bg.png»" )}`},
		{name: "upper case", css: `a{b:URL(../img/bg.png)}`, want: `a{b:URL(../img/«img/bg.png»)}`},
		{name: "no directory", css: `a{b:url(base.css)}`, want: `a{b:url(«css/base.css»)}`},
		{name: "dot directory", css: `a{b:url(./base.css)}`, want: `a{b:url(./«css/base.css»)}`},
		{name: "image-set", css: `a{b:image-set("../img/hero.png" 1x, url(../img/hero@2x.png) 2x)}`, want: `a{b:image-set("../img/«img/hero.png»" 1x, url(../img/«img/hero@2x.png») 2x)}`},
		{name: "webkit image-set", css: `a{b:-webkit-image-set('../img/hero.png' 1x)}`, want: `a{b:-webkit-image-set('../img/«img/hero.png»' 1x)}`},
		{name: "import string", css: `@import "base.css";`, want: `@import "«css/base.css»";`},
		{name: "import single", css: `@import 'base.css';`, want: `@import '«css/base.css»';`},
		{name: "import url", css: `@import url(base.css);`, want: `@import url(«css/base.css»);`},
		{name: "import url quoted", css: `@import url("base.css") screen;`, want: `@import url("«css/base.css»") screen;`},
		{name: "import upper case", css: `@IMPORT "print.css" print;`, want: `@IMPORT "«css/print.css»" print;`},
		{name: "import layer supports media", css: `@import url(print.css) layer(x) supports(display: grid) print and (min-width: 1px);`, want: `@import url(«css/print.css») layer(x) supports(display: grid) print and (min-width: 1px);`},
		{name: "query and fragment", css: `@font-face{src:url("../fonts/icons.eot?#iefix") format("embedded-opentype"),url(../fonts/icons.woff2?v=3) format("woff2")}`, want: `@font-face{src:url("../fonts/«fonts/icons.eot»?#iefix") format("embedded-opentype"),url(../fonts/«fonts/icons.woff2»?v=3) format("woff2")}`},
		{name: "fragment", css: `a{mask:url(../img/sprite.svg#icon)}`, want: `a{mask:url(../img/«img/sprite.svg»#icon)}`},
		{name: "css escape", css: `a{b:url(../img/b\67 .png)}`, want: `a{b:url(../img/«img/bg.png»)}`},
		{name: "percent-encoded", css: `a{b:url("../img/a%20b.png")}`, want: `a{b:url("../img/«img/a b.png»")}`},
		{name: "root-relative under prefix", css: `a{b:url(/static/img/bg.png)}`, want: `a{b:url(/static/img/«img/bg.png»)}`},
		{name: "root-relative other prefix", css: `a{b:url(/assets/img/bg.png)}`, want: `a{b:url(/assets/img/«img/bg.png»)}`, prefix: "/assets/"},
		{name: "root-relative outside prefix", css: `a{b:url(/other/img/bg.png)}`, want: `a{b:url(/other/img/bg.png)}`},
		{name: "https", css: `a{b:url(https://cdn.example/img/bg.png)}`, want: `a{b:url(https://cdn.example/img/bg.png)}`},
		{name: "http without slashes", css: `a{b:url(http:../img/bg.png)}`, want: `a{b:url(http:../img/bg.png)}`},
		{name: "protocol-relative", css: `a{b:url(//cdn.example/img/bg.png)}`, want: `a{b:url(//cdn.example/img/bg.png)}`},
		{name: "data URI with url(", css: `a{b:url("data:image/svg+xml,%3Csvg style='background:url(../img/bg.png)'/%3E")}`, want: `a{b:url("data:image/svg+xml,%3Csvg style='background:url(../img/bg.png)'/%3E")}`},
		{name: "data URI unquoted", css: `a{b:url(data:image/png;base64,iVBORw0KGgo=)}`, want: `a{b:url(data:image/png;base64,iVBORw0KGgo=)}`},
		{name: "fragment only", css: `a{filter:url(#blur)}`, want: `a{filter:url(#blur)}`},
		{name: "named like a scheme", css: `a{b:url(../img/database.jpg),url(../img/http-diagram.png)}`, want: `a{b:url(../img/«img/database.jpg»),url(../img/«img/http-diagram.png»)}`},
		{name: "comment", css: `/* url(../img/bg.png) @import "base.css"; */a{}`, want: `/* url(../img/bg.png) @import "base.css"; */a{}`},
		{name: "string", css: `a::before{content:"url(../img/bg.png)"}`, want: `a::before{content:"url(../img/bg.png)"}`},
		{name: "escaped selector", css: `.x\(url\(\.\.\/img\/bg\.png\)\){}`, want: `.x\(url\(\.\.\/img\/bg\.png\)\){}`},
		{name: "source map", css: "a{}\n/*# sourceMappingURL=app.css.map */\n", want: "a{}\n/*# sourceMappingURL=«css/app.css.map» */\n"},
		{name: "numbers untouched", css: `a{width:1.5px;b:url(../img/bg.png);c:.5em}`, want: `a{width:1.5px;b:url(../img/«img/bg.png»);c:.5em}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := mapFS(withFiles(refAssets, map[string]string{"css/app.css": tt.css}))
			opts := fingerprint.Options{Prefix: tt.prefix, StrictRefs: true}
			mTree, err := fingerprint.FS(context.Background(), src, opts)
			if err != nil {
				t.Fatal(err)
			}
			m := mTree.Manifest()
			out := mTree
			got, err := fs.ReadFile(out, m.Assets["css/app.css"].File)
			if err != nil {
				t.Fatal(err)
			}
			if want := expand(m, tt.want); string(got) != want {
				t.Errorf("served copy\n got %s\nwant %s", got, want)
			}
			checkOutside(t, "css/app.css", []byte(tt.css), got)
			prefix := tt.prefix
			if prefix == "" {
				prefix = core.DefaultPrefix
			}
			checkServedRefs(t, out, m, prefix)
			if a := m.Assets["css/app.css"]; a.Hash != strategy.SHA256().SumBytes(got) || a.Size != int64(len(got)) {
				t.Errorf("manifest hash, size = %s, %d, want those of the served copy: %s, %d", a.Hash, a.Size, strategy.SHA256().SumBytes(got), len(got))
			}
		})
	}
}

// refTree is a tree with references of every kind, for tests that build
// it whole.
var refTree = withFiles(refAssets, map[string]string{
	"css/app.css": `@charset "UTF-8";
@import "base.css";
@import url(print.css) print;
.a { background: url(../img/bg.png) no-repeat; }
.b { background: image-set("../img/hero.png" 1x, url(../img/hero@2x.png) 2x); }
@font-face { src: url("../fonts/icons.eot?#iefix") format("embedded-opentype"), url(../fonts/icons.woff2?v=3); }
.c { mask: url(../img/sprite.svg#icon), url(/static/img/bg.png); }
.d { background: url(https://cdn.example/x.png), url("data:image/svg+xml,url(x.png)"), url(#f); }
/* url(../img/bg.png) */
/*# sourceMappingURL=app.css.map */
`,
	"js/app.js":     "console.log(1);\n//# sourceMappingURL=app.js.map\n",
	"js/app.js.map": `{"version":3,"file":"app.js","sources":["app.ts"]}`,
	"index.html":    `<link rel="stylesheet" href="css/app.css">`,
})

// TestBuildAndBuildDirAgree checks that the in-memory FS and Dir
// give the same manifest for the same tree, and that fingerprint.Tree serves
// exactly the bytes Dir writes.
func TestBuildAndBuildDirAgree(t *testing.T) {
	src := mapFS(refTree)
	opts := fingerprint.Options{Integrity: "sha384", Logger: quiet}
	mTree, err := fingerprint.FS(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	m := mTree.Manifest()
	dir := t.TempDir()
	writeTree(t, dir, refTree)
	res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Manifest.Marshal()
	want, _ := m.Marshal()
	if !bytes.Equal(got, want) {
		t.Errorf("BuildDir manifest:\n%s\nBuild manifest:\n%s", got, want)
	}
	served := mTree
	for name, a := range m.Assets {
		fromMem, err := fs.ReadFile(served, a.File)
		if err != nil {
			t.Fatal(err)
		}
		fromDisk, err := os.ReadFile(filepath.Join(dir, a.File))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fromMem, fromDisk) {
			t.Errorf("%s: Manifest.FS serves %q, BuildDir wrote %q", name, fromMem, fromDisk)
		}
		if orig, _ := os.ReadFile(filepath.Join(dir, name)); string(orig) != refTree[name] {
			t.Errorf("%s: BuildDir changed the original", name)
		}
	}
	if n := checkServedRefs(t, os.DirFS(dir), res.Manifest, core.DefaultPrefix); n != 12 {
		t.Errorf("checked %d references, want 12", n)
	}
	if err := fingerprint.Verify(os.DirFS(dir), res.Manifest); err != nil {
		t.Error(err)
	}
}

// TestRewriteSourceMap checks that a renamed script points at the renamed
// copy of its source map, which exists.
func TestRewriteSourceMap(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, refTree)
	res, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Options: fingerprint.Options{Logger: quiet}})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	js, err := os.ReadFile(filepath.Join(dir, m.Assets["js/app.js"].File))
	if err != nil {
		t.Fatal(err)
	}
	mapFile := m.Assets["js/app.js.map"].File
	if want := "console.log(1);\n//# sourceMappingURL=" + path.Base(mapFile) + "\n"; string(js) != want {
		t.Errorf("renamed script = %q, want %q", js, want)
	}
	if _, err := os.Stat(filepath.Join(dir, mapFile)); err != nil {
		t.Errorf("renamed source map: %v", err)
	}
	if orig, _ := os.ReadFile(filepath.Join(dir, "js/app.js")); string(orig) != refTree["js/app.js"] {
		t.Errorf("original script = %q, want it unchanged", orig)
	}
}

// TestHashesFollowReferences changes an image and checks that exactly the
// files that refer to it, directly or through @import, get new names.
func TestHashesFollowReferences(t *testing.T) {
	files := map[string]string{
		"img/bg.png":        "PNG 1",
		"img/other.png":     "PNG other",
		"css/base.css":      ".a{background:url(../img/bg.png)}",
		"css/app.css":       `@import "base.css";`,
		"css/top.css":       `@import url(app.css) screen;`,
		"css/unrelated.css": ".b{background:url(../img/other.png)}",
		"css/plain.css":     ".c{color:red}",
	}
	buildFiles := func(files map[string]string) *fingerprint.Tree {
		t.Helper()
		tree, err := fingerprint.FS(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
		if err != nil {
			t.Fatal(err)
		}
		return tree
	}
	before := buildFiles(files).Manifest()
	afterTree := buildFiles(withFiles(files, map[string]string{"img/bg.png": "PNG 2"}))
	after := afterTree.Manifest()
	changed := map[string]bool{"img/bg.png": true, "css/base.css": true, "css/app.css": true, "css/top.css": true}
	for name := range files {
		b, a := before.Assets[name].File, after.Assets[name].File
		if got, want := b != a, changed[name]; got != want {
			t.Errorf("%s: renamed %s -> %s: changed = %v, want %v", name, b, a, got, want)
		}
	}
	top, err := fs.ReadFile(afterTree, after.Assets["css/top.css"].File)
	if err != nil {
		t.Fatal(err)
	}
	if want := `@import url(` + path.Base(after.Assets["css/app.css"].File) + `) screen;`; string(top) != want {
		t.Errorf("css/top.css copy = %s, want %s", top, want)
	}
}

// TestReferenceCycles checks the documented outcome for files that refer
// to each other: the build ends, gives the same names every time and in
// every directory, every reference points at the final name, and a change
// to any member of a cycle renames all of them.
func TestReferenceCycles(t *testing.T) {
	files := map[string]string{
		"css/a.css":    `@import "b.css"; .a{background:url(../img/x.png)}`,
		"css/b.css":    `@import "a.css"; .b{}`,
		"css/self.css": `.s{behavior:url(self.css#x)}`,
		"css/user.css": `@import "a.css";`,
		"img/x.png":    "PNG",
	}
	buildFiles := func(files map[string]string) ([]byte, *fingerprint.Result, string) {
		t.Helper()
		dir := t.TempDir()
		writeTree(t, dir, files)
		res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: fingerprint.Options{StrictRefs: true}})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := res.Manifest.Marshal()
		return data, res, dir
	}
	first, res, dir := buildFiles(files)
	if second, _, _ := buildFiles(files); !bytes.Equal(first, second) {
		t.Errorf("two builds in two directories differ:\n%s\n%s", first, second)
	}
	m := res.Manifest
	// A member's digest is taken from the bytes hashed when the build kept
	// them (in place), and from the bytes read again otherwise: the names
	// must not tell the two apart.
	tree, err := fingerprint.FS(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := tree.Manifest().Assets; !reflect.DeepEqual(got, m.Assets) {
		t.Errorf("FS build assets differ from those of Dir in place:\n%v\n%v", got, m.Assets)
	}
	fingerprint.KeepNothing(t)
	if _, res, _ := buildFiles(files); !reflect.DeepEqual(res.Manifest.Assets, m.Assets) {
		t.Errorf("Dir keeping no bytes gives other assets:\n%v\n%v", res.Manifest.Assets, m.Assets)
	}
	if err := fingerprint.Verify(os.DirFS(dir), m); err != nil {
		t.Error(err)
	}
	if n := checkServedRefs(t, os.DirFS(dir), m, core.DefaultPrefix); n != 5 {
		t.Errorf("checked %d references, want 5", n)
	}
	self, _ := os.ReadFile(filepath.Join(dir, m.Assets["css/self.css"].File))
	if want := `.s{behavior:url(` + path.Base(m.Assets["css/self.css"].File) + `#x)}`; string(self) != want {
		t.Errorf("self-referring copy = %s, want %s", self, want)
	}
	for _, change := range []string{"css/a.css", "css/b.css", "img/x.png"} {
		_, res2, _ := buildFiles(withFiles(files, map[string]string{change: files[change] + "/*2*/"}))
		m2 := res2.Manifest
		for _, name := range []string{"css/a.css", "css/b.css", "css/user.css"} {
			if m.Assets[name].File == m2.Assets[name].File {
				t.Errorf("after changing %s, %s is still %s", change, name, m2.Assets[name].File)
			}
		}
		if m.Assets["css/self.css"].File != m2.Assets["css/self.css"].File {
			t.Errorf("after changing %s, css/self.css renamed to %s", change, m2.Assets["css/self.css"].File)
		}
	}
	_, res3, _ := buildFiles(withFiles(files, map[string]string{"css/self.css": files["css/self.css"] + " "}))
	if m.Assets["css/self.css"].File == res3.Manifest.Assets["css/self.css"].File {
		t.Errorf("changing css/self.css left its name %s", m.Assets["css/self.css"].File)
	}
}

// TestMissingReferences checks both modes: lenient warns with file and line
// and keeps the reference; strict fails naming file, line, reference and
// resolved path, and a failed Dir leaves the previous build as it was.
func TestMissingReferences(t *testing.T) {
	files := map[string]string{
		"css/app.css": "a{}\n.b{background:url(../img/bg.png)}\n.c{background:url(\"../img/missing.png?v=1\")}\n",
		"img/bg.png":  "PNG",
	}
	t.Run("lenient", func(t *testing.T) {
		var log bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&log, nil))
		src := mapFS(files)
		mTree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		m := mTree.Manifest()
		for _, want := range []string{"level=WARN", "css/app.css:3", `../img/missing.png?v=1`, "img/missing.png"} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("log %q does not contain %q", log.String(), want)
			}
		}
		got, _ := fs.ReadFile(mTree, m.Assets["css/app.css"].File)
		if want := `.c{background:url("../img/missing.png?v=1")}`; !strings.Contains(string(got), want) {
			t.Errorf("copy %s does not keep %s as written", got, want)
		}
		if want := "url(../img/" + path.Base(m.Assets["img/bg.png"].File) + ")"; !strings.Contains(string(got), want) {
			t.Errorf("copy %s does not contain %s", got, want)
		}
	})
	t.Run("strict", func(t *testing.T) {
		_, err := buildManifest(context.Background(), mapFS(files), fingerprint.Options{StrictRefs: true})
		if err == nil {
			t.Fatal("Build with StrictRefs succeeded")
		}
		for _, want := range []string{"css/app.css:3", `"../img/missing.png?v=1"`, "img/missing.png"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
	})
	t.Run("outside root", func(t *testing.T) {
		_, err := buildManifest(context.Background(), mapFS(map[string]string{"app.css": "\n@import '../up.css';"}), fingerprint.Options{StrictRefs: true})
		if err == nil || !strings.Contains(err.Error(), "app.css:2") || !errors.Is(err, rewrite.ErrOutsideRoot) {
			t.Errorf("Build of a reference above the root = %v, want ErrOutsideRoot naming app.css:2", err)
		}
	})
	t.Run("strict BuildDir keeps the previous build", func(t *testing.T) {
		dir := t.TempDir()
		writeTree(t, dir, withFiles(files, map[string]string{"css/app.css": "a{background:url(../img/bg.png)}"}))
		if _, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: fingerprint.Options{StrictRefs: true}}); err != nil {
			t.Fatal(err)
		}
		writeTree(t, dir, files)
		before := snapshot(t, dir)
		_, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: fingerprint.Options{StrictRefs: true}})
		if err == nil || !strings.Contains(err.Error(), "css/app.css:3") {
			t.Errorf("strict BuildDir = %v, want an error naming css/app.css:3", err)
		}
		if after := snapshot(t, dir); !maps.Equal(after, before) {
			t.Errorf("failed build changed the directory:\nbefore %v\nafter  %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
		}
	})
}

// snapshot returns every file under dir with its content, except the lock.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".cachebust.lock" {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestNoRewrite checks that NoRewrite and the query form serve stylesheets
// and scripts byte for byte as written.
func TestNoRewrite(t *testing.T) {
	tests := []struct {
		name string
		opts fingerprint.Options
	}{
		{"NoRewrite", fingerprint.Options{NoRewrite: true, StrictRefs: true}},
		{"query", fingerprint.Options{Form: strategy.Query{Param: "v"}, StrictRefs: true}},
	}
	files := withFiles(refTree, map[string]string{"css/missing.css": "a{b:url(nowhere.png)}"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, files)
			res, err := fingerprint.Dir(context.Background(), dir, dir, fingerprint.DirOptions{Options: tt.opts})
			if err != nil {
				t.Fatal(err)
			}
			src := mapFS(files)
			mTree, err := fingerprint.FS(context.Background(), src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			m := mTree.Manifest()
			for name, a := range res.Manifest.Assets {
				disk, _ := os.ReadFile(filepath.Join(dir, a.File))
				mem, _ := fs.ReadFile(mTree, m.Assets[name].File)
				if string(disk) != files[name] || string(mem) != files[name] {
					t.Errorf("%s: BuildDir wrote %q, Build serves %q, want the original %q", name, disk, mem, files[name])
				}
			}
		})
	}
}

// TestRewriteExtensionCase checks that a stylesheet is recognised by its
// extension in any case, as rewrite.Find recognises it.
func TestRewriteExtensionCase(t *testing.T) {
	src := mapFS(map[string]string{"css/APP.CSS": "a{b:url(../img/bg.png)}", "img/bg.png": "PNG"})
	mTree, err := fingerprint.FS(context.Background(), src, fingerprint.Options{StrictRefs: true})
	if err != nil {
		t.Fatal(err)
	}
	m := mTree.Manifest()
	got, _ := fs.ReadFile(mTree, m.Assets["css/APP.CSS"].File)
	if want := "a{b:url(../img/" + path.Base(m.Assets["img/bg.png"].File) + ")}"; string(got) != want {
		t.Errorf("css/APP.CSS copy = %s, want %s", got, want)
	}
}
