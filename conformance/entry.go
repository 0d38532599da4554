package conformance

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"github.com/cachebust/cachebust/core"
)

// Function names of the entry cases, as the adapters install them.
const (
	entryFunc   = "asset_entry"
	preloadFunc = "asset_preload"
)

// entryPage is the page around asset_entry and asset_preload in their
// cases: the elements go in the head.
const entryPage = "<head>%s</head>"

// The module graph of the entry cases. Its fixture bytes hold the imports
// the graph records, and a build that records a graph from them must find
// the same (setGraph checks it); the suite sets the graph by hand all the
// same, as another tool's manifest would give it, with the CSS that Vite
// attaches and cachebust's builds do not. It builds with NoRewrite, so
// that the bytes, and their digests, are those below. Digests and
// integrity values:
//
//	printf '…' | sha256sum
//	printf '…' | openssl dgst -sha384 -binary | base64
//
// js/main.js imports js/lib/a.js and js/lib/b.js statically and js/lazy.js
// dynamically; js/lib/a.js and js/lib/b.js both import js/lib/c.js, and
// js/lazy.js imports js/lib/d.js. css/site.css imports css/base.css, which
// imports css/reset.css, and names fonts/inter.woff2 in a url().
var graphFiles = []struct {
	name, data, sha256, integrity string
}{
	{"js/main.js", "import { a } from \"./lib/a.js\";\nimport \"./lib/b.js\";\naddEventListener(\"click\", () => import(\"./lazy.js\"));\n",
		"0d0741d8e627", "sha384-NpHZknzw2Qn2gg5OF4ebx+2668gMBofdO/dcBkNQ2154lStn/jhiHzl7eE/xA8KQ"},
	{"js/lib/a.js", "import { c } from \"./c.js\";\nexport const a = c + 1;\n",
		"9d4ddf3cc69d", "sha384-cwU6LLad6zx02x/mYLmurlDaZDUTc9PIkZFk4lC+2Can+/F8gHdXfRltkjAmCOht"},
	{"js/lib/b.js", "import { c } from \"./c.js\";\nexport const b = c + 2;\n",
		"e025e52b5770", "sha384-ZwcGalCEu4+7z5djZZImZXaDTpheNhnWxCNrSsDWW1cJ72raifOqnb54pc+dkUjU"},
	{"js/lib/c.js", "export const c = 1;\n",
		"b7defcba5eda", "sha384-ss1m07xY1DPVZqKOz9Qjg6OiVR+S350eH8M8ukpvG5kpgR0xfdBSvAKp/VDYAPsS"},
	{"js/lazy.js", "import { d } from \"./lib/d.js\";\nexport const lazy = d;\n",
		"69e6e7262484", "sha384-L0eGUehvXQGFTqV2JxVFOZziKV2bM1sThDOVQ/00hqcPknFexgUL5w5Cq+GijV4C"},
	{"js/lib/d.js", "export const d = 4;\n",
		"8a3d4e47d715", "sha384-nlE3VoSrNJgqszDHhxl+oBr4UcjfEQmCAzyUY/EKy7uyv+2U8tfhE3KdkXtyh8tm"},
	{"css/widget.css", ".widget{color:#00c}\n",
		"6f5cf3b47ccc", "sha384-OSr+Ygy3RQcLJFawSEKcSizS7K3XrnKz1GLJJow/ftM3JylqU9ajWgUxiiLYWwnW"},
	{"css/site.css", "@import \"./base.css\";\n@font-face{font-family:Inter;src:url(../fonts/inter.woff2) format(\"woff2\")}\nbody{font-family:Inter}\n",
		"9f558792ddce", "sha384-l0Ah6SOdlv/RCX6tq6f/1jjOXX3/Vj5iMoJ7m4so7hRukZDaIg/6yJHYmQeUCgWY"},
	{"css/base.css", "@import \"./reset.css\";\nh1{margin:0}\n",
		"0f0e19261bd9", "sha384-EUefPZvcWxO9/CmfTfG67c/IsX6ZBWbzHEvmMu4ABzPRW/xgjXc4IQSBZx9DKvb+"},
	{"css/reset.css", "*{box-sizing:border-box}\n",
		"fdb74cfe0b32", "sha384-kAQHGtlBFqT/CreszkEak0djsb7bmGUwFvRfHH2VwIhqVWHOq+yHwxkDUjThLc7G"},
	{"fonts/inter.woff2", "wOF2 inter\n",
		"5dc40c95a627", "sha384-M4K3BicJfqwB5FuqitA9NP0+oy3ixxNmIuR9Nnt00U/wA52mDqsqiklL6pWjVIaL"},
	{"img/hero.png", "hero\n",
		"37a124fc348f", "sha384-K7ysSibStYiMm6o6i4CBPLGNHTaoFn/2rvH1taKnrwUuUoA/49F6wjUSjbGE2Ydm"},
	{"data.json", "{\"version\":1}\n",
		"50208d78350a", "sha384-n9eYGW/FR5E9k6sXbWfPsCVaJEFqx0hi5Vr4odvt8CKVcRmfsQQrFanvmFBGDRwT"},
}

