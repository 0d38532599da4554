package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/publish"
)

// fileBucketURL returns the URL of a bucket in a new directory.
func fileBucketURL(t *testing.T) string {
	return "file://" + filepath.ToSlash(t.TempDir())
}

// openBucket opens the bucket at u, closed when the test ends.
func openBucket(t *testing.T, u string) *blob.Bucket {
	t.Helper()
	b, err := publish.OpenBucket(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// bucketKeys lists the keys in b, sorted.
func bucketKeys(t *testing.T, b *blob.Bucket) []string {
	t.Helper()
	var keys []string
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return keys
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, obj.Key)
	}
}

var summaryLine = regexp.MustCompile(`^published (\d+) objects to \S+: (\d+) uploaded \([^)]+\), (\d+) skipped \([^)]+\), (\d+) deleted; manifest (unchanged|cachebust.json written)\n$`)

func TestPublishCommand(t *testing.T) {
	f := newCLIFixture(t)
	u := fileBucketURL(t)
	code, stdout, stderr := runCLI("publish", "-plain", f.dir, u)
	if code != 0 {
		t.Fatalf("publish: exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("publish off a terminal wrote to stderr: %q", stderr)
	}
	m := summaryLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("publish printed %q, want one summary line", stdout)
	}
	// Two assets: their renamed copies and plain objects.
	if m[1] != "4" || m[2] != "4" || m[3] != "0" || m[5] != "cachebust.json written" {
		t.Errorf("first publish: %q", stdout)
	}
	b := openBucket(t, u)
	local, err := core.ReadManifest(f.manifest)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cachebust.json", "css/app.css", local.Assets["css/app.css"].File, "js/app.js", local.Assets["js/app.js"].File}
	slices.Sort(want)
	if got := bucketKeys(t, b); !slices.Equal(got, want) {
		t.Errorf("bucket holds %q, want %q", got, want)
	}

	code, stdout, _ = runCLI("publish", "-plain", f.dir, u)
	if m := summaryLine.FindStringSubmatch(stdout); code != 0 || m == nil || m[2] != "0" || m[3] != "4" || m[5] != "unchanged" {
		t.Errorf("unchanged publish: exit %d, %q; want nothing uploaded", code, stdout)
	}
}

func TestPublishDryRunAndSource(t *testing.T) {
	f := newCLIFixture(t)
	// The fixture's sources, without its build.
	src := filepath.Join(t.TempDir(), "src")
	if err := os.CopyFS(src, fstest.MapFS{"css/app.css": {Data: []byte("body{}")}, "js/app.js": {Data: []byte("1")}}); err != nil {
		t.Fatal(err)
	}
	u := fileBucketURL(t)
	b := openBucket(t, u)
	if code, _, stderr := runCLI("publish", "-source", f.dir, u); code != 1 || !strings.Contains(stderr, "output of a build") {
		t.Errorf("publish -source of a build's output: exit %d, %q; want a refusal", code, stderr)
	}
	code, stdout, stderr := runCLI("publish", "-dry-run", "-source", "-key-prefix", "assets", src, u)
	if code != 0 || !strings.HasPrefix(stdout, "dry run, would publish 2 objects") || !strings.Contains(stdout, "2 uploaded") {
		t.Errorf("dry run: exit %d, %q %q", code, stdout, stderr)
	}
	if keys := bucketKeys(t, b); len(keys) != 0 {
		t.Fatalf("a dry run wrote %q", keys)
	}
	if code, stdout, stderr = runCLI("publish", "-source", "-key-prefix", "assets", src, u); code != 0 {
		t.Fatalf("publish -source: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "manifest assets/cachebust.json written") {
		t.Errorf("publish -source: %q", stdout)
	}
	r, err := publish.Load(context.Background(), b, "assets/"+publish.ManifestKey, core.Options{Prefix: "https://cdn.example.com/assets/"})
	if err != nil {
		t.Fatal(err)
	}
	local, err := core.ReadManifest(f.manifest)
	if err != nil {
		t.Fatal(err)
	}
	// The in-memory build names files as the build on disk did.
	if got, _ := r.URL("css/app.css"); got != "https://cdn.example.com/assets/"+local.Assets["css/app.css"].File {
		t.Errorf("URL = %q", got)
	}
}

func TestPublishErrors(t *testing.T) {
	f := newCLIFixture(t)
	u := fileBucketURL(t)
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name    string
		args    []string
		code    int
		mention []string
	}{
		{"no arguments", []string{"publish"}, 2, []string{"DIR and BUCKET_URL"}},
		{"one argument", []string{"publish", f.dir}, 2, []string{"DIR and BUCKET_URL"}},
		{"bad keep", []string{"publish", "-keep", "-1", f.dir, u}, 2, []string{"-keep"}},
		{"bad workers", []string{"publish", "-workers", "0", f.dir, u}, 2, []string{"-workers"}},
		{"manifest and source", []string{"publish", "-source", "-manifest", f.manifest, f.dir, u}, 2, []string{"-manifest", "-source"}},
		{"bad hash", []string{"publish", "-source", "-hash", "whirlpool", f.dir, u}, 2, []string{"-hash"}},
		{"missing directory", []string{"publish", missing, u}, 1, []string{missing}},
		{"corrupt manifest", []string{"publish", f.corrupt, u}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"tampered file", []string{"publish", f.tampered, u}, 1, []string{"css/app-", "do not match"}},
		{"unknown scheme", []string{"publish", f.dir, "ftp://example.com/x"}, 1, []string{"ftp://example.com/x"}},
		{"bad key prefix", []string{"publish", "-key-prefix", "../up", f.dir, u}, 1, []string{"key prefix", "../up"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args...)
			if code != tc.code {
				t.Errorf("cachebust %q: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
			}
			if n := strings.Count(stderr, "\n"); n != 1 {
				t.Errorf("cachebust %q: stderr has %d lines, want one:\n%s", tc.args, n, stderr)
			}
			for _, s := range tc.mention {
				if !strings.Contains(stderr, s) {
					t.Errorf("cachebust %q: stderr %q does not mention %q", tc.args, stderr, s)
				}
			}
			if stdout != "" {
				t.Errorf("cachebust %q: stdout %q, want nothing", tc.args, stdout)
			}
		})
	}
	// The tampered build's publish stopped before the manifest.
	if keys := bucketKeys(t, openBucket(t, u)); slices.Contains(keys, publish.ManifestKey) {
		t.Errorf("failed publishes wrote a manifest: %q", keys)
	}
}

func TestPublishHelp(t *testing.T) {
	want := []string{"dry-run", "exclude", "hash", "keep", "key-prefix", "len", "manifest", "plain", "prefix", "source", "workers"}
	code, stdout, stderr := runCLI("publish", "-h")
	if code != 0 || stderr != "" || strings.Count(stdout, "usage: cachebust publish") != 1 {
		t.Fatalf("publish -h: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	var got []string
	for _, m := range flagLine.FindAllStringSubmatch(stdout, -1) {
		got = append(got, m[1])
	}
	if !slices.Equal(got, want) {
		t.Errorf("publish -h documents flags %v, want %v", got, want)
	}
	if _, usage, _ := runCLI("-h"); !strings.Contains(usage, "cachebust publish") {
		t.Error("cachebust -h does not list publish")
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(io.Discard) {
		t.Error("a file or io.Discard taken for a terminal")
	}
}
