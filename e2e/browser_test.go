package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

// The computed colour of the page's h1 before and after the edit.
const (
	h1Color    = `getComputedStyle(document.querySelector("h1")).color`
	newH1Color = "rgb(192, 48, 48)"
	newH1Rule  = "\nh1 { color: rgb(192, 48, 48); }\n"
)

// TestBrowserFiber runs examples/fiber over a build of a copy of
// examples/site/static, then changes the stylesheet that app.css imports
// and the hero image, builds again and signals the server to reload the
// manifest.
func TestBrowserFiber(t *testing.T) {
	b := newBrowser(t)
	src, dist := t.TempDir(), t.TempDir()
	if err := os.CopyFS(src, os.DirFS("../examples/site/static")); err != nil {
		t.Fatal(err)
	}
	build := func() {
		if _, err := fingerprint.Dir(context.Background(), src, dist, fingerprint.DirOptions{Options: fingerprint.Options{Exclude: []string{"*.scss"}}, Keep: fingerprint.DefaultKeep}); err != nil {
			t.Fatal(err)
		}
	}
	build()
	views, err := filepath.Abs("../examples/site/templates")
	if err != nil {
		t.Fatal(err)
	}
	base, proc := startExample(t, "examples/fiber", "-dir", dist, "-views", views)
	testBusting(t, b, site{
		page:      base + "/",
		changed:   []string{"css/app.css", "css/theme.css", "img/hero.png"},
		unchanged: []string{"js/app.js", "fonts/bootstrap-icons.woff2", "img/pattern.png"},
		image:     `document.querySelector("img").naturalWidth`,
		newWidth:  32,
		edit: func(t *testing.T) {
			appendFile(t, filepath.Join(src, "css", "theme.css"), newH1Rule)
			writePNG(t, filepath.Join(src, "img", "hero.png"), 32, 16)
			build()
			if err := proc.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
		},
	})
}

// TestBrowserNetHTTP runs examples/nethttp in dev mode over a copy of its
// assets, then changes its stylesheet and the background image the
// stylesheet names; dev mode notices by itself.
func TestBrowserNetHTTP(t *testing.T) {
	b := newBrowser(t)
	static := t.TempDir()
	if err := os.CopyFS(static, os.DirFS("../examples/nethttp/static")); err != nil {
		t.Fatal(err)
	}
	base, _ := startExample(t, "examples/nethttp", "-dev", static)
	testBusting(t, b, site{
		page:      base + "/",
		changed:   []string{"css/site.css", "img/bg.png"},
		unchanged: []string{"js/site.js", "fonts/display.woff2", "img/logo.svg"},
		// The body's background, loaded again from the URL the computed
		// style gives.
		image: `new Promise((resolve, reject) => {
			const img = new Image();
			img.onload = () => resolve(img.naturalWidth);
			img.onerror = () => reject(new Error("cannot load " + img.src));
			img.src = getComputedStyle(document.body).backgroundImage.match(/url\("(.*)"\)/)[1];
		})`,
		newWidth: 16,
		edit: func(t *testing.T) {
			appendFile(t, filepath.Join(static, "css", "site.css"), newH1Rule)
			writePNG(t, filepath.Join(static, "img", "bg.png"), 16, 16)
		},
	})
}

// site describes an example for testBusting.
type site struct {
	page string
	// changed are the logical names of the assets whose URLs the edit
	// changes; unchanged, those the browser must take from its cache
	// after the edit.
	changed, unchanged []string
	// image is a JavaScript expression giving the natural width of the
	// image the edit replaces, as the page shows it, and newWidth that
	// width after the edit.
	image    string
	newWidth int
	// edit changes a CSS rule and the image, so that h1 turns newH1Color,
	// and has the server notice.
	edit func(t *testing.T)
}

// testBusting loads the page, edits the site, reloads the page, and checks
// that the browser shows the edit and took every unchanged asset from its
// cache.
func testBusting(t *testing.T, b *browser, s site) {
	first := assets(t, b.load(t, chromedp.Navigate(s.page)))
	for _, name := range append(s.changed, s.unchanged...) {
		if _, ok := first[name]; !ok {
			t.Fatalf("first load: no fingerprinted URL of %s among %v", name, keys(first))
		}
	}
	oldColor, oldWidth := eval[string](t, b, h1Color), eval[int](t, b, s.image)
	if oldColor == newH1Color || oldWidth == s.newWidth {
		t.Fatalf("before the edit, h1 color %s and image width %d already have the values the edit gives", oldColor, oldWidth)
	}

	s.edit(t)
	waitForNewStylesheet(t, s.page, first)
	second := assets(t, b.load(t, chromedp.Reload()))

	if got := eval[string](t, b, h1Color); got != newH1Color {
		t.Errorf("after the edit, h1 color = %s, want %s (was %s)", got, newH1Color, oldColor)
	}
	if got := eval[int](t, b, s.image); got != s.newWidth {
		t.Errorf("after the edit, image width = %d, want %d (was %d)", got, s.newWidth, oldWidth)
	}
	checkChanged(t, first, second, s.changed)
	cached, absent := checkCached(t, first, second, s.unchanged)
	t.Logf("first load: %d fingerprinted assets from the server; after the edit: %d changed assets fetched with new URLs, %d unchanged from the browser's cache, %d not requested at all",
		len(first), len(s.changed), cached, absent)
}