// graph is the graph the suite records on the fixture's assets.
var graph = map[string]core.Asset{
	"js/main.js":   {Imports: []string{"js/lib/a.js", "js/lib/b.js"}},
	"js/lib/a.js":  {Imports: []string{"js/lib/c.js"}, CSS: []string{"css/widget.css"}},
	"js/lib/b.js":  {Imports: []string{"js/lib/c.js"}},
	"js/lazy.js":   {Imports: []string{"js/lib/d.js"}},
	"css/site.css": {Imports: []string{"css/base.css"}, Refs: []string{"fonts/inter.woff2"}},
	"css/base.css": {Imports: []string{"css/reset.css"}},
}

// Names of the hostile cases: what would end an attribute value, open an
// element or an event handler, in asset paths that a manifest's graph
// names and a page passes.
const (
	// hostileEntry is an entry named by a template literal: no quote,
	// which a literal cannot hold, and no < or >, which pug and Slim
	// templates cannot hold in one. The render data's hostileQuoted has
	// them.
	hostileEntry = "js/ onload=alert(1) &amp;.js"
	// hostileImport is a module hostileEntry imports, in the manifest.
	hostileImport = `js/"><img src=x onerror=alert(1)>.js`
	// hostileMissing is an entry missing from the manifest, named by a
	// template literal.
	hostileMissing = "js/ onerror=alert(1).js"
	// hostileCSS is a stylesheet hostileImport attaches.
	hostileCSS = "css/\" onload=\"alert(1).css"
	// hostileQuoted is an entry with a quote, passed in the render data.
	hostileQuoted = `js/"><script>alert(1)</script>.js`
)

// graphFixture adds the graph's files, and with hostile those of the
// hostile cases, to fsys.
func graphFixture(fsys fstest.MapFS, hostile bool) {
	for _, f := range graphFiles {
		fsys[f.name] = &fstest.MapFile{Data: []byte(f.data)}
	}
	if hostile {
		for _, name := range []string{hostileEntry, hostileImport, hostileCSS, hostileQuoted} {
			fsys[name] = &fstest.MapFile{Data: []byte(specialData)}
		}
	}
}

// setGraph records the graph on the assets of m, and with hostile that of
// the hostile cases. Where the build recorded imports or references of
// its own, they must be the suite's: the fixture bytes hold what the
// graph says.
func setGraph(m *core.Manifest, hostile bool) error {
	for name, a := range m.Assets {
		if len(a.Imports)+len(a.Refs) == 0 {
			continue
		}
		want := graph[name]
		if !slices.Equal(a.Imports, want.Imports) || !slices.Equal(a.Refs, want.Refs) {
			return fmt.Errorf("the build records imports %q and refs %q for %s; the suite's graph says %q and %q",
				a.Imports, a.Refs, name, want.Imports, want.Refs)
		}
	}
	g := maps.Clone(graph)
	if hostile {
		g[hostileEntry] = core.Asset{Imports: []string{hostileImport, "js/lib/c.js"}}
		g[hostileImport] = core.Asset{CSS: []string{hostileCSS}}
		g[hostileQuoted] = core.Asset{Imports: []string{hostileImport}}
	}
	for name, links := range g {
		a, ok := m.Assets[name]
		if !ok {
			continue
		}
		a.Imports, a.Refs, a.CSS = links.Imports, links.Refs, links.CSS
		m.Assets[name] = a
	}
	return nil
}

