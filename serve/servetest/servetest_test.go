package servetest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/suitetest"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

// netHTTP serves h under "/static/" with a real net/http server, the
// simplest server of a serve.Handler.
func netHTTP(t *testing.T, h http.Handler) servetest.Server {
	srv := httptest.NewServer(http.StripPrefix("/static", h))
	t.Cleanup(srv.Close)
	client := srv.Client()
	// Ask for the encodings the cases ask for, and no others.
	tr := client.Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	client.Transport = tr
	return func(req *http.Request) (*http.Response, error) {
		u, err := url.Parse(srv.URL + req.RequestURI)
		if err != nil {
			return nil, err
		}
		req.URL, req.RequestURI, req.Host = u, "", ""
		return client.Do(req)
	}
}

// TestHandler runs the suite against serve.Handler itself, behind a real
// net/http server.
func TestHandler(t *testing.T) {
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		return netHTTP(t, h)
	})
}

// broken wraps a serve.Handler and breaks one rule, chosen by kind.
type broken struct {
	h    http.Handler
	kind string
}

func (b broken) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch b.kind {
	case "always-immutable":
		// Trusts every fingerprinted-looking URL, as a generic static
		// server with a long max-age would.
		w.Header().Set("Cache-Control", serve.CacheImmutable)
		b.h.ServeHTTP(immutableWriter{w}, req)
	case "no-vary":
		b.h.ServeHTTP(noVaryWriter{w}, req)
	case "file-server":
		// Serves any file under the mount, as http.FileServer does.
		if strings.HasSuffix(req.URL.Path, ".txt") {
			fmt.Fprint(w, "SECRET")
			return
		}
		b.h.ServeHTTP(w, req)
	}
}

type immutableWriter struct{ http.ResponseWriter }

func (w immutableWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		w.Header().Set("Cache-Control", serve.CacheImmutable)
	}
	w.ResponseWriter.WriteHeader(code)
}

type noVaryWriter struct{ http.ResponseWriter }

func (w noVaryWriter) WriteHeader(code int) {
	w.Header().Del("Vary")
	w.ResponseWriter.WriteHeader(code)
}

// TestBrokenServer runs the suite against a server broken as
// SERVETEST_BROKEN says; it is run only by TestSuiteCatches, in a
// subprocess, and fails there.
func TestBrokenServer(t *testing.T) {
	kind := os.Getenv("SERVETEST_BROKEN")
	if kind == "" {
		t.Skip("run by TestSuiteCatches")
	}
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		return netHTTP(t, broken{h, kind})
	})
}

// TestSuiteCatches checks that the suite fails servers that break its
// rules, and says which rule: each broken server runs in a subprocess.
func TestSuiteCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	broken := []suitetest.Broken{
		{
			Kind: "always-immutable",
			Fail: map[string]string{
				"Output/Plain":           "Cache-Control",
				"Sources/Edited":         "immutable with a body of SHA-256",
				"Sources/EditedPlain":    "rule: The plain URL of a changed file",
				"Sources/RewrittenPlain": "want \"no-cache\"",
			},
			Pass: []string{"Output/Hashed", "Sources/Rewritten", "Output/StaleHash"},
		},
		{
			Kind: "no-vary",
			Fail: map[string]string{
				"Output/Hashed":  "Vary",
				"Sources/Edited": "Vary",
			},
			Pass: []string{"Output/Unknown", "Output/Post"},
		},
		{
			Kind: "file-server",
			Fail: map[string]string{
				"Output/NotAnAsset":  "served a file the manifest does not name",
				"Sources/NotAnAsset": "rule: A file the build left out is never served",
			},
			Pass: []string{"Output/Hashed", "Sources/Edited"},
		},
	}
	suitetest.Check(t, "TestBrokenServer", "SERVETEST_BROKEN", "server", broken)
}
