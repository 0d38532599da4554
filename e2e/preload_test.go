package e2e_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// The page of TestBrowserPreload: entry.js imports a.js, which imports
// b.js, which imports c.js, which imports d.js: a graph four imports
// deep, whose modules a browser discovers one round trip after the other
// unless told of them ahead; the stylesheet
// names a font, which the browser discovers only once the stylesheet has
// arrived and the text needs it.
var graphFiles = map[string]string{
	"js/entry.js": `import { a } from "./a.js";

document.getElementById("out").textContent = a;
window.__ran = performance.now();
`,
	"js/a.js": "import { b } from \"./b.js\";\n\nexport const a = \"a\" + b;\n",
	"js/b.js": "import { c } from \"./c.js\";\n\nexport const b = \"b\" + c;\n",
	"js/c.js": "import { d } from \"./d.js\";\n\nexport const c = \"c\" + d;\n",
	"js/d.js": "export const d = \"d\";\n",
	"css/app.css": `@font-face {
  font-family: "Graph";
  src: url("../fonts/graph.woff2") format("woff2");
  font-display: block;
}
h1 { font-family: "Graph", sans-serif; }
`,
}

// graphAssets are the assets the page must load, each exactly once.
var graphAssets = []string{"js/entry.js", "js/a.js", "js/b.js", "js/c.js", "js/d.js", "css/app.css", "fonts/graph.woff2"}

// graphEntries are the names the page's tags and Early Hints are made of.
var graphEntries = []string{"js/entry.js", "css/app.css", "fonts/graph.woff2"}

// graphPage is the page around the tags of a variant: a classic script
// first notes when a font has loaded; entry.js notes when it has run,
// after the modules it imports.
const graphPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>graph</title><link rel="icon" href="data:,">
<script>document.fonts.addEventListener("loadingdone", () => { window.__font = performance.now(); });</script>
%s
%s
</head><body><h1>Graph</h1><p id="out"></p></body></html>
`

// graphReady resolves to true once entry.js has run and the font has
// loaded.
const graphReady = `new Promise((resolve, reject) => {
	const start = Date.now();
	(function check() {
		if (window.__ran !== undefined && window.__font !== undefined) resolve(true);
		else if (Date.now() - start > 15000) reject(new Error("the page did not finish: ran " + window.__ran + ", font " + window.__font));
		else setTimeout(check, 5);
	})();
})`

// graphResult gives, once graphReady has resolved, the times when
// entry.js ran, the font loaded and the HTML's final response began, in
// milliseconds since the navigation started, and what the page shows.
const graphResult = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	return JSON.stringify({
		ran: window.__ran, font: window.__font,
		firstByte: nav.finalResponseHeadersStart || nav.responseStart,
		out: document.getElementById("out").textContent,
		fontLoaded: document.fonts.check('16px "Graph"'),
	});
})()`

// Network conditions of TestBrowserPreload.
const (
	// rtt is the round trip time the server's listener adds to every
	// connection, half on the way in and half on the way out.
	rtt = 100 * time.Millisecond
	// slowPage is how long the slow page handler thinks before it writes
	// the HTML.
	slowPage = 300 * time.Millisecond
	// repetitions of each variant, interleaved, after a warm-up round.
	repetitions = 9
)

// graphVariant is one way to write the page.
type graphVariant struct {
	name  string
	tags  func(t *testing.T, r *core.Resolver) string
	slow  bool // the page handler waits slowPage before it answers
	hints bool // serve.EarlyHints sends a 103 for graphEntries first
}

// graphTiming is what one load of a variant measured.
type graphTiming struct {
	Ran, Font, FirstByte float64 // ms since the navigation started
	Out                  string
	FontLoaded           bool
	// AssetBeforeHTML is how long before the page handler began to write
	// the HTML the requests of the entry module and the stylesheet had
	// both reached the server, in ms (negative: after).
	AssetBeforeHTML float64
}

