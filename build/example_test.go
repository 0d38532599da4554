package build_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"testing/fstest"

	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

// Build a manifest at start-up from any fs.FS, such as an embed.FS, and
// resolve URLs against it.
func ExampleFS() {
	assets := fstest.MapFS{
		"css/main.css":            {Data: []byte("body{color:red}\n")},
		"slider/title-img-01.jpg": {Data: []byte("\xff\xd8\xff\xe0 not really a jpeg")},
	}
	t, err := build.FS(context.Background(), assets, build.Options{})
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
	t, err := build.FS(context.Background(), assets, build.Options{
		Hash: strategy.CRC32,
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
	d, err := build.NewDev(os.DirFS(dir), build.DevOptions{}, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	fmt.Println(r.URL("app.js"))
	if err := os.WriteFile(dir+"/app.js", []byte("v2!"), 0o644); err != nil {
		log.Fatal(err)
	}
	// Every DevOptions.Poll, or now:
	if err := d.Check(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("app.js"))
	// Output:
	// /static/app-3bfc269594ef.js <nil>
	// /static/app-5582ec3db4db.js <nil>
}
