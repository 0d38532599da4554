package fingerprint_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// Build a manifest at start-up from any fs.FS, such as an embed.FS, and
// resolve URLs against it.
func ExampleFS() {
	assets := fstest.MapFS{
		"css/main.css":            {Data: []byte("body{color:red}\n")},
		"slider/title-img-01.jpg": {Data: []byte("\xff\xd8\xff\xe0 not really a jpeg")},
	}
	t, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(t.Manifest(), core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"css/main.css", "/css//main.css", "js/missing.js"} {
		url, err := r.URL(name)
		fmt.Println(url, err)
	}
	// Output:
	// /static/css/main-74d94aede163.css <nil>
	// /static/css/main-74d94aede163.css <nil>
	// /static/js/missing.js <nil>
}

// The query form with CRC-32 and a bare query string, as a Jinja2
// filter appending ?<crc> would write it.
func ExampleFS_query() {
	assets := fstest.MapFS{"slider/title-img-01.jpg": {Data: []byte("hello")}}
	t, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{
		Hash: strategy.CRC32(),
		Form: strategy.Query{},
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(t.Manifest(), core.Options{Prefix: "/static/images/", Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("slider/title-img-01.jpg"))
	fmt.Println(r.URL("someimage.jpg"))
	// Output:
	// /static/images/slider/title-img-01.jpg?3610a686 <nil>
	//  asset "someimage.jpg": not in manifest
}

// In development, a Dev re-hashes files that change, without a restart.
func ExampleNewDev() {
	dir, err := os.MkdirTemp("", "assets")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(dir+"/app.js", []byte("v1"), 0o644); err != nil {
		log.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer root.Close()
	d, err := fingerprint.NewDev(root.FS(), fingerprint.DevOptions{}, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	fmt.Println(r.URL("app.js"))
	if err := os.WriteFile(dir+"/app.js", []byte("v2!"), 0o644); err != nil {
		log.Fatal(err)
	}
	// Every DevOptions.Poll, or now. A file modified just now may be
	// half-written: the check that sees the change leaves the URL as it
	// is, and the next one, finding the file unchanged since, gives it a
	// new URL.
	for range 2 {
		if err := d.Check(context.Background()); err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.URL("app.js"))
	}
	// Output:
	// /static/app-3bfc269594ef.js <nil>
	// /static/app-3bfc269594ef.js <nil>
	// /static/app-5582ec3db4db.js <nil>
}

// Build a directory for deployment: renamed copies beside the originals,
// then the manifest. A second build of an unchanged tree writes nothing.
func ExampleDir() {
	dir, err := os.MkdirTemp("", "public")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "app.css"), []byte("body{color:#c00}\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	opts := fingerprint.DirOptions{Keep: fingerprint.DefaultKeep}
	for range 2 {
		res, err := fingerprint.Dir(context.Background(), dir, "", opts)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Manifest.Assets["app.css"].File, res.Written, filepath.Base(res.ManifestPath))
	}
	// Output:
	// app-7cf8afb02638.css [app-7cf8afb02638.css] cachebust.json
	// app-7cf8afb02638.css [] cachebust.json
}

// Verify checks every file a manifest names; Clean trims the kept builds
// and removes their files.
func ExampleClean() {
	dir, err := os.MkdirTemp("", "public")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	css := filepath.Join(dir, "app.css")
	for _, body := range []string{"body{color:#c00}\n", "body{color:#00c}\n"} {
		if err := os.WriteFile(css, []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
		if _, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{Keep: 1}); err != nil {
			log.Fatal(err)
		}
	}
	m, err := core.ReadManifest(filepath.Join(dir, core.ManifestName))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verify:", fingerprint.Verify(os.DirFS(dir), m))
	removed, err := fingerprint.Clean(context.Background(), dir, fingerprint.CleanOptions{Keep: 0})
	fmt.Println("removed:", removed, err)
	// Output:
	// verify: <nil>
	// removed: [app-7cf8afb02638.css] <nil>
}

// With no build step: fingerprint an fs.FS (an embed.FS, say) at start-up,
// choosing the strategies, and resolve URLs on a CDN.
func ExampleFS_cdn() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}} // an embed.FS
	ctx := context.Background()

	tree, err := fingerprint.FS(ctx, assets, fingerprint.Options{
		Hash: strategy.SHA256(), // or strategy.CRC32(), strategy.MD5(), your own
		Form: strategy.Rename{}, // or strategy.Query{Param: "v"}
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(tree.Manifest(), core.Options{Prefix: "https://cdn.example.com/assets/"})
	if err != nil {
		log.Fatal(err)
	}
	url, err := r.URL("css/app.css") // https://cdn.example.com/assets/css/app-7cf8afb02638.css
	fmt.Println(url, err)
	// Output:
	// https://cdn.example.com/assets/css/app-7cf8afb02638.css <nil>
}
