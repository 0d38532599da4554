package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
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

// installPublish builds cachebust-publish, without the race detector, into
// a new directory that it puts first on PATH, where cachebust publish
// finds it, and returns the directory; or "" if there is no go tool.
func installPublish() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "cachebust-publish-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, publishCommand)
	if out, err := exec.Command(goTool, "build", "-o", bin, "../"+publishCommand).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build %s: %v\n%s", publishCommand, err, out)
	}
	return dir, os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// cachebust does not hold the clients of the buckets: Go initialises every
// package a program holds when it starts, and theirs took several times
// what the start of a small build takes. Only cachebust-publish holds them.
func TestCommandHoldsNoBucketClient(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not found: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for dep := range strings.FieldsSeq(string(out)) {
		for _, client := range []string{"gocloud.dev/", "github.com/aws/", "github.com/Azure/", "google.golang.org/grpc", "cloud.google.com/"} {
			if strings.HasPrefix(dep, client) {
				t.Errorf("cachebust holds %s", dep)
			}
		}
	}
}

// Without cachebust-publish, cachebust publish says in one line what is
// missing and how to install it.
func TestPublishWithoutCachebustPublish(t *testing.T) {
	f := newCLIFixture(t)
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr := runCLI("publish", f.dir, fileBucketURL(t))
	want := "cachebust publish: cachebust-publish, which runs cachebust publish, is not installed beside cachebust or on PATH: go install github.com/cachebust/cachebust/cmd/cachebust-publish@latest\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("publish without cachebust-publish: exit %d, stdout %q, stderr\n%q\nwant 1, nothing and\n%q", code, stdout, stderr, want)
	}
}

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

var summaryLine = regexp.MustCompile(`^published (\d+) objects? to \S+: (\d+) uploaded \([^)]+\), (\d+) skipped \([^)]+\), (\d+) deleted; manifest (unchanged|cachebust.json written)\n$`)

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
	code, stdout, stderr := runCLI("publish", "-dry-run", "-source", "-key-prefix", "assets", src, u)
	if code != 0 || !strings.Contains(stdout, "\ndry run, would publish 2 objects") || !strings.Contains(stdout, "2 uploaded") {
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

func TestPublishListedInUsage(t *testing.T) {
	if _, usage, _ := runCLI("-h"); !strings.Contains(usage, "cachebust publish") {
		t.Error("cachebust -h does not list publish")
	}
}

// A dry run prints what it would upload, skip and delete, a key a line,
// then the summary; one object is "1 object".
func TestPublishDryRunLists(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	write := func(files fstest.MapFS) {
		t.Helper()
		os.RemoveAll(src)
		if err := os.CopyFS(src, files); err != nil {
			t.Fatal(err)
		}
	}
	u := fileBucketURL(t)
	write(fstest.MapFS{"a.css": {Data: []byte("a{}")}})
	code, stdout, stderr := runCLI("publish", "-dry-run", "-source", "-keep", "0", src, u)
	want := regexp.MustCompile(`^would upload a-[0-9a-f]{12}\.css\ndry run, would publish 1 object to `)
	if code != 0 || !want.MatchString(stdout) {
		t.Errorf("dry run: exit %d, stdout %q, stderr %q; want a match for %s", code, stdout, stderr, want)
	}
	if code, stdout, stderr = runCLI("publish", "-source", "-keep", "0", src, u); code != 0 || !strings.HasPrefix(stdout, "published 1 object to ") {
		t.Fatalf("publish: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	old := regexp.MustCompile(`a-[0-9a-f]{12}\.css`).FindString(stdout + strings.Join(bucketKeys(t, openBucket(t, u)), " "))
	write(fstest.MapFS{"a.css": {Data: []byte("a{}")}, "b.css": {Data: []byte("b{}")}})
	code, stdout, _ = runCLI("publish", "-dry-run", "-source", "-keep", "0", src, u)
	want = regexp.MustCompile(`^would upload b-[0-9a-f]{12}\.css\nwould skip ` + regexp.QuoteMeta(old) + `\ndry run, would publish 2 objects to `)
	if code != 0 || !want.MatchString(stdout) {
		t.Errorf("dry run of a grown tree: exit %d, stdout %q; want a match for %s", code, stdout, want)
	}
	write(fstest.MapFS{"b.css": {Data: []byte("b{}")}})
	code, stdout, _ = runCLI("publish", "-dry-run", "-source", "-keep", "0", src, u)
	want = regexp.MustCompile(`^would upload b-[0-9a-f]{12}\.css\nwould delete ` + regexp.QuoteMeta(old) + `\ndry run, would publish 1 object to `)
	if code != 0 || !want.MatchString(stdout) {
		t.Errorf("dry run of a changed tree: exit %d, stdout %q; want a match for %s", code, stdout, want)
	}
}