// graphURL returns the URL of a graph file in the default setup.
func graphURL(name string) string {
	for _, f := range graphFiles {
		if f.name == name {
			dot := strings.LastIndexByte(name, '.')
			return "/static/" + name[:dot] + "-" + f.sha256 + name[dot:]
		}
	}
	panic("no graph file " + name)
}

// graphIntegrity returns the integrity value of a graph file.
func graphIntegrity(name string) string {
	for _, f := range graphFiles {
		if f.name == name {
			return f.integrity
		}
	}
	panic("no graph file " + name)
}

// A wantTag is one element an entry or a preload must print: its name and
// every attribute, with its value as a browser reads it ("" for a boolean
// attribute such as crossorigin).
type wantTag struct {
	name  string
	attrs map[string]string
}

func (w wantTag) String() string {
	var b strings.Builder
	b.WriteString("<" + w.name)
	for _, k := range slices.Sorted(maps.Keys(w.attrs)) {
		fmt.Fprintf(&b, " %s=%q", k, w.attrs[k])
	}
	return b.String() + ">"
}

// attrs returns the attributes of pairs, name and value, leaving out
// those whose value is absent.
func attrs(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i+1] != absent {
			m[pairs[i]] = pairs[i+1]
		}
	}
	return m
}

// absent marks an attribute left out, in attrs.
const absent = "\x00absent"

// runEntry calls asset_entry or asset_preload with the case's argument,
// in both syntaxes, and checks the elements it prints, or the error it
// must fail with.
func runEntry(t *testing.T, e Engine, c *testCase) {
	arg := e.Literal(c.arg)
	var data map[string]any
	if c.hasValue {
		arg = e.Var("v")
		data = map[string]any{"v": c.value}
	}
	for _, syn := range syntaxes {
		t.Run(syn.name, func(t *testing.T) {
			src := fmt.Sprintf(entryPage, syn.f(e, c.fn, arg))
			got, err := render(e, src, data)
			if c.wantErr != nil || c.errText != "" {
				checkErr(t, e, c, src, got, err)
				return
			}
			checkTags(t, c, src, got, err)
		})
	}
}

// checkTags checks a render of entryPage that must print the elements of
// c.tags, as the resolver gives them.
func checkTags(t *testing.T, c *testCase, src, got string, err error) {
	t.Helper()
	if err != nil {
		fail(t, c, src, "Render failed: %v", err)
		return
	}
	raw, ok := action(t, c, entryPage, src, got)
	if !ok {
		return
	}
	tags, err := parseTags(raw)
	if err != nil {
		fail(t, c, src, "the output, as a browser parses it, %v:\n\t%q", err, raw)
		return
	}
	if msg := diffTags(tags, c.tags); msg != "" {
		fail(t, c, src, "the elements, as a browser parses them, differ:%s\nraw output\n\t%q", msg, raw)
	}

	// Every engine prints the very bytes of the resolver, but for the
	// line breaks between the elements, which engines that indent their
	// output may change.
	r := c.setup.resolver(t)
	want, err := r.EntryHTML(c.tagArg())
	if c.fn == preloadFunc {
		want, err = r.PreloadHTML(c.tagArg())
	}
	if err != nil {
		t.Fatalf("the resolver's elements: %v", err)
	}
	if unbroken(raw) != unbroken(want) {
		fail(t, c, src, "output\n\t%q\nis not the resolver's, unchanged:\n\t%q", raw, want)
	}
}