// done is when the page was ready: its modules had run and its font had
// loaded.
func (g graphTiming) done() float64 { return max(g.Ran, g.Font) }

// TestBrowserPreload measures, in headless Chromium over HTTP/2 with TLS
// and a 100 ms round trip, how long a page takes until the deepest of its
// modules, four imports below the entry, has run and its font has
// loaded, written three ways, interleaved over several repetitions: with the import map only,
// with the tags of Resolver.Entry and Resolver.Preload, and with those
// tags and serve.EarlyHints in front of a page handler that takes 300 ms
// (beside the same slow handler without Early Hints, to compare). Each
// load uses a new server on a new port: a cold connection and an empty
// cache for the page's origin. It checks that every asset was requested
// exactly once (a preload the page's request does not match would be
// fetched twice) and that no request failed, and reports the median
// times and their ratios.
//
// Targets: the entry's tags make the page ready at least 2× sooner than
// the import map alone, counted from the HTML's first byte (before it,
// the connection and the HTML's own round trip cost both pages the same,
// 200 ms here, which caps the ratio from the navigation's start); with Early Hints the requests of the entry module
// and the stylesheet reach the server before the page handler writes the
// HTML, so they left the browser before the HTML's first byte arrived.
//
// The round trip is the server's (delayListener), not Chromium's network
// emulation: Network.emulateNetworkConditionsByRule's latency is a
// minimum time from a request to its response headers, which a page
// handler slower than it hides entirely (the slow page's HTML came after
// 300 ms, not 400), and the requests that Early Hints start are made by
// the browser process, outside the tab's Network events.
func TestBrowserPreload(t *testing.T) {
	dist, r := buildGraph(t)
	spki := certSPKI(t)
	b := newBrowser(t, chromedp.Flag("ignore-certificate-errors-spki-list", spki))
	assetsHandler := serve.NewHandler(mustRoot(t, dist), r, serve.Options{})

	importMap, err := r.ImportMap()
	if err != nil {
		t.Fatal(err)
	}
	entryTags := func(t *testing.T, r *core.Resolver) string {
		var out []string
		for _, name := range graphEntries[:2] {
			html, err := r.EntryHTML(name)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, html)
		}
		html, err := r.PreloadHTML(graphEntries[2])
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(append(out, html), "\n")
	}
	variants := []graphVariant{
		{name: "import map", tags: func(t *testing.T, r *core.Resolver) string {
			return fmt.Sprintf("<link rel=\"stylesheet\" href=\"%s\">\n<script type=\"module\" src=\"%s\"></script>", mustURL(t, r, "css/app.css"), mustURL(t, r, "js/entry.js"))
		}},
		{name: "entry tags", tags: entryTags},
		{name: "entry tags, slow page", tags: entryTags, slow: true},
		{name: "entry tags, slow page, Early Hints", tags: entryTags, slow: true, hints: true},
	}
	times := make([][]graphTiming, len(variants))
	for rep := -1; rep < repetitions; rep++ { // a warm-up round first, not counted
		for i := range variants {
			k := (i + max(rep, 0)) % len(variants) // a different variant first each round
			v := variants[k]
			page := fmt.Sprintf(graphPage, importMap, v.tags(t, r))
			g := loadGraph(t, b, r, assetsHandler, v, page)
			if rep >= 0 {
				times[k] = append(times[k], g)
			}
		}
	}

	// Each comparison is the median of its ratios within each round,
	// whose loads ran one after the other, so that the machine's load,
	// which drifts, weighs on both sides alike.
	total := func(g graphTiming) float64 { return g.done() }
	afterHTML := func(g graphTiming) float64 { return g.done() - g.FirstByte }
	median := func(xs []float64) float64 {
		xs = slices.Sorted(slices.Values(xs))
		return xs[len(xs)/2]
	}
	series := func(k int, f func(graphTiming) float64) []float64 {
		var xs []float64
		for _, g := range times[k] {
			xs = append(xs, f(g))
		}
		return xs
	}
	ratios := func(slow, fast int, f func(graphTiming) float64) (med, lo, hi float64) {
		var xs []float64
		for i := range times[slow] {
			xs = append(xs, f(times[slow][i])/f(times[fast][i]))
		}
		return median(xs), slices.Min(xs), slices.Max(xs)
	}
	for k, v := range variants {
		t.Logf("%-36s ready %4.0f ms after the navigation started, %4.0f ms after the HTML's first byte (medians of %d)",
			v.name, median(series(k, total)), median(series(k, afterHTML)), len(times[k]))
	}
	plain, entry, slow, hinted := 0, 1, 2, 3
	afterMed, afterLo, afterHi := ratios(plain, entry, afterHTML)
	totalMed, totalLo, totalHi := ratios(plain, entry, total)
	t.Logf("entry tags vs import map: %.2f× sooner after the HTML's first byte (rounds %.2f–%.2f), %.2f× from the navigation's start (%.2f–%.2f)",
		afterMed, afterLo, afterHi, totalMed, totalLo, totalHi)
	ehMed, ehLo, ehHi := ratios(slow, hinted, total)
	ehAfterMed, ehAfterLo, ehAfterHi := ratios(slow, hinted, afterHTML)
	t.Logf("Early Hints vs entry tags, both with a page handler of %v: %.2f× sooner from the navigation's start (rounds %.2f–%.2f), %.2f× after the HTML's first byte (%.2f–%.2f)",
		slowPage, ehMed, ehLo, ehHi, ehAfterMed, ehAfterLo, ehAfterHi)
	t.Logf("Early Hints: the requests of the entry module and the stylesheet reached the server %.0f ms before the page handler wrote the HTML (median)",
		median(series(hinted, func(g graphTiming) float64 { return g.AssetBeforeHTML })))
	t.Logf("load average %s", loadAverage())

	if afterMed < 2 {
		t.Errorf("entry tags: ready %.2f× sooner than with the import map alone after the HTML's first byte, want at least 2×", afterMed)
	}
	for i, g := range times[hinted] {
		if g.AssetBeforeHTML <= 0 {
			t.Errorf("Early Hints, load %d: the requests of the entry module and the stylesheet reached the server %.0f ms after the page handler wrote the HTML, want before", i+1, -g.AssetBeforeHTML)
		}
	}
}

