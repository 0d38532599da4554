package e2e_test

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/realpart"
	"github.com/cachebust/cachebust/serve"
)

// viteVersion is the Vite the test builds with: 6 runs on the Node.js of
// Debian 12 (18) as on later ones.
const viteVersion = "6.4.6"

// viteProject is a small Vite project: two entries share a chunk that
// brings a stylesheet of its own; main.js has a stylesheet and imports a
// module dynamically, which must stay lazy.
var viteProject = map[string]string{
	"package.json": `{"name": "cachebust-e2e", "private": true, "type": "module", "devDependencies": {"vite": "` + viteVersion + `"}}` + "\n",
	"vite.config.js": `export default {
  base: "/build/",
  logLevel: "warn",
  build: { outDir: "dist", rollupOptions: { input: ["src/main.js", "src/admin.js"] } },
};
`,
	"src/main.js": `import { shared } from "./shared.js";
import "./main.css";

const out = document.getElementById("out");
out.dataset.shared = shared;
import("./lazy.js").then(({ lazy }) => {
  out.dataset.lazy = lazy;
  out.dataset.ready = "true";
});
`,
	"src/admin.js":   "import { shared } from \"./shared.js\";\n\ndocument.title = shared;\n",
	"src/shared.js":  "import \"./shared.css\";\n\nexport const shared = \"shared\";\n",
	"src/shared.css": "p { margin-left: 3px; }\n",
	"src/main.css":   "h1 { color: rgb(1, 2, 3); }\n",
	"src/lazy.js":    "export const lazy = \"lazy\";\n",
}

