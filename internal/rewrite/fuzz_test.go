package rewrite_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// addSeeds seeds a fuzzer with the inputs of tables and the testdata files
// matching glob.
func addSeeds(f *testing.F, glob string, tables [][]findTest, add func(src []byte)) {
	for _, table := range tables {
		for _, tt := range table {
			add([]byte(tt.in))
		}
	}
	files, _ := filepath.Glob(glob)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(src)
	}
}

func FuzzFindCSS(f *testing.F) {
	addSeeds(f, "testdata/*.*", [][]findTest{cssTests, jsTests}, func(src []byte) { f.Add(src) })
	f.Fuzz(func(t *testing.T, src []byte) {
		refs := rewrite.FindCSS(src)
		checkRefs(t, src, refs)
		if got := rewrite.Rewrite(src, refs, sameName); !bytes.Equal(got, src) {
			t.Fatalf("Rewrite with the same names\n got %q\nwant %q", got, src)
		}
	})
}

func FuzzRewrite(f *testing.F) {
	addSeeds(f, "testdata/*.*", [][]findTest{cssTests}, func(src []byte) {
		for _, name := range testNames {
			f.Add(src, name)
		}
	})
	f.Fuzz(func(t *testing.T, src []byte, name string) {
		checkRewrite(t, rewrite.FindCSS, src, name)
	})
}

// jsSeeds are snippets of the kinds of code that trip JavaScript
// tokenizers, as found in real libraries and minified bundles.
var jsSeeds = []string{
	// Minified code with regular expressions full of quotes and slashes.
	`var e=/[&<>"']/g,t={"&":"&amp;","<":"&lt;"};function n(r){return r.replace(e,function(o){return t[o]})}import("./chunk-3.js").then(n)`,
	`a=b/c/d,e=/\/\*[^*]*\*+([^/*][^*]*\*+)*\//g;if(x)/'/.test(y)&&import('./x.js')`,
	`const t=s=>s.split(/\r\n?|\n/).map(l=>l.replace(/^\s+|\s+$/g,""));export{t as trim}from"./lines.js"`,
	// Templates with nested substitutions, objects and strings with braces.
	"const html=(s,...v)=>s.raw.map((p,i)=>`${p}${i<v.length?`<b>${v[i]}</b>`:''}`).join('');" +
		"render(html`<a href=\"${new URL('./page.html',import.meta.url)}\">${ {a:'}'}.a }</a>`)",
	"css`:host{color:${c}}` /* import \"./no.js\" */; export * from './tags.js'",
	// Module graphs: relative, bare, full URLs, attributes, workers.
	`import{LitElement as e,html as t}from"lit";import{property as o}from"lit/decorators.js";import"./my-el.js";export*from"../base.mjs";`,
	`import json from "./data.json" with { type: "json" }; const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });`,
	"const routes = { home: () => import('./home.js'), [`about`]: () => import(\"./about.js\"), lazy: n => import(`./pages/${n}.js`) };",
	// Division after brackets, keywords as properties, increments.
	`x.return/2/"'";y++/2/"'";z=(a)/2/"'";w=q[0]/2/"'";v={}/2/"'";import("./after.js")`,
	// Source maps after code, in strings, in templates and in regexps.
	"var x = 1; //# sourceMappingURL=x.js.map\nvar s = \"//# sourceMappingURL=no.map\", r = /\\/\\/# sourceMappingURL=no.map/, t = `\n//# sourceMappingURL=no.map`;\n/*# sourceMappingURL=y.js.map */",
	// Escapes in specifiers and identifiers.
	`import "./\u0061.js"; import './it\'s.js'; import "./a\x2fb.js"; import "./\u{1F600}.js"; let \u0061 = 1; import "./\uD83D\uDE00.js"`,
	"#!/usr/bin/env node\nimport \"./cli.js\"\n",
}

func FuzzFindJS(f *testing.F) {
	addSeeds(f, "testdata/*.*", [][]findTest{jsTests, sourceMapTests}, func(src []byte) { f.Add(src) })
	for _, s := range jsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, find := range []func([]byte) []rewrite.Ref{rewrite.FindJS, rewrite.FindSourceMap} {
			refs := find(src)
			checkRefs(t, src, refs)
			for _, r := range refs {
				// A dynamic import is a module specifier written after
				// "import(" and maybe white space or comments.
				if r.Dynamic && (r.Kind != rewrite.Module || !bytes.Contains(src[:r.Start], []byte("import"))) {
					t.Fatalf("ref %+v is dynamic but no import()", r)
				}
			}
			if got := rewrite.Rewrite(src, refs, sameName); !bytes.Equal(got, src) {
				t.Fatalf("Rewrite with the same names\n got %q\nwant %q", got, src)
			}
		}
		computed := rewrite.ComputedImports(src)
		if !slices.IsSorted(computed) {
			t.Fatalf("ComputedImports = %v, not sorted", computed)
		}
		for _, off := range computed {
			if !bytes.HasPrefix(src[off:], []byte("import")) && !bytes.HasPrefix(src[off:], []byte("new")) {
				t.Fatalf("ComputedImports: offset %d is at %q", off, src[off:min(off+8, len(src))])
			}
		}
	})
}

func FuzzRewriteJS(f *testing.F) {
	seeds := [][]byte{}
	addSeeds(f, "testdata/*.*", [][]findTest{jsTests, sourceMapTests}, func(src []byte) { seeds = append(seeds, src) })
	for _, s := range jsSeeds {
		seeds = append(seeds, []byte(s))
	}
	for _, src := range seeds {
		for _, name := range testNames {
			f.Add(src, name)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, name string) {
		checkRewrite(t, rewrite.FindJS, src, name)
		checkRewrite(t, rewrite.FindSourceMap, src, name)
		before := rewrite.ComputedImports(src)
		out := rewrite.Rewrite(src, rewrite.FindJS(src), func(rewrite.Ref) (string, bool) { return name, true })
		if after := rewrite.ComputedImports(out); len(after) != len(before) {
			t.Fatalf("renaming to %q: %d computed imports, want %d", name, len(after), len(before))
		}
	})
}
