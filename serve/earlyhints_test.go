package serve_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints/hintstest"
	"github.com/cachebust/cachebust/serve"
)

// exchange is what a client saw of one request: the 1xx responses, then
// the final one.
type exchange struct {
	informational []int
	hintLinks     [][]string // the Link values of each 103
	status        int
	links         []string // the Link values of the final response
	body          string
}

// do sends a request with method to url through client and records the
// interim responses it gets, as a browser would see them.
func do(t *testing.T, client *http.Client, method, url string) exchange {
	t.Helper()
	var (
		mu sync.Mutex
		x  exchange
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
	res, err := client.Do(req)
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

// hintsServer serves handler page behind EarlyHints for hintstest.Entries of
// r, over HTTP/1.1, or over HTTP/2 with TLS if h2.
func hintsServer(t *testing.T, r *core.Resolver, h2 bool, page http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(serve.EarlyHints(r, hintstest.Entries...)(page))
	if h2 {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, srv.Client()
}

// pageHandler answers "page", and adds a Link of its own, as a handler
// may.
var pageHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Link", "</page.css>; rel=preload; as=style")
	io.WriteString(w, "page")
})

// TestEarlyHints requests a page behind EarlyHints with net/http's client
// over HTTP/1.1 and HTTP/2: a GET gets one 103 carrying a Link value for
// each tag of each entry, before the page, and the final response keeps
// them, after them the page's own; a HEAD gets the Link values with no
// 103; a POST gets neither.
func TestEarlyHints(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := hintstest.Links("1a2b")
	tests := []struct {
		method    string
		wantHints bool     // a 103 with want
		wantLinks []string // on the final response
	}{
		{"GET", true, append(slices.Clone(want), "</page.css>; rel=preload; as=style")},
		{"HEAD", false, append(slices.Clone(want), "</page.css>; rel=preload; as=style")},
		{"POST", false, []string{"</page.css>; rel=preload; as=style"}},
	}
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		srv, client := hintsServer(t, r, proto == "HTTP/2", pageHandler)
		for _, tt := range tests {
			t.Run(proto+"/"+tt.method, func(t *testing.T) {
				x := do(t, client, tt.method, srv.URL+"/")
				switch {
				case !tt.wantHints && len(x.informational) > 0:
					t.Errorf("%s: got 1xx responses %v, want none", tt.method, x.informational)
				case tt.wantHints && !slices.Equal(x.informational, []int{http.StatusEarlyHints}):
					t.Errorf("%s: got 1xx responses %v, want one 103", tt.method, x.informational)
				case tt.wantHints && !slices.Equal(x.hintLinks[0], want):
					t.Errorf("%s: 103 Link values\n\t%s\nwant\n\t%s", tt.method, strings.Join(x.hintLinks[0], "\n\t"), strings.Join(want, "\n\t"))
				}
				if x.status != http.StatusOK || (tt.method != "HEAD" && x.body != "page") {
					t.Errorf("%s: final response %d %q, want 200 \"page\"", tt.method, x.status, x.body)
				}
				if !slices.Equal(x.links, tt.wantLinks) {
					t.Errorf("%s: final Link values\n\t%s\nwant\n\t%s", tt.method, strings.Join(x.links, "\n\t"), strings.Join(tt.wantLinks, "\n\t"))
				}
			})
		}
	}
}

// TestEarlyHintsHTTP10 sends an HTTP/1.0 request, which no 1xx response
// may answer: the first status line is the page's, with the Link values.
func TestEarlyHintsHTTP10(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := hintsServer(t, r, false, pageHandler)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("HTTP/1.0 GET: first response %s, want 200", res.Status)
	}
	if got := res.Header.Values("Link"); len(got) != len(hintstest.Links("1a2b"))+1 {
		t.Errorf("HTTP/1.0 GET: Link values %q, want the hints and the page's", got)
	}
}

// TestEarlyHintsSwap swaps the resolver's manifest: the next request's
// hints name the new URLs.
func TestEarlyHintsSwap(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, client := hintsServer(t, r, false, pageHandler)
	for _, h := range []string{"1a2b", "3c4d", "3c4d"} {
		if r.Manifest().Assets["js/app.js"].Hash != h {
			if err := r.Swap(hintstest.Manifest(h)); err != nil {
				t.Fatal(err)
			}
		}
		x := do(t, client, "GET", srv.URL+"/")
		if len(x.hintLinks) != 1 || !slices.Equal(x.hintLinks[0], hintstest.Links(h)) {
			t.Errorf("after a swap to hashes %s: 103 Link values %q, want %q", h, x.hintLinks, hintstest.Links(h))
		}
	}
}

// TestEarlyHintsMissing names an entry a strict resolver lacks beside one
// it has: the missing one gives no value, the page is still served; with
// no value at all, no 103 is sent.
func TestEarlyHintsMissing(t *testing.T) {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{Strict: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names []string
		want  []string
	}{
		{[]string{"js/gone.js", "css/app.css"}, []string{"</static/css/app.1a2b.css>; rel=preload; as=style"}},
		{[]string{"js/gone.js"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(serve.EarlyHints(r, tt.names...)(pageHandler))
		x := do(t, srv.Client(), "GET", srv.URL+"/")
		srv.Close()
		var got []string
		if len(x.hintLinks) > 0 {
			got = x.hintLinks[0]
		}
		if !slices.Equal(got, tt.want) || (tt.want == nil && len(x.informational) > 0) {
			t.Errorf("EarlyHints(%q): 1xx %v with Link values %q, want %q", tt.names, x.informational, got, tt.want)
		}
		if x.status != http.StatusOK || x.body != "page" {
			t.Errorf("EarlyHints(%q): final response %d %q, want 200 \"page\"", tt.names, x.status, x.body)
		}
	}
}

// TestEarlyHintsBounded names an entry importing 2000 modules, as a
// large application's graph may: the Link values stop, in order, before
// 2 KiB on the wire, so that a proxy with a 4 KiB header buffer (nginx's
// default) still passes the 103 and the page rather than answering 502.
func TestEarlyHintsBounded(t *testing.T) {
	const maxBytes = 2048
	m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}}
	var imports []string
	for i := range 2000 {
		name := fmt.Sprintf("js/m%04d.js", i)
		imports = append(imports, name)
		m.Assets[name] = core.Asset{File: fmt.Sprintf("js/m%04d.1a2b.js", i), Hash: "1a2b", Size: 1}
	}
	m.Assets["js/app.js"] = core.Asset{File: "js/app.1a2b.js", Hash: "1a2b", Size: 1, Imports: imports}
	r, err := core.New(m, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(serve.EarlyHints(r, "js/app.js")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "page")
	})))
	defer srv.Close()
	x := do(t, srv.Client(), "GET", srv.URL+"/")
	if len(x.hintLinks) != 1 {
		t.Fatalf("1xx %v, want one 103", x.informational)
	}
	for _, tt := range []struct {
		what   string
		values []string
	}{{"103", x.hintLinks[0]}, {"final response", x.links}} {
		size := 0
		for _, v := range tt.values {
			size += len("Link: " + v + "\r\n")
		}
		if size > maxBytes || len(tt.values) < 10 {
			t.Errorf("%s: %d Link values of %d bytes, want at least 10 and at most %d bytes", tt.what, len(tt.values), size, maxBytes)
		}
		if len(tt.values) > 0 && tt.values[0] != "</static/js/app.1a2b.js>; rel=modulepreload" {
			t.Errorf("%s: first Link value %q, want the entry's", tt.what, tt.values[0])
		}
	}
}