// vitePage loads the entry src/main.js through asset_entry.
const vitePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>vite</title><link rel="icon" href="data:,">
{{ asset_entry "src/main.js" }}
</head><body><h1>Vite</h1><p id="out"></p></body></html>
`

// viteReady waits until main.js has run to its end, dynamic import
// included.
const viteReady = `new Promise((resolve, reject) => {
	const out = document.getElementById("out"), start = Date.now();
	(function check() {
		if (out.dataset.ready) resolve(true);
		else if (Date.now() - start > 10000) reject(new Error("main.js did not finish: " + out.outerHTML));
		else setTimeout(check, 20);
	})();
})`

// TestViteBuild builds a Vite project for real (npm install vite, vite
// build --manifest), reads its manifest with core.ReadViteManifestFS,
// and checks that Resolver.Entry gives for its entry exactly the tags
// Vite's backend integration guide prescribes, computed here from the
// manifest as the guide does: a stylesheet for the entry's CSS and for
// that of every chunk it imports statically, the entry's script, and a
// modulepreload for every such chunk; nothing for the dynamic import.
// Then it serves the output with serve.NewHandler and a page whose head
// is asset_entry's, and loads it in Chromium: the modules run, both
// stylesheets apply, and no request fails.
//
// It needs Node.js and npm, and the npm registry or npm's cache
// (~/.npm), and is skipped without node and npm, unless CI is set.
func TestViteBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("Vite build skipped in -short mode")
	}
	for _, cmd := range []string{"node", "npm"} {
		if _, err := exec.LookPath(cmd); err != nil {
			realpart.Missing(t, "Node.js and npm", cmd+" not found on PATH", "apt-get install nodejs npm")
		}
	}
	dir := t.TempDir()
	for name, data := range viteProject {
		writeFile(t, filepath.Join(dir, name), data)
	}
	// --prefer-offline takes what npm's cache holds without asking the
	// registry; install scripts are not needed (esbuild's binary comes
	// as a package of its own).
	run(t, dir, 3*time.Minute, "npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--loglevel=error")
	run(t, dir, time.Minute, "npx", "--no-install", "vite", "build", "--manifest")

	dist := os.DirFS(filepath.Join(dir, "dist"))
	v, err := core.ReadViteManifestFS(dist, core.ViteManifestName)
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/build/", Strict: true})
	if err != nil {
		t.Fatal(err)
	}

	tags, err := r.Entry("src/main.js")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tag := range tags {
		got = append(got, tag.Rel+" "+tag.URL)
	}
	want := viteGuideTags(t, v, "/build/", "src/main.js")
	if !slices.Equal(got, want) {
		t.Errorf("Entry(src/main.js) = \n\t%s\nwant, as Vite's guide prescribes,\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	if n := len(v["src/main.js"].Imports); n == 0 {
		t.Errorf("the build has no shared chunk for main.js to import; manifest: %v", v)
	}
	html, err := r.EntryHTML("src/main.js")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("asset_entry \"src/main.js\":\n%s", html)

	root, err := os.OpenRoot(filepath.Join(dir, "dist"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	page := template.Must(template.New("page").Funcs(template.FuncMap{
		"asset_entry": func(name string) (template.HTML, error) {
			s, err := r.EntryHTML(name)
			return template.HTML(s), err
		},
	}).Parse(vitePage))
	mux := http.NewServeMux()
	mux.Handle("/build/", http.StripPrefix("/build", serve.NewHandler(root.FS(), r, serve.Options{})))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := page.Execute(w, nil); err != nil {
			t.Errorf("render the page: %v", err)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := newBrowser(t)
	xs := b.loadUntil(t, chromedp.Navigate(srv.URL+"/"), viteReady)
	requested := map[string]int{}
	for _, x := range xs {
		if strings.HasPrefix(x.URL, "data:") {
			continue
		}
		requested[strings.TrimPrefix(x.URL, srv.URL)]++
		if x.Failed != "" || x.Status != http.StatusOK {
			t.Errorf("GET %s: status %d, %s", x.URL, x.Status, x.Failed)
		}
	}
	for _, file := range []string{v["src/main.js"].File, v["src/lazy.js"].File} {
		if requested["/build/"+file] == 0 {
			t.Errorf("%s not requested; requested %v", file, requested)
		}
	}
	for expr, want := range map[string]string{
		`document.getElementById("out").dataset.shared`:                    "shared",
		`document.getElementById("out").dataset.lazy`:                      "lazy",
		`getComputedStyle(document.querySelector("h1")).color`:             "rgb(1, 2, 3)",
		`getComputedStyle(document.getElementById("out")).marginLeft`:      "3px",
		`String(document.querySelectorAll("link[rel=stylesheet]").length)`: "2",
	} {
		if got := eval[string](t, b, expr); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
	t.Logf("requests: %v", requested)
}

// viteGuideTags returns, as "rel URL", the tags Vite's backend
// integration guide (https://vite.dev/guide/backend-integration) has a
// server print for the entry name of manifest v served under prefix: a
// stylesheet for each CSS file of the entry, then of each chunk it
// imports statically (importedChunks: depth first, each chunk after the
// chunks it imports, each once), the entry's module script, and a
// modulepreload for each of those chunks.
func viteGuideTags(t *testing.T, v core.ViteManifest, prefix, name string) []string {
	t.Helper()
	entry, ok := v[name]
	if !ok {
		t.Fatalf("no %s in the Vite manifest", name)
	}
	seen := map[string]bool{}
	var imported func(c core.ViteChunk) []core.ViteChunk
	imported = func(c core.ViteChunk) []core.ViteChunk {
		var out []core.ViteChunk
		for _, key := range c.Imports {
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, imported(v[key])...)
			out = append(out, v[key])
		}
		return out
	}
	chunks := imported(entry)
	var tags []string
	for _, css := range entry.CSS {
		tags = append(tags, "stylesheet "+prefix+css)
	}
	for _, c := range chunks {
		for _, css := range c.CSS {
			tags = append(tags, "stylesheet "+prefix+css)
		}
	}
	tags = append(tags, "script "+prefix+entry.File)
	for _, c := range chunks {
		tags = append(tags, "modulepreload "+prefix+c.File)
	}
	return tags
}

// run runs the command name in dir, failing the test with its output if
// it fails or takes longer than limit.
func run(t *testing.T, dir string, limit time.Duration, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s: %v", name, strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
}
