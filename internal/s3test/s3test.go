// Package s3test gives tests a real S3-compatible server: the one the
// environment names, or versitygw started on 127.0.0.1 when it is on PATH.
//
// The environment is read once:
//
//	CACHEBUST_S3_ENDPOINT    http://127.0.0.1:PORT of a running server
//	CACHEBUST_S3_ACCESS_KEY  its access key
//	CACHEBUST_S3_SECRET_KEY  its secret key
//
// Without them, versitygw on PATH is started once per test binary (install
// it with go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)
// and stopped when the binary exits. With neither, tests that need the
// server are skipped and named by [realpart.Report], or fail under CI.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/s3blob"

	"github.com/cachebust/cachebust/internal/realpart"
)

// Region is the region every request names.
const Region = "us-east-1"

// Server is an S3-compatible server.
type Server struct {
	// Endpoint is its base URL, http://127.0.0.1:PORT.
	Endpoint  string
	AccessKey string
	SecretKey string
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Start returns the server, starting it the first time if need be. When
// there is none it skips the test, recorded for the package's summary line
// ([realpart.Missing]), and fails it under CI.
func Start(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = find() })
	if shared.err != nil {
		realpart.Missing(t, "an S3 server", shared.err.Error(),
			"go install github.com/versity/versitygw/cmd/versitygw@v1.8.0, or set CACHEBUST_S3_ENDPOINT")
	}
	return shared.srv
}

// find returns the server the environment names, or starts versitygw.
func find() (*Server, error) {
	if ep := os.Getenv("CACHEBUST_S3_ENDPOINT"); ep != "" {
		s := &Server{Endpoint: ep, AccessKey: os.Getenv("CACHEBUST_S3_ACCESS_KEY"), SecretKey: os.Getenv("CACHEBUST_S3_SECRET_KEY")}
		if s.AccessKey == "" || s.SecretKey == "" {
			return nil, errors.New("CACHEBUST_S3_ENDPOINT is set but CACHEBUST_S3_ACCESS_KEY or CACHEBUST_S3_SECRET_KEY is not")
		}
		return s, s.wait(5 * time.Second)
	}
	bin, err := exec.LookPath("versitygw")
	if err != nil {
		return nil, errors.New("set CACHEBUST_S3_ENDPOINT, CACHEBUST_S3_ACCESS_KEY and CACHEBUST_S3_SECRET_KEY, or put versitygw on PATH (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
	}
	return startVersitygw(bin)
}

// startVersitygw starts versitygw on a free port of 127.0.0.1 with a
// temporary directory, to live as long as this process.
func startVersitygw(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "cachebust-s3-")
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	s := &Server{Endpoint: "http://" + addr, AccessKey: "cachebust", SecretKey: "cachebust-secret"}
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", addr, "posix", dir)
	if err := startTied(cmd); err != nil {
		return nil, fmt.Errorf("start versitygw: %w", err)
	}
	return s, s.wait(10 * time.Second)
}

// wait waits until the server accepts connections.
func (s *Server) wait(d time.Duration) error {
	u, err := url.Parse(s.Endpoint)
	if err != nil {
		return fmt.Errorf("endpoint %q: %w", s.Endpoint, err)
	}
	deadline := time.Now().Add(d)
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not answer: %w", s.Endpoint, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WithEndpoint returns a copy of s that sends its requests to endpoint,
// such as a proxy in front of s.
func (s *Server) WithEndpoint(endpoint string) *Server {
	c := *s
	c.Endpoint = endpoint
	return &c
}

// Client returns an S3 client for s.
func (s *Server) Client() *s3.Client {
	return s3.NewFromConfig(aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.Endpoint)
		o.UsePathStyle = true
	})
}

var notBucketChar = regexp.MustCompile(`[^a-z0-9-]+`)

// NewBucket creates an empty bucket named after the test and returns its
// name.
func (s *Server) NewBucket(t testing.TB) string {
	t.Helper()
	var r [4]byte
	rand.Read(r[:])
	name := strings.Trim(notBucketChar.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	name = strings.Trim(name[:min(len(name), 50)], "-") + "-" + hex.EncodeToString(r[:])
	if err := s.CreateBucket(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return name
}

// CreateBucket creates the bucket name.
func (s *Server) CreateBucket(ctx context.Context, name string) error {
	if _, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}); err != nil {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	return nil
}

// URL returns the gocloud URL of bucket on s.
func (s *Server) URL(bucket string) string {
	q := url.Values{"endpoint": {s.Endpoint}, "region": {Region}, "use_path_style": {"true"}}
	return "s3://" + bucket + "?" + q.Encode()
}

// Env returns the environment variables that give a command the
// credentials of s.
func (s *Server) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + s.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s.SecretKey}
}

// Open opens bucket on s, closed when the test ends.
func (s *Server) Open(t testing.TB, bucket string) *blob.Bucket {
	t.Helper()
	b, err := s.OpenBucket(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// OpenBucket opens bucket on s with the credentials of s.
func (s *Server) OpenBucket(ctx context.Context, bucket string) (*blob.Bucket, error) {
	return s3blob.OpenBucket(ctx, s.Client(), bucket, nil)
}
