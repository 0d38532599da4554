package e2e_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"html/template"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// modulePage loads the entry module by its bare name, which only the
// import map resolves: nothing else in the page names js/app.js.
const modulePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>modules</title><link rel="icon" href="data:,">
{{ asset_importmap }}
<link rel="stylesheet" href="{{ asset_url "css/app.css" }}">
<script type="module">import "app";</script>
</head><body><h1>Modules</h1><img src="{{ asset_url "img/logo.png" }}" alt=""><p id="out"></p></body></html>
`

// The modules of the page: app.js imports util.js statically and lazy.js
// dynamically, and writes what they export into the DOM. It imports the
// scoped package @scope/pkg and js/a+b.js by URLs computed at run time,
// which no build can rewrite: only the import map's keys, spelled as the
// browser serializes those URLs ("@" and "+" as written), lead to their
// fingerprinted copies.
var moduleFiles = map[string]string{
	"js/app.js": `import { version } from "./util.js";

const out = document.getElementById("out");
out.dataset.version = version;
try {
  const { lazy } = await import("./lazy.js");
  out.dataset.lazy = lazy();
  const root = new URL("../", import.meta.url).pathname;
  const { scoped } = await import(root + ["@scope", "pkg", "index.js"].join("/"));
  const { plus } = await import(root + "js/" + ["a", "b"].join("+") + ".js");
  out.dataset.computed = scoped + " " + plus;
} catch (err) {
  out.dataset.error = String(err);
}
out.dataset.ready = "true";
`,
	"js/util.js":          "export const version = \"v1\";\n",
	"js/lazy.js":          "export function lazy() { return \"lazy\"; }\n",
	"@scope/pkg/index.js": "export const scoped = \"scoped\";\n",
	"js/a+b.js":           "export const plus = \"plus\";\n",
	"css/app.css":         "h1 { color: rgb(10, 20, 30); }\n",
}

// modulesReady waits until app.js has run to its end, dynamic import
// included, and the fonts are loaded.
const modulesReady = `new Promise((resolve, reject) => {
	const out = document.getElementById("out"), start = Date.now();
	(function check() {
		if (out.dataset.ready) resolve(true);
		else if (Date.now() - start > 10000) reject(new Error("the modules did not finish: " + out.outerHTML));
		else setTimeout(check, 20);
	})();
}).then(() => document.fonts.ready).then(() => true)`

// TestBrowserImportMap serves a page of ES modules, loaded through the
// import map of asset_importmap, from a fingerprint.Dir output with
// serve.NewHandler; changes the leaf module util.js, builds again and
// swaps the manifest; and checks that the new code runs, that util.js and
// app.js, which imports it, have new URLs, and that the other modules, the
// stylesheet and the image come from the browser's cache. The modules
// imported by computed URLs (a scoped package, a name with "+") load their
// fingerprinted copies through the import map, never the plain files. Then it records a
// wrong integrity value for lazy.js and checks that Chromium refuses it,
// as the import map's integrity section asks.
func TestBrowserImportMap(t *testing.T) {
	b := newBrowser(t)
	src, dist := t.TempDir(), t.TempDir()
	for name, data := range moduleFiles {
		writeFile(t, filepath.Join(src, name), data)
	}
	if err := os.MkdirAll(filepath.Join(src, "img"), 0o755); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(src, "img", "logo.png"), 8, 8)
	rebuild := func() *core.Manifest {
		t.Helper()
		res, err := fingerprint.Dir(context.Background(), src, dist, fingerprint.DirOptions{Options: fingerprint.Options{Integrity: "sha384"}, Keep: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Manifest
	}
	r, err := core.New(rebuild(), core.Options{Strict: true, Imports: map[string]string{"app": "js/app.js"}})
	if err != nil {
		t.Fatal(err)
	}
	base := serveModules(t, r, dist)
	if im, err := r.ImportMap(); err != nil {
		t.Fatal(err)
	} else {
		t.Logf("import map: %s", im)
	}

	first := assets(t, b.loadUntil(t, chromedp.Navigate(base+"/"), modulesReady))
	for _, name := range append(slices.Sorted(maps.Keys(moduleFiles)), "img/logo.png") {
		if _, ok := first[name]; !ok {
			t.Fatalf("first load: no fingerprinted URL of %s among %v", name, keys(first))
		}
	}
	checkModules(t, b, "before the edit", "v1")
	if got := eval[string](t, b, `getComputedStyle(document.querySelector("h1")).color`); got != "rgb(10, 20, 30)" {
		t.Errorf("h1 color = %s, want the stylesheet's rgb(10, 20, 30)", got)
	}

	writeFile(t, filepath.Join(src, "js", "util.js"), "export const version = \"v2\";\n")
	m := rebuild()
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	second := assets(t, b.loadUntil(t, chromedp.Reload(), modulesReady))
	checkModules(t, b, "after the edit", "v2")
	changed := []string{"js/util.js", "js/app.js"}
	unchanged := []string{"js/lazy.js", "@scope/pkg/index.js", "js/a+b.js", "css/app.css", "img/logo.png"}
	checkChanged(t, first, second, changed)
	if cached, absent := checkCached(t, first, second, unchanged); absent > 0 {
		t.Errorf("reload: %d of the unchanged %v not requested at all; loaded %v", absent, unchanged, keys(second))
	} else {
		t.Logf("after the edit: %d changed modules fetched with new URLs, %d unchanged assets from the browser's cache", len(changed), cached)
	}
	for _, name := range append(changed, unchanged...) {
		t.Logf("%s: %s → %s (from cache: %v)", name, first[name].URL, second[name].URL, second[name].FromCache)
	}

	// A wrong integrity value for lazy.js in the import map: Chromium must
	// refuse the module, from its cache or not.
	tampered := *m
	tampered.Assets = maps.Clone(m.Assets)
	lazy := tampered.Assets["js/lazy.js"]
	sum := sha512.Sum384([]byte("not the bytes of lazy.js"))
	lazy.Integrity = "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	tampered.Assets["js/lazy.js"] = lazy
	if err := r.Swap(&tampered); err != nil {
		t.Fatal(err)
	}
	b.loadUntil(t, chromedp.Reload(), modulesReady)
	if got := eval[string](t, b, `document.getElementById("out").dataset.lazy || ""`); got != "" {
		t.Errorf("with a wrong integrity value for lazy.js, lazy() ran and gave %q; want the import refused", got)
	}
	if got := eval[string](t, b, `document.getElementById("out").dataset.error || ""`); got == "" {
		t.Error("with a wrong integrity value for lazy.js, the dynamic import did not fail")
	} else {
		t.Logf("with a wrong integrity value, import(\"./lazy.js\") failed: %s", got)
	}
}

// serveModules serves the page and the assets of r, built into dist, on
// 127.0.0.1, and returns the base URL.
func serveModules(t *testing.T, r *core.Resolver, dist string) string {
	t.Helper()
	root, err := os.OpenRoot(dist)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	page := template.Must(template.New("page").Funcs(htmltemplate.Funcs(r)).Parse(modulePage))
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", serve.NewHandler(root.FS(), r, serve.Options{})))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if err := page.Execute(w, nil); err != nil {
			t.Errorf("render the page: %v", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// checkModules checks what the modules wrote into the page: util.js's
// version want, lazy.js's result, and no error.
func checkModules(t *testing.T, b *browser, when, want string) {
	t.Helper()
	if got := eval[string](t, b, `document.getElementById("out").dataset.version || ""`); got != want {
		t.Errorf("%s: util.js version = %q, want %q", when, got, want)
	}
	if got := eval[string](t, b, `document.getElementById("out").dataset.lazy || ""`); got != "lazy" {
		t.Errorf("%s: lazy() = %q, want %q", when, got, "lazy")
	}
	if got := eval[string](t, b, `document.getElementById("out").dataset.error || ""`); got != "" {
		t.Errorf("%s: the dynamic import failed: %s", when, got)
	}
	if got := eval[string](t, b, `document.getElementById("out").dataset.computed || ""`); got != "scoped plus" {
		t.Errorf("%s: the computed imports of @scope/pkg/index.js and js/a+b.js gave %q, want %q", when, got, "scoped plus")
	}
}

// writeFile writes data to name, making its directory.
func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
