package e2e_test

import (
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cachebust/cachebust/internal/realpart"
)

// chromium returns the path of the chromium command. Without one it skips
// the test and names it in the package's summary line, or fails it under
// CI, which installs Chromium (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	realpart.Missing(t, "Chromium", "chromium not found on PATH", "apt-get install chromium")
	return ""
}

// exchange is what the browser reported of one request.
type exchange struct {
	URL          string
	Status       int64
	CacheControl string
	// FromCache is set when the browser answered the request itself, from
	// its memory cache (Network.requestServedFromCache) or its disk cache
	// (Response.fromDiskCache), without asking the server.
	FromCache bool
	Done      bool
	Failed    string // Network.loadingFailed's errorText
	// Sent is when the browser sent the request, Responded when the
	// headers of its final response arrived, on the browser's monotonic
	// clock (Network.requestWillBeSent and Network.responseReceived).
	Sent, Responded float64
	Protocol        string // the response's protocol, such as "h2"
	Initiator       string // what started the request, such as "parser" or "script"
}

// browser is a headless Chromium with one tab, recording the network
// exchanges of each page load.
type browser struct {
	ctx context.Context

	mu  sync.Mutex
	log map[network.RequestID]*exchange
	ids []network.RequestID // in the order the requests were sent
}

// newBrowser starts Chromium with a fresh profile and the extra options,
// if any; the test's cleanup stops it.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// Without these, Chromium on a closed network spends seconds on
		// connections that never succeed.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser() // closes the tab and the browser, and waits for it
		cancelAlloc()
		cancel()
	})
	b := &browser{ctx: bctx, log: map[network.RequestID]*exchange{}}
	if err := chromedp.Listen(bctx, b.record); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	return b
}

// record runs on chromedp's reading goroutine: it only files the event.
func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Only the events that name a URL start an exchange: the others may
	// belong to a request of the previous load.
	get := func(id network.RequestID, start bool) *exchange {
		x := b.log[id]
		if x == nil {
			x = &exchange{}
			if start {
				b.log[id] = x
				b.ids = append(b.ids, id)
			}
		}
		return x
	}
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		x := get(ev.RequestID, true)
		x.URL = ev.Request.URL
		x.Sent = ev.Timestamp.Float64()
		if ev.Initiator != nil {
			x.Initiator = string(ev.Initiator.Type)
		}
	case *network.EventRequestServedFromCache:
		get(ev.RequestID, false).FromCache = true
	case *network.EventResponseReceived:
		x := get(ev.RequestID, true)
		x.URL = ev.Response.URL
		x.Status = ev.Response.Status
		x.Protocol = ev.Response.Protocol
		x.Responded = ev.Timestamp.Float64()
		x.FromCache = x.FromCache || ev.Response.FromDiskCache
		for k, v := range ev.Response.Headers {
			if s, ok := v.(string); ok && strings.EqualFold(k, "Cache-Control") {
				x.CacheControl = s
			}
		}
	case *network.EventLoadingFinished:
		get(ev.RequestID, false).Done = true
	case *network.EventLoadingFailed:
		x := get(ev.RequestID, false)
		x.Done = true
		x.Failed = ev.ErrorText
	}
}

// fontsReady is a JavaScript expression whose promise resolves when the
// page's fonts are loaded.
const fontsReady = `document.fonts.ready.then(() => true)`

// load runs the navigation nav (Navigate or Reload), waits until the page,
// its fonts and every request it made are done, and returns the exchanges
// of that load, in the order the requests were sent.
func (b *browser) load(t *testing.T, nav chromedp.Action[chromedp.Void]) []exchange {
	t.Helper()
	return b.loadUntil(t, nav, fontsReady)
}

// loadUntil is load, waiting after the load event for the promise of the
// JavaScript expression ready, such as the end of a module's dynamic
// imports, before it waits for the requests.
func (b *browser) loadUntil(t *testing.T, nav chromedp.Action[chromedp.Void], ready string) []exchange {
	t.Helper()
	b.mu.Lock()
	clear(b.log)
	b.ids = nil
	b.mu.Unlock()
	if err := chromedp.Do(b.ctx, nav); err != nil {
		t.Fatalf("load page: %v", err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](ready, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("wait for %s: %v", ready, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b.mu.Lock()
		done := true
		out := make([]exchange, 0, len(b.ids))
		for _, id := range b.ids {
			x := b.log[id]
			done = done && x.Done
			out = append(out, *x)
		}
		b.mu.Unlock()
		if done {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("requests still pending 10s after the load event: %+v", out)
		}
	}
}

// eval evaluates the JavaScript expression, awaiting a promise, in the page.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func TestMain(m *testing.M) { realpart.Main(m, "e2e") }