// loadAverage returns the machine's load averages over 1, 5 and 15
// minutes, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// buildGraph writes the page's sources, builds them with fingerprint.Dir
// into a temporary directory and returns it with a Resolver for it.
func buildGraph(t *testing.T) (string, *core.Resolver) {
	t.Helper()
	src, dist := t.TempDir(), t.TempDir()
	for name, data := range graphFiles {
		writeFile(t, filepath.Join(src, name), data)
	}
	font, err := os.ReadFile("../examples/site/static/fonts/bootstrap-icons.woff2")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(src, "fonts", "graph.woff2"), string(font))
	res, err := fingerprint.Dir(context.Background(), src, dist, fingerprint.DirOptions{Options: fingerprint.Options{Integrity: "sha384"}, Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(res.Manifest, core.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	// The build must have recorded the graph, or the entry's tags have
	// nothing to preload.
	tags, err := r.Entry("js/entry.js")
	if err != nil {
		t.Fatal(err)
	}
	var preloads []string
	for _, tag := range tags {
		if tag.Rel == "modulepreload" {
			preloads = append(preloads, tag.URL)
		}
	}
	if len(preloads) != 4 {
		t.Fatalf("Entry(js/entry.js) preloads %q, want a.js, b.js, c.js and d.js: the build did not record the module graph", preloads)
	}
	return dist, r
}

// loadGraph serves page, the variant v, and the assets from a new server
// on a new port, loads it in b, checks the load and returns its timing.
func loadGraph(t *testing.T, b *browser, r *core.Resolver, assets http.Handler, v graphVariant, page string) graphTiming {
	t.Helper()
	var (
		mu   sync.Mutex
		hits = map[string]int{}
		// When each asset's first request arrived and when the page
		// handler began to write the HTML, on the server's clock.
		arrived     = map[string]time.Time{}
		htmlWritten time.Time
	)
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		hits[req.URL.Path]++
		if _, ok := arrived[req.URL.Path]; !ok {
			arrived[req.URL.Path] = time.Now()
		}
		mu.Unlock()
		assets.ServeHTTP(w, req)
	})))
	var pageHandler http.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if v.slow {
			select {
			case <-time.After(slowPage):
			case <-req.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		mu.Lock()
		htmlWritten = time.Now()
		mu.Unlock()
		fmt.Fprint(w, page)
	})
	if v.hints {
		pageHandler = serve.EarlyHints(r, graphEntries...)(pageHandler)
	}
	mux.Handle("GET /{$}", pageHandler)
	srv := httptest.NewUnstartedServer(mux)
	srv.EnableHTTP2 = true
	srv.Listener = delayListener{Listener: srv.Listener, oneWay: rtt / 2}
	srv.StartTLS()
	defer srv.Close()

	xs := b.loadUntil(t, chromedp.Navigate(srv.URL+"/"), graphReady)
	var g graphTiming
	if err := json.Unmarshal([]byte(eval[string](t, b, graphResult)), &g); err != nil {
		t.Fatal(err)
	}
	if g.Out != "abcd" || !g.FontLoaded {
		t.Errorf("%s: entry.js wrote %q, want %q; font loaded: %v", v.name, g.Out, "abcd", g.FontLoaded)
	}

	for _, x := range xs {
		if strings.HasPrefix(x.URL, "data:") {
			continue
		}
		if x.Failed != "" || x.Status != http.StatusOK {
			t.Errorf("%s: GET %s: status %d, %s", v.name, x.URL, x.Status, x.Failed)
		}
		if x.Protocol != "h2" && !x.FromCache {
			t.Errorf("%s: GET %s over %q, want h2", v.name, x.URL, x.Protocol)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	// A request left the browser before it arrived, and the HTML
	// reached the browser after it was written: an asset request that
	// arrived before the HTML was written was sent before the HTML's
	// first byte reached the browser. The later of the entry module's
	// and the stylesheet's requests counts.
	entryAt := arrived[strings.TrimPrefix(mustURL(t, r, "js/entry.js"), "/static")]
	cssAt := arrived[strings.TrimPrefix(mustURL(t, r, "css/app.css"), "/static")]
	if entryAt.IsZero() || cssAt.IsZero() {
		g.AssetBeforeHTML = math.Inf(-1) // not requested at all, which the counts below report
	} else {
		last := entryAt
		if cssAt.After(last) {
			last = cssAt
		}
		g.AssetBeforeHTML = float64(htmlWritten.Sub(last)) / float64(time.Millisecond)
	}
	var want []string
	for _, name := range graphAssets {
		u := mustURL(t, r, name)
		p := strings.TrimPrefix(u, "/static")
		want = append(want, p)
		if n := hits[p]; n != 1 {
			t.Errorf("%s: %s (%s) requested %d times, want exactly once", v.name, name, u, n)
		}
	}
	for p := range hits {
		if !slices.Contains(want, p) {
			t.Errorf("%s: unexpected request for /static%s", v.name, p)
		}
	}
	return g
}

// certSPKI returns the base64 SHA-256 of the public key of the
// certificate httptest's TLS servers present, which Chromium accepts when
// given it in --ignore-certificate-errors-spki-list.
func certSPKI(t *testing.T) string {
	t.Helper()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	sum := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func mustURL(t *testing.T, r *core.Resolver, name string) string {
	t.Helper()
	u, err := r.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustRoot(t *testing.T, dir string) fs.FS {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root.FS()
}