// checkChanged checks that every asset of changed was loaded again after
// the edit, at a new URL, from the server.
func checkChanged(t *testing.T, first, second map[string]exchange, changed []string) {
	t.Helper()
	for _, name := range changed {
		x, ok := second[name]
		switch {
		case !ok:
			t.Errorf("reload: %s not loaded; loaded %v", name, keys(second))
		case x.URL == first[name].URL:
			t.Errorf("reload: %s URL %s unchanged after the edit", name, x.URL)
		case x.FromCache:
			t.Errorf("reload: %s came from the browser's cache, want from the server", x.URL)
		}
	}
}

// checkCached checks that every asset of unchanged that was loaded after
// the edit kept its URL and came from the browser's cache, and returns how
// many did and how many were not requested at all.
func checkCached(t *testing.T, first, second map[string]exchange, unchanged []string) (cached, absent int) {
	t.Helper()
	for _, name := range unchanged {
		x, ok := second[name]
		switch {
		case !ok:
			absent++
		case x.URL != first[name].URL:
			t.Errorf("reload: unchanged %s has a new URL %s, was %s", name, x.URL, first[name].URL)
		case !x.FromCache:
			t.Errorf("reload: unchanged %s was fetched from the server again, want from the browser's cache", x.URL)
		default:
			cached++
		}
	}
	return cached, absent
}

var hashedPath = regexp.MustCompile(`^/static/(.+)-[0-9a-f]{12}(\.[a-z0-9]+)$`)

// assets checks the exchanges of a load: none failed or got a 4xx or 5xx,
// and every fingerprinted URL came with CacheImmutable. It returns the
// fingerprinted ones by logical name.
func assets(t *testing.T, xs []exchange) map[string]exchange {
	t.Helper()
	out := map[string]exchange{}
	for _, x := range xs {
		if x.Failed != "" || x.Status >= 400 || x.Status == 0 {
			t.Errorf("GET %s: status %d, %s", x.URL, x.Status, x.Failed)
			continue
		}
		i := strings.Index(x.URL, "/static/")
		if i < 0 {
			continue
		}
		m := hashedPath.FindStringSubmatch(x.URL[i:])
		if m == nil {
			t.Errorf("GET %s: not a fingerprinted URL", x.URL)
			continue
		}
		if x.CacheControl != serve.CacheImmutable {
			t.Errorf("GET %s: Cache-Control %q, want %q", x.URL, x.CacheControl, serve.CacheImmutable)
		}
		// The resolver's URLs percent-encode "@", "+" and the like.
		name, err := url.PathUnescape(m[1] + m[2])
		if err != nil {
			t.Errorf("GET %s: %v", x.URL, err)
			continue
		}
		out[name] = x
	}
	return out
}

var stylesheetLink = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)

// waitForNewStylesheet fetches the page until it links a stylesheet other
// than the one the browser loaded first: the server has noticed the edit.
func waitForNewStylesheet(t *testing.T, page string, first map[string]exchange) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(page)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		m := stylesheetLink.FindSubmatch(body)
		if m == nil {
			t.Fatalf("GET %s: no stylesheet link in\n%s", page, body)
		}
		fresh := true
		for _, x := range first {
			fresh = fresh && !strings.HasSuffix(x.URL, string(m[1]))
		}
		if fresh {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still links %s 20s after the edit", page, m[1])
		}
	}
}

// startExample builds the example package pkg (relative to the module
// root), runs it on 127.0.0.1 with a port of its choice and the flags args,
// and returns its base URL and process. The test's cleanup stops it.
func startExample(t *testing.T, pkg string, args ...string) (string, *os.Process) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), path.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/cachebust/cachebust/"+pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var (
		mu     sync.Mutex
		output bytes.Buffer
	)
	addr := make(chan string, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		serving := regexp.MustCompile(`serving on (http://\S+)/`)
		for sc := bufio.NewScanner(stderr); sc.Scan(); {
			mu.Lock()
			output.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-read
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", pkg, output.String())
		}
	})
	select {
	case base := <-addr:
		return base, cmd.Process
	case <-read:
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%s exited before serving:\n%s", pkg, output.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start serving within 30s", pkg)
	}
	return "", nil
}

func appendFile(t *testing.T, name, s string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writePNG replaces the file name with a w×h PNG of one colour, through a
// rename, as editors save: a page loaded meanwhile sees the old or the new
// image, never a half-written one (which dev mode would serve, correctly,
// with a revalidating cache rather than as immutable).
func writePNG(t *testing.T, name string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: 192, G: 48, B: 48, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".new") // a dotfile: never an asset
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string]exchange) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
