package publish_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/publish"
)

// Publish a source tree, fingerprinted in memory, to a bucket, then
// resolve against the manifest read back from the bucket, as an app server
// does. A file:/// bucket stands in for s3://, gs:// or azblob://.
func Example() {
	dir, err := os.MkdirTemp("", "bucket")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	bucket, err := publish.OpenBucket(ctx, "file://"+dir)
	if err != nil {
		log.Fatal(err)
	}
	defer bucket.Close()

	assets := fstest.MapFS{
		"css/main.css": {Data: []byte("body{color:red}\n")},
		"img/logo.png": {Data: []byte("\x89PNG not really")},
	}
	res, err := publish.Source(ctx, bucket, assets, fingerprint.Options{}, publish.Options{Keep: publish.DefaultKeep})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("uploaded %d objects, skipped %d\n", res.Uploaded, res.Skipped)

	// On every app server:
	r, err := publish.Load(ctx, bucket, publish.ManifestKey, core.Options{Prefix: "https://cdn.example.com/"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("css/main.css"))

	// Publishing the same tree again sends nothing.
	res, err = publish.Source(ctx, bucket, assets, fingerprint.Options{}, publish.Options{Keep: publish.DefaultKeep})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("uploaded %d objects, skipped %d\n", res.Uploaded, res.Skipped)
	// Output:
	// uploaded 2 objects, skipped 0
	// https://cdn.example.com/css/main-74d94aede163.css <nil>
	// uploaded 0 objects, skipped 2
}

// Publish the output of "cachebust build" with its precompressed
// siblings.
func ExampleDir() {
	root, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	src := fstest.MapFS{"js/app.js": {Data: []byte(strings.Repeat("console.log('hello');\n", 20))}}
	if err := os.CopyFS(root+"/static", src); err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// What "cachebust build -gzip -out dist static" does.
	if _, err := fingerprint.Dir(ctx, root+"/static", root+"/dist", fingerprint.DirOptions{Gzip: true}); err != nil {
		log.Fatal(err)
	}
	if err := os.Mkdir(root+"/bucket", 0o755); err != nil {
		log.Fatal(err)
	}
	bucket, err := publish.OpenBucket(ctx, "file://"+root+"/bucket")
	if err != nil {
		log.Fatal(err)
	}
	defer bucket.Close()

	res, err := publish.Dir(ctx, bucket, root+"/dist", publish.Options{KeyPrefix: "assets/", Keep: publish.DefaultKeep})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("uploaded %d objects (%d bytes)\n", res.Uploaded, res.UploadedBytes)
	it := bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err != nil {
			break
		}
		attrs, err := bucket.Attributes(ctx, obj.Key)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %q %q %q\n", obj.Key, attrs.ContentType, attrs.ContentEncoding, attrs.CacheControl)
	}
	// Output:
	// uploaded 2 objects (491 bytes)
	// assets/cachebust.json "application/json" "" "no-cache"
	// assets/js/app-48a045cf4346.js "text/javascript; charset=utf-8" "" "public, max-age=31536000, immutable"
	// assets/js/app-48a045cf4346.js.gz "text/javascript; charset=utf-8" "gzip" "public, max-age=31536000, immutable"
}

// Keep the resolver of an app server in step with the bucket: every 10
// seconds, and at once on a signal such as SIGHUP.
func ExampleWatcher() {
	dir, err := os.MkdirTemp("", "bucket")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	bucket, err := publish.OpenBucket(ctx, "file://"+dir)
	if err != nil {
		log.Fatal(err)
	}
	defer bucket.Close()
	publish.Source(ctx, bucket, fstest.MapFS{"app.js": {Data: []byte("v1")}}, fingerprint.Options{}, publish.Options{Keep: 1})

	w, err := publish.Watch(ctx, bucket, publish.ManifestKey, core.Options{Prefix: "https://cdn.example.com/"})
	if err != nil {
		log.Fatal(err)
	}
	// In a server: go w.Poll(ctx, 10*time.Second, func(err error) { log.Print(err) })
	fmt.Println(w.Resolver().URL("app.js"))

	// A deploy publishes a new build; the next reload picks it up.
	publish.Source(ctx, bucket, fstest.MapFS{"app.js": {Data: []byte("v2")}}, fingerprint.Options{}, publish.Options{Keep: 1})
	swapped, err := w.Reload(ctx)
	fmt.Println(swapped, err)
	fmt.Println(w.Resolver().URL("app.js"))
	// Output:
	// https://cdn.example.com/app-3bfc269594ef.js <nil>
	// true <nil>
	// https://cdn.example.com/app-fb04dcb6970e.js <nil>
}

// Publish the build a manifest from another tool records: here a
// webpack-style map, whose entry for a file already on a CDN is a URL and
// so never becomes a key.
func ExampleFiles() {
	dir, err := os.MkdirTemp("", "bucket")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	bucket, err := publish.OpenBucket(ctx, "file://"+dir)
	if err != nil {
		log.Fatal(err)
	}
	defer bucket.Close()

	m, err := core.ParseManifest([]byte(`{
		"main.js": "main.3f2a9c1b.js",
		"vendor.js": "https://cdn.example.com/vendor.js"
	}`))
	if err != nil {
		log.Fatal(err)
	}
	files := fstest.MapFS{"main.3f2a9c1b.js": {Data: []byte("console.log(1)")}}
	res, err := publish.Files(ctx, bucket, files, m, publish.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d object uploaded, manifest written: %v\n", res.Uploaded, res.ManifestWritten)
	// Output:
	// 1 object uploaded, manifest written: true
}
