package core_test

import (
	"context"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

// Build a manifest at start-up from any fs.FS, such as an embed.FS, and
// resolve URLs against it.
func Example() {
	assets := fstest.MapFS{
		"css/main.css":            {Data: []byte("body{color:red}\n")},
		"slider/title-img-01.jpg": {Data: []byte("\xff\xd8\xff\xe0 not really a jpeg")},
	}
	m, err := core.Build(context.Background(), assets, core.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/static/"})
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

// The query form of the Jinja2 article: CRC32, bare query string.
func Example_query() {
	assets := fstest.MapFS{"slider/title-img-01.jpg": {Data: []byte("hello")}}
	m, err := core.Build(context.Background(), assets, core.BuildOptions{
		Hash: strategy.CRC32,
		Form: strategy.Query{},
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/static/images/", Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("slider/title-img-01.jpg"))
	fmt.Println(r.URL("someimage.jpg"))
	// Output:
	// /static/images/slider/title-img-01.jpg?3610a686 <nil>
	//  asset "someimage.jpg": not in manifest
}

// A foreign map may name assets on another host: they resolve to their
// URLs as they are, and are no files of the build. A prefix or a URL that
// is not safe in a page is refused.
func ExampleParseManifest_urls() {
	m, err := core.ParseManifest([]byte(`{
		"main.js": "/dist/main.7f3c1b2a.js",
		"vendor.js": "https://cdn.example.com/dist/vendor.12ab34cd.js"
	}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Foreign(), m.Files())
	r, err := core.New(m, core.Options{Prefix: "/my static/"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("main.js"))
	fmt.Println(r.URL("vendor.js"))

	_, err = core.New(m, core.Options{Prefix: "javascript:alert(1)//"})
	fmt.Println(err)
	_, err = core.ParseManifest([]byte(`{"x.js": "https://x/a.js onmouseover=alert(1)"}`))
	fmt.Println(err)
	// Output:
	// true [dist/main.7f3c1b2a.js]
	// /my%20static/dist/main.7f3c1b2a.js <nil>
	// https://cdn.example.com/dist/vendor.12ab34cd.js <nil>
	// prefix "javascript:alert(1)//": unsafe URL: scheme "javascript" (want http, https or a path)
	// corrupt manifest: entry "x.js": url "https://x/a.js onmouseover=alert(1)": unsafe URL: ' ' is not allowed
}
