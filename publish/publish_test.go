package publish_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/publish"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

func TestDirFollowsTheRulesOfTheBucket(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(map[bool]string{false: "fingerprinted", true: "plain"}[plain], func(t *testing.T) {
			dir := buildDir(t, site("v1"))
			b, _ := fileBucket(t)
			res, err := publish.Dir(context.Background(), b, dir, publish.Options{Plain: plain})
			if err != nil {
				t.Fatal(err)
			}
			local, err := core.ReadManifest(filepath.Join(dir, core.ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := keys(t, b), wantKeys(local, plain); !slices.Equal(got, want) {
				t.Fatalf("bucket holds %q, want %q", got, want)
			}
			if n := len(local.Files()); !plain && res.Uploaded != n || plain && res.Uploaded != n+len(local.Assets) {
				t.Errorf("Uploaded = %d for %d files (plain %v)", res.Uploaded, n, plain)
			}
			if !res.ManifestWritten || res.Skipped != 0 || res.Deleted != 0 {
				t.Errorf("first publish: %+v", res)
			}
			m := bucketManifest(t, b, "")
			if !sameAssets(m.Assets, local.Assets) || m.Originals != plain {
				t.Errorf("bucket manifest: %+v (Originals %v), want the assets of %+v", m.Assets, m.Originals, local.Assets)
			}
			checkObjects(t, b, "", os.DirFS(dir), m, plain)
			if !strings.Contains(strings.Join(keys(t, b), " "), ".br") {
				t.Error("no precompressed sibling was published")
			}
		})
	}
}

func sameAssets(a, b map[string]core.Asset) bool {
	if len(a) != len(b) {
		return false
	}
	for name, x := range a {
		y, ok := b[name]
		if !ok || x.File != y.File || x.Hash != y.Hash || x.Size != y.Size || !slices.Equal(x.Encodings, y.Encodings) {
			return false
		}
	}
	return true
}

func TestUnchangedPublishSendsNothing(t *testing.T) {
	dir := buildDir(t, site("v1"))
	b, _ := fileBucket(t)
	ctx := context.Background()
	first, err := publish.Dir(ctx, b, dir, publish.Options{Plain: true, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	mtimes := modTimes(t, b)
	second, err := publish.Dir(ctx, b, dir, publish.Options{Plain: true, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	if second.Uploaded != 0 || second.UploadedBytes != 0 || second.ManifestWritten || second.Deleted != 0 {
		t.Errorf("second publish: %+v, want nothing uploaded, written or deleted", second)
	}
	if second.Skipped != first.Uploaded {
		t.Errorf("second publish skipped %d objects, want the %d the first uploaded", second.Skipped, first.Uploaded)
	}
	if after := modTimes(t, b); !maps.EqualFunc(after, mtimes, time.Time.Equal) {
		t.Errorf("objects were rewritten by an unchanged publish")
	}
}

// modTimes returns the modification time of every object in b.
func modTimes(t *testing.T, b *blob.Bucket) map[string]time.Time {
	t.Helper()
	times := make(map[string]time.Time)
	for _, key := range keys(t, b) {
		attrs, err := b.Attributes(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		times[key] = attrs.ModTime
	}
	return times
}

func TestObjectsDeletedBehindItsBackAreRestored(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	first, err := publish.Dir(ctx, b, buildDir(t, site("v1")), publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	logo, font := first.Manifest.Assets["img/logo.png"].File, first.Manifest.Assets["fonts/a.woff2"].File
	for _, key := range []string{logo, font} {
		if err := b.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	dir := buildDir(t, site("v1"))
	// Nothing changed: the records are trusted, and nothing is listed.
	res, err := publish.Dir(ctx, b, dir, publish.Options{Keep: 1})
	if err != nil || res.Uploaded != 0 {
		t.Fatalf("unchanged publish: %+v, %v; want nothing uploaded", res, err)
	}
	if ok, _ := b.Exists(ctx, logo); ok {
		t.Fatal("the deleted logo is back without a listing")
	}
	// Verify lists, and puts both back.
	res, err = publish.Dir(ctx, b, dir, publish.Options{Keep: 1, Verify: true})
	if err != nil || res.Uploaded != 2 {
		t.Fatalf("publish with Verify: %+v, %v; want the 2 missing objects uploaded", res, err)
	}
	checkObjects(t, b, "", os.DirFS(dir), res.Manifest, false)
	// A publish that changes something lists too.
	if err := b.Delete(ctx, logo); err != nil {
		t.Fatal(err)
	}
	v2 := buildDir(t, site("v2"))
	res, err = publish.Dir(ctx, b, v2, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkObjects(t, b, "", os.DirFS(v2), res.Manifest, false)
}

func TestGenerationsAreKeptAndOnlyRecordedObjectsDeleted(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	// Objects the bucket holds that no manifest records, one with a name
	// that looks like an old build's, stay whatever is published.
	strangers := []string{"css/app-000000000000.css", "other/readme.txt"}
	for _, key := range strangers {
		if err := b.WriteAll(ctx, key, []byte("not ours"), nil); err != nil {
			t.Fatal(err)
		}
	}
	var builds []*core.Manifest
	for _, v := range []string{"v1", "v2", "v3"} {
		dir := buildDir(t, site(v))
		res, err := publish.Dir(ctx, b, dir, publish.Options{Keep: 1})
		if err != nil {
			t.Fatal(err)
		}
		builds = append(builds, res.Manifest)
	}
	m := bucketManifest(t, b, "")
	if len(m.Generations) != 1 {
		t.Fatalf("manifest keeps %d generations, want 1", len(m.Generations))
	}
	// v2's stylesheet and script are kept; v1's are gone; the image and
	// font, the same in every build, are the current build's.
	v1, v2 := builds[0].Assets, builds[1].Assets
	for _, name := range []string{"css/app.css", "js/app.js"} {
		if got := m.Generations[0].Assets[name]; got.File != v2[name].File {
			t.Errorf("generation asset %s: %q, want v2's %q", name, got.File, v2[name].File)
		}
	}
	// The manifest names v2's objects in its generation.
	want := append(wantKeys(m, false), strangers...)
	slices.Sort(want)
	if got := keys(t, b); !slices.Equal(got, want) {
		t.Errorf("bucket holds\n%q\nwant\n%q", got, want)
	}
	if ok, _ := b.Exists(ctx, v2["js/app.js"].File+".br"); !ok {
		t.Errorf("v2's script sibling is gone with Keep 1")
	}
	if ok, _ := b.Exists(ctx, v1["css/app.css"].File); ok {
		t.Errorf("v1's stylesheet %s is still there with Keep 1", v1["css/app.css"].File)
	}
}

func TestKeepNoneDeletesTheLastBuild(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	first, err := publish.Dir(ctx, b, buildDir(t, site("v1")), publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := publish.Dir(ctx, b, buildDir(t, site("v2")), publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The stylesheet and script changed: their objects and siblings.
	if second.Deleted != 6 {
		t.Errorf("Deleted = %d, want 6 (2 files and 4 siblings)", second.Deleted)
	}
	if got, want := keys(t, b), wantKeys(second.Manifest, false); !slices.Equal(got, want) {
		t.Errorf("bucket holds %q, want %q", got, want)
	}
	if ok, _ := b.Exists(ctx, first.Manifest.Assets["js/app.js"].File); ok {
		t.Error("the first build's script is still there with Keep 0")
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	if _, err := publish.Dir(ctx, b, buildDir(t, site("v1")), publish.Options{Plain: true}); err != nil {
		t.Fatal(err)
	}
	before := modTimes(t, b)
	dir := buildDir(t, site("v2"))
	dry, err := publish.Dir(ctx, b, dir, publish.Options{Plain: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if after := modTimes(t, b); !maps.EqualFunc(after, before, time.Time.Equal) {
		t.Fatalf("a dry run changed the bucket: %v, was %v", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
	}
	real, err := publish.Dir(ctx, b, dir, publish.Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	if !sameAssets(dry.Manifest.Assets, real.Manifest.Assets) || len(dry.Manifest.Generations) != len(real.Manifest.Generations) {
		t.Error("the dry run's manifest differs from the real run's")
	}
	if len(dry.ToUpload) != real.Uploaded || len(dry.ToSkip) != real.Skipped || len(dry.ToDelete) != real.Deleted {
		t.Errorf("dry run lists %d, %d and %d keys to upload, skip and delete; the real run did %d, %d and %d",
			len(dry.ToUpload), len(dry.ToSkip), len(dry.ToDelete), real.Uploaded, real.Skipped, real.Deleted)
	}
	dry.Manifest, real.Manifest = nil, nil
	dry.ToUpload, dry.ToSkip, dry.ToDelete = nil, nil, nil
	if !reflect.DeepEqual(*dry, *real) {
		t.Errorf("dry run %+v, real run %+v", *dry, *real)
	}
	if real.Uploaded == 0 || real.Deleted == 0 {
		t.Errorf("changed build: %+v, want uploads and deletions", *real)
	}
}

func TestFilesThatDoNotMatchTheManifestAreNotPublished(t *testing.T) {
	for _, c := range []struct {
		name string
		file func(a core.Asset) string
	}{
		{"renamed copy", func(a core.Asset) string { return a.File }},
		{"brotli sibling", func(a core.Asset) string { return a.File + ".br" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			b, _ := fileBucket(t)
			old, err := publish.Dir(ctx, b, buildDir(t, site("v1")), publish.Options{Keep: 2})
			if err != nil {
				t.Fatal(err)
			}
			dir := buildDir(t, site("v2"))
			m, err := core.ReadManifest(filepath.Join(dir, core.ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			bad := c.file(m.Assets["css/app.css"])
			if err := os.WriteFile(filepath.Join(dir, bad), []byte("tampered"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = publish.Dir(ctx, b, dir, publish.Options{Keep: 2})
			if !errors.Is(err, publish.ErrMismatch) || !strings.Contains(err.Error(), bad) {
				t.Fatalf("publish of a tampered %s: %v, want an error naming it", bad, err)
			}
			if ok, _ := b.Exists(ctx, bad); ok {
				t.Errorf("tampered %s was published", bad)
			}
			if m := bucketManifest(t, b, ""); !sameAssets(m.Assets, old.Manifest.Assets) {
				t.Error("the manifest in the bucket is no longer the previous one")
			}
			checkObjects(t, b, "", os.DirFS(buildDir(t, site("v1"))), old.Manifest, false)
		})
	}
}

func TestForeignManifestURLsNeverBecomeKeys(t *testing.T) {
	ctx := context.Background()
	m, err := core.ParseManifest([]byte(`{
		"app.js": "app-3f2a9c1b.js",
		"cdn.js": "https://cdn.example.com/cdn.js",
		"proto.js": "//cdn.example.com/proto.js"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{"app-3f2a9c1b.js": {Data: []byte("app")}}
	b, _ := fileBucket(t)
	res, err := publish.Files(ctx, b, files, m, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(t, b), []string{"app-3f2a9c1b.js", publish.ManifestKey}; !slices.Equal(got, want) {
		t.Errorf("bucket holds %q, want %q", got, want)
	}
	if res.Objects != 1 {
		t.Errorf("Objects = %d, want 1", res.Objects)
	}
	r, err := publish.Load(ctx, b, publish.ManifestKey, core.Options{Prefix: "https://assets.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"app.js": "https://assets.example.org/app-3f2a9c1b.js",
		"cdn.js": "https://cdn.example.com/cdn.js",
	} {
		if got, err := r.URL(name); got != want || err != nil {
			t.Errorf("URL(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

// A manifest from another tool records no hash, so publish cannot tell
// that a file's bytes are those its name stands for: its objects are
// published revalidating, never immutable, and a publish of other bytes
// under the same name replaces them; published immutable, they would
// keep the first bytes for good.
func TestForeignManifestObjectsRevalidate(t *testing.T) {
	ctx := context.Background()
	m, err := core.ParseManifest([]byte(`{"app.js": "app.3f2a9c1b.js"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := fileBucket(t)
	for _, data := range []string{"first", "second, longer"} {
		files := fstest.MapFS{"app.3f2a9c1b.js": {Data: []byte(data)}}
		if _, err := publish.Files(ctx, b, files, m, publish.Options{}); err != nil {
			t.Fatal(err)
		}
		attrs, err := b.Attributes(ctx, "app.3f2a9c1b.js")
		if err != nil {
			t.Fatal(err)
		}
		if attrs.CacheControl != serve.CacheRevalidate {
			t.Errorf("Cache-Control %q, want %q: nothing vouches for the bytes", attrs.CacheControl, serve.CacheRevalidate)
		}
		if got, err := b.ReadAll(ctx, "app.3f2a9c1b.js"); string(got) != data || err != nil {
			t.Errorf("object holds %q, %v; want %q", got, err, data)
		}
	}
}

func TestBadKeysAreRefused(t *testing.T) {
	files := fstest.MapFS{"ok-3f2a9c1b2c4d.css": {Data: []byte("x")}}
	for _, file := range []string{
		"../escape-3f2a9c1b2c4d.css",
		"/abs-3f2a9c1b2c4d.css",
		"a/../../b-3f2a9c1b2c4d.css",
		"a//b-3f2a9c1b2c4d.css",
		"a/./b-3f2a9c1b2c4d.css",
		`a\b-3f2a9c1b2c4d.css`,
		"nul\x00-3f2a9c1b2c4d.css",
		".hidden/x-3f2a9c1b2c4d.css",
		".cachebust-pending.json",
		"cachebust.json",
		"https://example.com/x-3f2a9c1b2c4d.css",
		"",
	} {
		t.Run(fmt.Sprintf("%q", file), func(t *testing.T) {
			b, _ := fileBucket(t)
			m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Assets: map[string]core.Asset{
				"ok.css": {File: "ok-3f2a9c1b2c4d.css"},
				"x.css":  {File: file},
			}}
			_, err := publish.Files(context.Background(), b, files, m, publish.Options{})
			if err == nil || !strings.Contains(err.Error(), "x.css") {
				t.Errorf("publish of file %q: %v, want an error naming the asset", file, err)
			}
			if ks := keys(t, b); len(ks) != 0 {
				t.Errorf("bucket holds %q after a refused publish", ks)
			}
		})
	}
}

func TestKeyPrefix(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	dir := buildDir(t, site("v1"))
	res, err := publish.Dir(ctx, b, dir, publish.Options{KeyPrefix: "assets"})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range keys(t, b) {
		if !strings.HasPrefix(key, "assets/") {
			t.Errorf("key %s is outside the prefix", key)
		}
	}
	checkObjects(t, b, "assets/", os.DirFS(dir), res.Manifest, false)
	r, err := publish.Load(ctx, b, "assets/"+publish.ManifestKey, core.Options{Prefix: "https://cdn.example.com/assets/"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.URL("css/app.css"); got != "https://cdn.example.com/assets/"+res.Manifest.Assets["css/app.css"].File {
		t.Errorf("URL = %q", got)
	}
	for _, bad := range []string{"../up", "/abs", "a/../..", ".hidden", `a\b`} {
		if _, err := publish.Dir(ctx, b, dir, publish.Options{KeyPrefix: bad}); err == nil || !strings.Contains(err.Error(), "key prefix") {
			t.Errorf("KeyPrefix %q: %v, want an error", bad, err)
		}
	}
}

// failingFS fails to open the file named fail.
type failingFS struct {
	fs.FS
	fail string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("disk on fire")}
	}
	return f.FS.Open(name)
}

func TestStoppedPublishIsCompletedByTheNext(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	v1 := buildDir(t, site("v1"))
	first, err := publish.Dir(ctx, b, v1, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A publish of v2 that stops half-way: one upload fails for good.
	v2 := buildDir(t, site("v2"))
	m2, err := core.ReadManifest(filepath.Join(v2, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	broken := failingFS{FS: os.DirFS(v2), fail: m2.Assets["js/app.js"].File}
	if _, err := publish.Files(ctx, b, broken, m2, publish.Options{Keep: 1, Workers: 1}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("publish with a failing file: %v", err)
	}
	if m := bucketManifest(t, b, ""); !sameAssets(m.Assets, first.Manifest.Assets) {
		t.Fatal("a stopped publish replaced the manifest")
	}
	checkObjects(t, b, "", os.DirFS(v1), first.Manifest, false)
	if ok, _ := b.Exists(ctx, ".cachebust-pending.json"); !ok {
		t.Fatal("a stopped publish left no pending record")
	}

	// v3 is published next: what v2 uploaded is deleted, as no manifest
	// names it, and the pending record goes.
	v3 := buildDir(t, site("v3"))
	res, err := publish.Dir(ctx, b, v3, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := wantKeys(res.Manifest, false)
	if got := keys(t, b); !slices.Equal(got, want) {
		t.Errorf("after the next publish the bucket holds\n%q\nwant\n%q", got, want)
	}
	checkObjects(t, b, "", os.DirFS(v3), res.Manifest, false)
}

func TestRepeatedStoppedPublishUploadsOnlyTheRest(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	dir := buildDir(t, site("v1"))
	m, err := core.ReadManifest(filepath.Join(dir, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	files := m.Files()
	broken := failingFS{FS: os.DirFS(dir), fail: files[len(files)-1]}
	stopped, err := publish.Files(ctx, b, broken, m, publish.Options{Workers: 1})
	if err == nil {
		t.Fatal("publish with a failing file succeeded")
	}
	if ok, _ := b.Exists(ctx, publish.ManifestKey); ok {
		t.Fatal("a stopped first publish wrote a manifest")
	}
	res, err := publish.Dir(ctx, b, dir, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded+stopped.Uploaded != len(files) || res.Skipped != stopped.Uploaded {
		t.Errorf("stopped publish uploaded %d, the next uploaded %d and skipped %d, of %d objects", stopped.Uploaded, res.Uploaded, res.Skipped, len(files))
	}
	if ok, _ := b.Exists(ctx, ".cachebust-pending.json"); ok {
		t.Error("the pending record is still there after a publish that completed")
	}
	checkObjects(t, b, "", os.DirFS(dir), res.Manifest, false)
}

func TestSourceFingerprintsInMemory(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	src := site("v1")
	res, err := publish.Source(ctx, b, src, fingerprint.Options{}, publish.Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	m := bucketManifest(t, b, "")
	if got, want := keys(t, b), wantKeys(m, true); !slices.Equal(got, want) {
		t.Errorf("bucket holds %q, want %q", got, want)
	}
	// The stylesheet's reference names the fingerprinted image.
	css, err := b.ReadAll(ctx, m.Assets["css/app.css"].File)
	if err != nil {
		t.Fatal(err)
	}
	img := m.Assets["img/logo.png"].File
	if !strings.Contains(string(css), strings.TrimPrefix(img, "img/")) {
		t.Errorf("published stylesheet does not refer to %s:\n%.120s", img, css)
	}
	if plain, _ := b.ReadAll(ctx, "css/app.css"); string(plain) != string(src["css/app.css"].Data) {
		t.Error("plain object is not the original stylesheet")
	}
	if res.Uploaded != 2*len(src) {
		t.Errorf("Uploaded = %d, want %d", res.Uploaded, 2*len(src))
	}
}

func TestQueryFormIsRefused(t *testing.T) {
	b, _ := fileBucket(t)
	_, err := publish.Source(context.Background(), b, site("v1"), fingerprint.Options{Form: strategy.Query{Param: "v"}}, publish.Options{})
	if err == nil || !strings.Contains(err.Error(), "rename form") {
		t.Errorf("publish of a query-form build: %v, want a refusal naming the rename form", err)
	}
	if ks := keys(t, b); len(ks) != 0 {
		t.Errorf("bucket holds %q after a refused publish", ks)
	}
}

func TestLargeFilesAreCheckedAsTheyStream(t *testing.T) {
	ctx := context.Background()
	big := bytes.Repeat([]byte("0123456789abcdef"), 9<<16) // 9 MiB, streamed
	tree := site("v1")
	tree["video/intro.bin"] = &fstest.MapFile{Data: big}
	dir := buildDir(t, tree)
	m, err := core.ReadManifest(filepath.Join(dir, core.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	file := m.Assets["video/intro.bin"].File
	good, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	if err := os.WriteFile(filepath.Join(dir, file), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := fileBucket(t)
	if _, err := publish.Dir(ctx, b, dir, publish.Options{}); !errors.Is(err, publish.ErrMismatch) {
		t.Fatalf("publish of a changed large file: %v, want a mismatch", err)
	}
	if ok, _ := b.Exists(ctx, file); ok {
		t.Fatalf("the changed %s was published", file)
	}
	if err := os.WriteFile(filepath.Join(dir, file), good, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := publish.Dir(ctx, b, dir, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkObjects(t, b, "", os.DirFS(dir), res.Manifest, false)
}

// An object held already with the wrong metadata — a font uploaded as
// application/octet-stream from a host without MIME tables — is written
// again with the right one by a publish with Verify, and only then.
func TestVerifyRepairsMetadata(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	dir := buildDir(t, site("v1"))
	first, err := publish.Dir(ctx, b, dir, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	font := first.Manifest.Assets["fonts/a.woff2"].File
	want, err := b.Attributes(ctx, font)
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.ReadAll(ctx, font)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.WriteAll(ctx, font, data, &blob.WriterOptions{ContentType: "application/octet-stream", CacheControl: want.CacheControl}); err != nil {
		t.Fatal(err)
	}

	res, err := publish.Dir(ctx, b, dir, publish.Options{Keep: 1})
	if err != nil || res.Uploaded != 0 {
		t.Fatalf("publish without Verify: %+v, %v; want nothing uploaded", res, err)
	}
	res, err = publish.Dir(ctx, b, dir, publish.Options{Keep: 1, Verify: true})
	if err != nil || res.Uploaded != 1 {
		t.Fatalf("publish with Verify: %+v, %v; want the font written again", res, err)
	}
	got, err := b.Attributes(ctx, font)
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentType != want.ContentType || got.CacheControl != want.CacheControl {
		t.Errorf("%s after Verify: Content-Type %q, Cache-Control %q; want %q, %q", font, got.ContentType, got.CacheControl, want.ContentType, want.CacheControl)
	}
	checkObjects(t, b, "", os.DirFS(dir), res.Manifest, false)
	res, err = publish.Dir(ctx, b, dir, publish.Options{Keep: 1, Verify: true})
	if err != nil || res.Uploaded != 0 {
		t.Fatalf("second publish with Verify: %+v, %v; want nothing uploaded", res, err)
	}
}

// TestDirManifestSyntaxError checks that a build directory whose manifest
// does not parse fails with a *core.SyntaxError naming the file, line and
// column, and publishes nothing.
func TestDirManifestSyntaxError(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, core.ManifestName)
	if err := os.WriteFile(manifest, []byte("{\n  \"version\": x\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := fileBucket(t)
	_, err := publish.Dir(context.Background(), b, dir, publish.Options{})
	var syntax *core.SyntaxError
	if !errors.As(err, &syntax) || syntax.File != manifest || syntax.Line != 2 || syntax.Column != 14 {
		t.Fatalf("Dir = %v, want a *core.SyntaxError at %s:2:14", err, manifest)
	}
	if ok, _ := b.Exists(context.Background(), publish.ManifestKey); ok {
		t.Error("a manifest was published")
	}
}