// tagArg returns the path the case passes.
func (c *testCase) tagArg() string {
	if c.hasValue {
		return reflect.ValueOf(c.value).String()
	}
	return c.arg
}

// unbroken returns s without line breaks and the indentation after them.
func unbroken(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		b.WriteString(strings.TrimLeft(strings.TrimRight(line, "\r\n"), " \t"))
	}
	return b.String()
}

// parseTags returns the elements of raw as an HTML tokenizer reads them
// in a document's head. It fails on anything but <link> and <script>
// elements, white space between them, an empty script and an end tag
// closing it, and on an attribute given twice.
func parseTags(raw string) ([]wantTag, error) {
	var tags []wantTag
	z := html.NewTokenizer(strings.NewReader(raw))
	inScript := false
	for {
		tt := z.Next()
		tok := z.Token()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return nil, z.Err()
			}
			if inScript {
				return nil, errors.New("has a script element that does not end")
			}
			return tags, nil
		case html.TextToken:
			if strings.TrimSpace(tok.Data) != "" {
				return nil, fmt.Errorf("has the text %q outside an attribute", tok.Data)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if inScript {
				return nil, fmt.Errorf("has <%s> inside a script", tok.Data)
			}
			if tok.Data != "link" && tok.Data != "script" {
				return nil, fmt.Errorf("has a <%s> element", tok.Data)
			}
			w := wantTag{name: tok.Data, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				if _, ok := w.attrs[a.Key]; ok {
					return nil, fmt.Errorf("gives %s the attribute %s twice", w, a.Key)
				}
				w.attrs[a.Key] = a.Val
			}
			tags = append(tags, w)
			inScript = tok.Data == "script"
		case html.EndTagToken:
			if !inScript || tok.Data != "script" {
				return nil, fmt.Errorf("has the end tag </%s> out of place", tok.Data)
			}
			inScript = false
		default:
			return nil, fmt.Errorf("has the token %q", tok.String())
		}
	}
}

// diffTags returns the differences between the elements printed and those
// expected, or "".
func diffTags(got, want []wantTag) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			fmt.Fprintf(&b, "\n\tmissing %s", want[i])
		case i >= len(want):
			fmt.Fprintf(&b, "\n\tunexpected %s", got[i])
		case got[i].name != want[i].name || !maps.Equal(got[i].attrs, want[i].attrs):
			fmt.Fprintf(&b, "\n\t%s, want %s", got[i], want[i])
		}
	}
	return b.String()
}

// The elements of the entry cases, as a browser reads them, by the rules
// of core.Tag: integrity is "" where the manifest records none or the
// element carries none; cross is whether a stylesheet, at a URL naming a
// host, carries crossorigin with its integrity value.
func moduleTag(url, integrity string) wantTag {
	return wantTag{"script", attrs("type", "module", "src", url, "integrity", orAbsent(integrity))}
}

func modulePreloadTag(url, integrity string) wantTag {
	return wantTag{"link", attrs("rel", "modulepreload", "href", url, "integrity", orAbsent(integrity))}
}

func stylesheetTag(url, integrity string, cross bool) wantTag {
	return wantTag{"link", attrs("rel", "stylesheet", "href", url, "integrity", orAbsent(integrity), "crossorigin", flag(cross))}
}

func stylePreloadTag(url, integrity string, cross bool) wantTag {
	return wantTag{"link", attrs("rel", "preload", "href", url, "as", "style", "integrity", orAbsent(integrity), "crossorigin", flag(cross))}
}

func fontTag(url, typ string) wantTag {
	return wantTag{"link", attrs("rel", "preload", "href", url, "as", "font", "type", typ, "crossorigin", "")}
}

func imageTag(url string) wantTag {
	return wantTag{"link", attrs("rel", "preload", "href", url, "as", "image")}
}

func fetchTag(url string) wantTag {
	return wantTag{"link", attrs("rel", "preload", "href", url, "as", "fetch", "crossorigin", "")}
}

// orAbsent returns s, or absent if s is empty.
func orAbsent(s string) string {
	if s == "" {
		return absent
	}
	return s
}

