package publish_test

// A rolling deploy across two app servers that read their manifests from
// one bucket, with a CDN in front of the bucket: while pages are loaded
// without pause, new builds are published and the servers pick them up one
// after the other. Every asset a page names must load, with the bytes its
// URL's hash names.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/s3test"
	"github.com/cachebust/cachebust/publish"
)

// cdn serves GET /KEY from the bucket with the object's own headers, as a
// CDN in front of it does on a cache miss. When the request accepts br
// and the bucket holds KEY.br, it serves that, as an edge rule would.
func cdn(b *blob.Bucket) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "br") {
			if ok, _ := b.Exists(r.Context(), key+".br"); ok {
				key += ".br"
			}
		}
		rd, err := b.NewReader(r.Context(), key, nil)
		if gcerrors.Code(err) == gcerrors.NotFound {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer rd.Close()
		attrs, err := b.Attributes(r.Context(), key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", attrs.ContentType)
		w.Header().Set("Cache-Control", attrs.CacheControl)
		if attrs.ContentEncoding != "" {
			w.Header().Set("Content-Encoding", attrs.ContentEncoding)
		}
		io.Copy(w, rd)
	})
}

// appServer renders a page linking every asset of the site, resolved
// against the manifest its Watcher last read.
func appServer(w *publish.Watcher) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var page strings.Builder
		for _, name := range []string{"css/app.css", "js/app.js", "img/logo.png", "fonts/a.woff2"} {
			u, err := w.Resolver().URL(name)
			if err != nil {
				http.Error(rw, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(&page, "<link href=%q>\n", u)
		}
		io.WriteString(rw, page.String())
	})
}

var hrefs = regexp.MustCompile(`href="([^"]+)"`)

// loadPage loads a page from server and every asset it names, and checks
// each asset's bytes against the hash in its URL. It returns the page.
func loadPage(client *http.Client, server string) (string, error) {
	body, err := get(client, server, "")
	if err != nil {
		return "", fmt.Errorf("page: %w", err)
	}
	for _, m := range hrefs.FindAllStringSubmatch(string(body), -1) {
		u := m[1]
		data, err := get(client, u, "br")
		if err != nil {
			return string(body), err
		}
		sum := sha256.Sum256(data)
		if !strings.Contains(u, "-"+hex.EncodeToString(sum[:])[:fingerprint.DefaultLength]+".") {
			return string(body), fmt.Errorf("%s: bytes with sha256 %x do not match the URL", u, sum[:6])
		}
	}
	return string(body), nil
}

// get fetches u, accepting the encoding enc, and returns the decoded body.
func get(client *http.Client, u, enc string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	return decodeBody(resp.Header.Get("Content-Encoding"), data)
}

// rollingBucket is a bucket to deploy into.
type rollingBucket struct {
	name string
	open func(t *testing.T) *blob.Bucket
}

func rollingBuckets() []rollingBucket {
	return []rollingBucket{
		{"file", func(t *testing.T) *blob.Bucket { b, _ := fileBucket(t); return b }},
		{"s3", func(t *testing.T) *blob.Bucket {
			srv := s3test.Start(t)
			return srv.Open(t, srv.NewBucket(t))
		}},
	}
}

func TestRollingDeployAcrossTwoServers(t *testing.T) {
	for _, rb := range rollingBuckets() {
		t.Run(rb.name, func(t *testing.T) {
			failures, probes, loads := rollingDeploy(t, rb.open(t), 1, 5)
			if len(failures) > 0 {
				t.Errorf("%d of %d page loads failed during the deploy; first: %v", len(failures), loads, failures[0])
			}
			t.Logf("%d page loads under load and %d probes, all assets loaded with their hashes", loads, probes)
		})
	}
}

// With no earlier build kept, the server that has not yet reloaded names
// objects that are gone: the test sees it, so it can fail.
func TestRollingDeployFailsWithoutKeep(t *testing.T) {
	b, _ := fileBucket(t)
	failures, _, _ := rollingDeploy(t, b, 0, 2)
	if len(failures) == 0 {
		t.Fatal("no page load failed with Keep 0, though the lagging server names deleted objects")
	}
	if !strings.Contains(failures[0].Error(), "404") {
		t.Errorf("failure %v, want a 404", failures[0])
	}
}

// rollingDeploy publishes deploys builds, keeping keep earlier ones, to b
// while two app servers serve pages and clients load them without pause.
// After each publish server A reloads, both servers are probed (A on the
// new manifest, B still on the old one), then B reloads. It returns the
// failed page loads, and how many probes and loads there were.
func rollingDeploy(t *testing.T, b *blob.Bucket, keep, deploys int) (failures []error, probes, loads int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publishSite := func(v int) {
		t.Helper()
		// Built with -brotli, so that pages load siblings too.
		dir := buildDir(t, site(fmt.Sprintf("v%d", v)))
		if _, err := publish.Dir(ctx, b, dir, publish.Options{Keep: keep, Workers: 4}); err != nil {
			t.Fatal(err)
		}
	}
	publishSite(0)
	front := httptest.NewServer(cdn(b))
	defer front.Close()
	var servers []string
	var watchers []*publish.Watcher
	for range 2 {
		w, err := publish.Watch(ctx, b, publish.ManifestKey, core.Options{Prefix: front.URL + "/"})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(appServer(w))
		defer srv.Close()
		servers, watchers = append(servers, srv.URL), append(watchers, w)
	}

	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		failures = append(failures, err)
		mu.Unlock()
	}
	var loaded atomic.Int64
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			client := &http.Client{}
			for n := i; ctx.Err() == nil; n++ {
				if _, err := loadPage(client, servers[n%2]); err != nil && ctx.Err() == nil {
					fail(err)
				}
				loaded.Add(1)
			}
		})
	}
	probe := func(server int) string {
		page, err := loadPage(http.DefaultClient, servers[server])
		if err != nil {
			fail(fmt.Errorf("probe of server %c: %w", 'A'+server, err))
		}
		probes++
		return page
	}
	for v := 1; v <= deploys; v++ {
		before := probe(1)
		publishSite(v)
		if swapped, err := watchers[0].Reload(ctx); !swapped || err != nil {
			t.Fatalf("deploy %d: server A reload: %v, %v", v, swapped, err)
		}
		if pa, pb := probe(0), probe(1); pa == pb || pb != before {
			t.Fatalf("deploy %d: servers A and B are not on different manifests", v)
		}
		if swapped, err := watchers[1].Reload(ctx); !swapped || err != nil {
			t.Fatalf("deploy %d: server B reload: %v, %v", v, swapped, err)
		}
		probe(1)
	}
	cancel()
	wg.Wait()
	return failures, probes, int(loaded.Load())
}

// decodeBody decodes a response body in the content coding enc.
func decodeBody(enc string, data []byte) ([]byte, error) {
	switch enc {
	case "", "identity":
		return data, nil
	case core.Brotli, core.Gzip:
		return decodeCoding(enc, data)
	}
	return nil, errors.New("unknown Content-Encoding " + enc)
}
