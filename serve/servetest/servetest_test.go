package servetest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

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
	tests := []struct {
		kind string
		// fail lists cases that must fail, with text their failure prints.
		fail map[string]string
		// pass lists cases that must still pass.
		pass []string
	}{
		{
			kind: "always-immutable",
			fail: map[string]string{
				"Output/Plain":           "Cache-Control",
				"Sources/Edited":         "immutable with a body of SHA-256",
				"Sources/EditedPlain":    "rule: The plain URL of a changed file",
				"Sources/RewrittenPlain": "want \"no-cache\"",
			},
			pass: []string{"Output/Hashed", "Sources/Rewritten", "Output/StaleHash"},
		},
		{
			kind: "no-vary",
			fail: map[string]string{
				"Output/Hashed":  "Vary",
				"Sources/Edited": "Vary",
			},
			pass: []string{"Output/Unknown", "Output/Post"},
		},
		{
			kind: "file-server",
			fail: map[string]string{
				"Output/NotAnAsset":  "served a file the manifest does not name",
				"Sources/NotAnAsset": "rule: A file the build left out is never served",
			},
			pass: []string{"Output/Hashed", "Sources/Edited"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenServer$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "SERVETEST_BROKEN="+tt.kind)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("suite against the %s server: err = %v, want a failing exit\n%s", tt.kind, err, out)
			}
			for name, text := range tt.fail {
				block := failure(string(out), name)
				if block == "" {
					t.Errorf("case %s passed against the %s server; want a failure", name, tt.kind)
					continue
				}
				if !strings.Contains(block, text) {
					t.Errorf("failure of case %s against the %s server does not say %q:\n%s", name, tt.kind, text, block)
				}
			}
			for _, name := range tt.pass {
				if !strings.Contains(string(out), "--- PASS: TestBrokenServer/"+name+" ") {
					t.Errorf("case %s did not pass against the %s server, which breaks another rule", name, tt.kind)
				}
			}
		})
	}
}

// failure returns the output of case name, from its "=== RUN" line to its
// "--- FAIL" line, or "" if it did not fail.
func failure(out, name string) string {
	start := strings.Index(out, "=== RUN   TestBrokenServer/"+name+"\n")
	end := strings.Index(out, "--- FAIL: TestBrokenServer/"+name+" ")
	if start < 0 || end < start {
		return ""
	}
	return out[start:end]
}
