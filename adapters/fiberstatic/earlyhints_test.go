package fiberstatic_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints/hintstest"
)

// startHints runs a Fiber app on 127.0.0.1 whose page "/" is behind
// EarlyHints for names of r and adds a Link of its own; it returns the
// app's base URL.
func startHints(t *testing.T, r *core.Resolver, names ...string) string {
	t.Helper()
	app := fiber.New()
	page := func(c fiber.Ctx) error {
		c.Response().Header.Add("Link", "</page.css>; rel=preload; as=style")
		return c.SendString("page")
	}
	app.Get("/", fiberstatic.EarlyHints(r, names...), page)
	app.Post("/", fiberstatic.EarlyHints(r, names...), page)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	t.Cleanup(func() {
		if err := app.Shutdown(); err != nil {
			t.Error(err)
		}
		<-done
	})
	return "http://" + ln.Addr().String()
}

// hintsExchange is what net/http's client saw of one request: the Link
// values of each 1xx response, then the final one.
type hintsExchange struct {
	informational []int
	hintLinks     [][]string
	status        int
	links         []string
	body          string
}

func doHints(t *testing.T, method, url string) hintsExchange {
	t.Helper()
	var (
		mu sync.Mutex
		x  hintsExchange
	)
	trace := &httptrace.ClientTrace{
		Got1xxResponse: func(code int, header textproto.MIMEHeader) error {
			mu.Lock()
			defer mu.Unlock()
			x.informational = append(x.informational, code)
			x.hintLinks = append(x.hintLinks, header.Values("Link"))
			return nil
		},
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	x.status, x.links, x.body = res.StatusCode, res.Header.Values("Link"), string(body)
	return x
}

// TestEarlyHints requests a page behind fiberstatic.EarlyHints with
// net/http's client: a GET gets one 103 with a Link value for each tag of
// each entry, and the final response keeps them, then the page's own; a
// HEAD gets the values with no 103; a POST neither; and after a swap the
// values name the new URLs.
func TestEarlyHints(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := startHints(t, r, "js/app.js", "css/app.css", "fonts/f.woff2")
	own := "</page.css>; rel=preload; as=style"
	for _, h := range []string{"1a2b", "3c4d"} {
		if err := r.Swap(hintstest.Manifest(h)); err != nil {
			t.Fatal(err)
		}
		want := hintstest.Links(h)
		tests := []struct {
			method    string
			wantHints bool
			wantLinks []string
		}{
			{"GET", true, append(slices.Clone(want), own)},
			{"HEAD", false, append(slices.Clone(want), own)},
			{"POST", false, []string{own}},
		}
		for _, tt := range tests {
			x := doHints(t, tt.method, base+"/")
			switch {
			case !tt.wantHints && len(x.informational) > 0:
				t.Errorf("%s (hashes %s): got 1xx responses %v, want none", tt.method, h, x.informational)
			case tt.wantHints && !slices.Equal(x.informational, []int{http.StatusEarlyHints}):
				t.Errorf("%s (hashes %s): got 1xx responses %v, want one 103", tt.method, h, x.informational)
			case tt.wantHints && !slices.Equal(x.hintLinks[0], want):
				t.Errorf("%s (hashes %s): 103 Link values\n\t%s\nwant\n\t%s", tt.method, h, strings.Join(x.hintLinks[0], "\n\t"), strings.Join(want, "\n\t"))
			}
			if x.status != http.StatusOK || (tt.method != "HEAD" && x.body != "page") {
				t.Errorf("%s (hashes %s): final response %d %q, want 200 \"page\"", tt.method, h, x.status, x.body)
			}
			if !slices.Equal(x.links, tt.wantLinks) {
				t.Errorf("%s (hashes %s): final Link values\n\t%s\nwant\n\t%s", tt.method, h, strings.Join(x.links, "\n\t"), strings.Join(tt.wantLinks, "\n\t"))
			}
		}
	}
}

// TestEarlyHintsHTTP10 sends an HTTP/1.0 request, which no 1xx response
// may answer, and a GET whose only entry a strict resolver lacks: neither
// gets a 103, both get the page.
func TestEarlyHintsHTTP10(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{Strict: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	base := startHints(t, r, "js/app.js")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(res.Header.Values("Link")) != 3 {
		t.Errorf("HTTP/1.0 GET: first response %s with Link %q, want 200 with the hints and the page's", res.Status, res.Header.Values("Link"))
	}

	missing := startHints(t, r, "js/gone.js")
	if x := doHints(t, "GET", missing+"/"); len(x.informational) > 0 || x.status != http.StatusOK || x.body != "page" {
		t.Errorf("GET with a missing entry: 1xx %v, final %d %q; want no 1xx, 200 \"page\"", x.informational, x.status, x.body)
	}
}
