package publish_test

// Publishing to a real S3 server (see internal/s3test), read back through
// the S3 API.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/s3test"
	"github.com/cachebust/cachebust/publish"
	"github.com/cachebust/cachebust/serve"
)

func TestS3ObjectsAndMetadata(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	bucket := srv.NewBucket(t)
	// Opened by URL, with credentials from the environment, as the
	// command opens it.
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	b, err := publish.OpenBucket(ctx, srv.URL(bucket))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	dir := buildDir(t, site("v1"))
	res, err := publish.Dir(ctx, b, dir, publish.Options{Plain: true, KeyPrefix: "assets/"})
	if err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	check := func(key, file, cache, ctype, enc string) {
		t.Helper()
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("assets/" + key)})
		if err != nil {
			t.Errorf("GetObject %s: %v", key, err)
			return
		}
		defer out.Body.Close()
		got, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the %d of %s", key, len(got), len(want), file)
		}
		if v := aws.ToString(out.CacheControl); v != cache {
			t.Errorf("%s: Cache-Control %q, want %q", key, v, cache)
		}
		if v := aws.ToString(out.ContentType); v != ctype {
			t.Errorf("%s: Content-Type %q, want %q", key, v, ctype)
		}
		if v := aws.ToString(out.ContentEncoding); v != enc {
			t.Errorf("%s: Content-Encoding %q, want %q", key, v, enc)
		}
	}
	css := res.Manifest.Assets["css/app.css"]
	check(css.File, css.File, serve.CacheImmutable, "text/css; charset=utf-8", "")
	check(css.File+".br", css.File+".br", serve.CacheImmutable, "text/css; charset=utf-8", "br")
	check(css.File+".gz", css.File+".gz", serve.CacheImmutable, "text/css; charset=utf-8", "gzip")
	check("css/app.css", "css/app.css", serve.CacheRevalidate, "text/css; charset=utf-8", "")
	png := res.Manifest.Assets["img/logo.png"]
	check(png.File, png.File, serve.CacheImmutable, "image/png", "")
	check(publish.ManifestKey, core.ManifestName, serve.CacheRevalidate, "application/json", "")
	checkObjects(t, b, "assets/", os.DirFS(dir), res.Manifest, true)
}

// countingProxy forwards requests to an S3 server and counts, by method,
// those that carry a body; it can fail some PUTs with 503 Slow Down.
type countingProxy struct {
	mu       sync.Mutex
	bodies   map[string]int // method -> requests with a body
	requests int
	failPUT  func(n int) bool // whether to fail the nth PUT
	puts     int
	failed   int
}

func newCountingProxy(t *testing.T, target string) (*countingProxy, string) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{bodies: make(map[string]int)}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = r.In.Host // as signed
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.requests++
		if r.ContentLength > 0 || len(r.TransferEncoding) > 0 {
			p.bodies[r.Method]++
		}
		fail := false
		if r.Method == http.MethodPut {
			p.puts++
			fail = p.failPUT != nil && p.failPUT(p.puts)
			if fail {
				p.failed++
			}
		}
		p.mu.Unlock()
		if fail {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return p, srv.URL
}

func (p *countingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bodies, p.requests = make(map[string]int), 0
}

func TestS3UnchangedPublishSendsNoBodies(t *testing.T) {
	srv := s3test.Start(t)
	proxy, endpoint := newCountingProxy(t, srv.Endpoint)
	via := srv.WithEndpoint(endpoint)
	b := via.Open(t, srv.NewBucket(t))
	ctx := context.Background()
	dir := buildDir(t, site("v1"))
	opts := publish.Options{Plain: true, Keep: 2}
	first, err := publish.Dir(ctx, b, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The objects, the pending record and the manifest.
	if got, want := proxy.bodies[http.MethodPut], first.Uploaded+2; got != want {
		t.Errorf("first publish sent %d bodies, want %d (%d objects, the pending record, the manifest)", got, want, first.Uploaded)
	}
	proxy.reset()
	second, err := publish.Dir(ctx, b, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(proxy.bodies) != 0 || second.Uploaded != 0 || second.ManifestWritten {
		t.Errorf("unchanged publish sent bodies %v (result %+v), want none", proxy.bodies, *second)
	}
	// Reading the manifest and the pending record.
	if proxy.requests != 2 {
		t.Errorf("unchanged publish made %d requests, want 2", proxy.requests)
	}
	t.Logf("first publish: %d objects uploaded; unchanged publish: %d requests, %d bodies", first.Uploaded, proxy.requests, len(proxy.bodies))
}

func TestS3TransientFailuresAreRetried(t *testing.T) {
	srv := s3test.Start(t)
	proxy, endpoint := newCountingProxy(t, srv.Endpoint)
	proxy.failPUT = func(n int) bool { return n%3 == 0 }
	b := srv.WithEndpoint(endpoint).Open(t, srv.NewBucket(t))
	dir := buildDir(t, site("v1"))
	res, err := publish.Dir(context.Background(), b, dir, publish.Options{})
	if err != nil {
		t.Fatalf("publish with every third PUT failing: %v", err)
	}
	if proxy.failed == 0 {
		t.Fatal("no PUT failed; the test proves nothing")
	}
	checkObjects(t, b, "", os.DirFS(dir), res.Manifest, false)
	if got := keys(t, b); strings.Contains(strings.Join(got, " "), ".cachebust-pending") {
		t.Errorf("pending record left after a publish that succeeded: %q", got)
	}
	t.Logf("%d of %d PUTs failed with 503 and were retried", proxy.failed, proxy.puts)
}

// A bucket opened by URL makes as many attempts as docs/PUBLISH.md says,
// 5, when every PUT fails: publish retries, the SDK does not. With the
// SDK retrying too, its 3 attempts under each of publish's 5 would make
// 15, and the error would carry the SDK's request ids.
func TestS3AttemptsAsDocumented(t *testing.T) {
	srv := s3test.Start(t)
	proxy, endpoint := newCountingProxy(t, srv.Endpoint)
	proxy.failPUT = func(int) bool { return true }
	bucket := srv.NewBucket(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	b, err := publish.OpenBucket(context.Background(), srv.WithEndpoint(endpoint).URL(bucket))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = publish.Dir(context.Background(), b, buildDir(t, site("v1")), publish.Options{Workers: 1})
	if err == nil {
		t.Fatal("publish with every PUT failing succeeded")
	}
	t.Logf("error: %v", err)
	if proxy.puts != 5 {
		t.Errorf("%d PUTs with every one failing, want 5 (docs/PUBLISH.md)", proxy.puts)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || strings.Contains(msg, "RequestID") || strings.Contains(msg, "HostID") || !strings.Contains(msg, "SlowDown") {
		t.Errorf("error %q, want one line naming the service's error code, without request ids", msg)
	}
}