// flag returns the value of a boolean attribute that is there if on.
func flag(on bool) string {
	if on {
		return ""
	}
	return absent
}

// graphModule and graphStyle return the elements of a graph file with
// its URL and integrity value.
func graphModule(name string) wantTag { return moduleTag(graphURL(name), graphIntegrity(name)) }

func graphModulePreload(name string) wantTag {
	return modulePreloadTag(graphURL(name), graphIntegrity(name))
}

func graphStyle(name string) wantTag {
	return stylesheetTag(graphURL(name), graphIntegrity(name), false)
}

// specialIntegrity is that of specialData, which the hostile cases'
// assets hold:
//
//	printf 'special\n' | openssl dgst -sha384 -binary | base64
const specialIntegrity = "sha384-J3vnk11P06VBtnnav7AHD3kvhsTU4y+IXiLljcctz/5LVsyjY3/YZHYo7+q5YkRi"

// URLs of the hostile cases' assets, percent-encoded by hand, each with
// the digest of specialData.
var (
	hostileEntryURL   = "/static/js/%20onload%3Dalert%281%29%20%26amp%3B-" + h12(specialSHA256) + ".js"
	hostileImportURL  = "/static/js/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E-" + h12(specialSHA256) + ".js"
	hostileMissingURL = "/static/js/%20onerror%3Dalert%281%29.js"
	hostileCSSURL     = "/static/css/%22%20onload%3D%22alert%281%29-" + h12(specialSHA256) + ".css"
	hostileQuotedURL  = "/static/js/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E-" + h12(specialSHA256) + ".js"
)

// viteManifest is a Vite build manifest as Vite's backend integration
// guide shows one: an entry with CSS, importing a shared chunk with CSS of
// its own, which imports a vendor chunk, and importing a lazy chunk
// dynamically.
const viteManifest = `{
  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "name": "shared", "imports": ["_vendor-CZ2Vx1bA.js"], "css": ["assets/shared-ChJ_j-JJ.css"]},
  "_vendor-CZ2Vx1bA.js": {"file": "assets/vendor-CZ2Vx1bA.js", "name": "vendor"},
  "src/main.ts": {"file": "assets/main-BRBmoGS9.js", "name": "main", "src": "src/main.ts", "isEntry": true, "imports": ["_shared-B7PI925R.js"], "dynamicImports": ["src/lazy.ts"], "css": ["assets/main-5UjPuW-k.css"]},
  "src/lazy.ts": {"file": "assets/lazy-Dk3Q9f1a.js", "name": "lazy", "src": "src/lazy.ts", "isDynamicEntry": true, "imports": ["_shared-B7PI925R.js"], "css": ["assets/lazy-4tCq9Bn2.css"]}
}`

// viteDevServer is the Vite dev server of the dev cases.
const viteDevServer = "http://localhost:5173/"

// runEntryConcurrent renders asset_entry and asset_preload of the case's
// argument from many goroutines at once, after one render alone, and
// checks every output.
func runEntryConcurrent(t *testing.T, e Engine, c *testCase) {
	arg := e.Literal(c.arg)
	src := fmt.Sprintf(entryPage, e.Call(entryFunc, arg)+e.Call(preloadFunc, arg))
	first, err := render(e, src, nil)
	if err != nil {
		fail(t, c, src, "Render failed: %v", err)
		return
	}
	raw, ok := action(t, c, entryPage, src, first)
	if !ok {
		return
	}
	if tags, err := parseTags(raw); err != nil || diffTags(tags, c.tags) != "" {
		fail(t, c, src, "the elements, as a browser parses them (%v), differ:%s\nraw output\n\t%q", err, diffTags(tags, c.tags), raw)
		return
	}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range renders {
				got, err := render(e, src, nil)
				if err != nil || got != first {
					fail(t, c, src, "a concurrent render gave %q, %v; the first gave %q", got, err, first)
					return
				}
			}
		})
	}
	wg.Wait()
}
