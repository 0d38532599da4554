package main

// Crash safety of "cachebust publish", tested the way users meet it: a
// real process, killed with SIGKILL at varied points while it publishes to
// a file:/// bucket and to a real S3 server. After every kill the manifest
// in the bucket is the previous one or the new one, it parses, and every
// object it names is there with the bytes its hash names. A publish that
// is not killed then completes the work and leaves nothing over.

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/s3test"
	"github.com/cachebust/cachebust/publish"
)

// crashBucket is a bucket for the kill test: its URL for the command, the
// environment the command needs, and the bucket opened for checks.
type crashBucket struct {
	url string
	env []string
	b   *blob.Bucket
}

func TestPublishSurvivesSIGKILL(t *testing.T) {
	bin := cliBinary(t)
	cases := []struct {
		name string
		open func(t *testing.T) crashBucket
	}{
		{"file", func(t *testing.T) crashBucket {
			// Without metadata files: fileblob rewrites them in place,
			// so a kill at that instant would leave the manifest's
			// unreadable, a hazard of file:/// buckets only (see
			// docs/PUBLISH.md). The s3 case checks metadata.
			u := fileBucketURL(t) + "?metadata=skip"
			return crashBucket{url: u, b: openBucket(t, u)}
		}},
		{"s3", func(t *testing.T) crashBucket {
			srv := s3test.Start(t)
			name := srv.NewBucket(t)
			return crashBucket{url: srv.URL(name), env: srv.Env(), b: srv.Open(t, name)}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			testPublishKills(t, bin, c.open(t), 8)
		})
	}
}

func testPublishKills(t *testing.T, bin string, cb crashBucket, kills int) {
	ctx := context.Background()
	root := t.TempDir()
	src, out := filepath.Join(root, "src"), filepath.Join(root, "out")
	tr := newTree(t, src, 150, 11)
	buildArgs := []string{"build", "-gzip", "-keep", "1", "-out", out, src}
	args := []string{"publish", "-keep", "1", "-workers", "4", out, cb.url}
	env := append(os.Environ(), cb.env...)
	buildToEnd(t, bin, buildArgs)

	// The first, unkilled publish gives the duration to spread kills over.
	start := time.Now()
	runPublish(t, bin, env, args)
	full := time.Since(start)
	checkPublished(t, cb.b, out)

	rng := rand.New(rand.NewPCG(3, uint64(kills)))
	var old, new, unfinished int
	for i := range kills {
		before, err := cb.b.ReadAll(ctx, publish.ManifestKey)
		if err != nil {
			t.Fatal(err)
		}
		tr.mutate(i)
		buildToEnd(t, bin, buildArgs)
		local, err := core.ReadManifest(filepath.Join(out, core.ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		// Most publishes after the first send a few objects: kill them
		// within a third of the first's time, or when their pending
		// record appears.
		atPending := i%3 == 2
		delay := time.Duration(rng.Int64N(int64(full)/3 + 1))
		if !killPublish(t, bin, env, args, cb.b, atPending, delay) {
			unfinished++
		}

		after, err := cb.b.ReadAll(ctx, publish.ManifestKey)
		if err != nil {
			t.Fatalf("kill %d: manifest: %v", i, err)
		}
		m, err := core.ParseManifest(after)
		if err != nil {
			t.Fatalf("kill %d: manifest does not parse: %v", i, err)
		}
		switch {
		case bytes.Equal(after, before):
			old++
		case reflect.DeepEqual(m.Assets, local.Assets):
			new++
		default:
			t.Fatalf("kill %d: the bucket's manifest is neither the previous one nor the new build's", i)
		}
		if err := fingerprint.Verify(cb.b, m); err != nil {
			t.Fatalf("kill %d: an object the bucket's manifest names is missing or wrong: %v", i, err)
		}
	}
	t.Logf("%d kills (full publish %v): %d left the previous manifest, %d the new one; %d killed before finishing",
		kills, full.Round(time.Millisecond), old, new, unfinished)

	// A publish that is not killed completes the last one and deletes what
	// the killed ones left.
	runPublish(t, bin, env, args)
	checkPublished(t, cb.b, out)
}

// runPublish runs the command to completion and fails the test if it
// fails.
func runPublish(t *testing.T, bin string, env, args []string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cachebust %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// killPublish starts a publish and kills it with SIGKILL after delay, or,
// with atPending, as soon as its pending record is in the bucket. It
// reports whether the publish had exited by itself.
func killPublish(t *testing.T, bin string, env, args []string, b *blob.Bucket, atPending bool, delay time.Duration) (finished bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	done := func(err error) bool {
		if err != nil {
			t.Fatalf("publish failed by itself: %v\n%s", err, output.String())
		}
		return true
	}
	if atPending {
		for ok := false; !ok; {
			select {
			case err := <-exited:
				return done(err)
			default:
				ok, _ = b.Exists(context.Background(), ".cachebust-pending.json")
			}
		}
	} else {
		select {
		case err := <-exited:
			return done(err)
		case <-time.After(delay):
		}
	}
	cmd.Process.Kill()
	return <-exited == nil
}

// checkPublished checks that the bucket holds exactly the build in out:
// the manifest, which records out's assets, and the objects it names, each
// with its bytes.
func checkPublished(t *testing.T, b *blob.Bucket, out string) {
	t.Helper()
	local, err := core.ReadManifest(filepath.Join(out, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.ReadAll(context.Background(), publish.ManifestKey)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Assets, local.Assets) {
		t.Fatal("the bucket's manifest does not record the build")
	}
	if err := fingerprint.Verify(b, m); err != nil {
		t.Fatalf("verify the bucket: %v", err)
	}
	want := append(m.Files(), publish.ManifestKey)
	slices.Sort(want)
	if got := bucketKeys(t, b); !slices.Equal(got, want) {
		var extra []string
		for _, k := range got {
			if !slices.Contains(want, k) {
				extra = append(extra, k)
			}
		}
		t.Errorf("the bucket holds %d keys, want %d; not named by the manifest: %q", len(got), len(want), head(extra, 10))
	}
}
