package pongo2_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/flosch/pongo2/v6"

	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

func Example() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m := built.Manifest()
	r, err := core.New(m, core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	// Once, before parsing: the filters are process-wide and use the
	// default resolver.
	if err := cbpongo2.SetDefault(r); err != nil {
		log.Fatal(err)
	}
	// Per template set: the function syntax.
	set := pongo2.NewSet("site", pongo2.DefaultLoader)
	if err := cbpongo2.Register(set, r); err != nil {
		log.Fatal(err)
	}

	tpl := pongo2.Must(set.FromString(`<link rel="stylesheet" href="{{ "css/app.css"|asset_url }}">
<link rel="stylesheet" href="{{ asset_url("css/app.css") }}">`))
	fmt.Println(tpl.Execute(nil))

	tpl = pongo2.Must(set.FromString(`{{ "css/missing.css"|asset_url }}`))
	fmt.Println(tpl.Execute(nil))
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"> <nil>
	//  [Error (where: filter:asset_url) | Line 1 Col 22 near 'asset_url'] asset "css/missing.css": not in manifest
}

// Templates from a directory: the filter and the function syntax, and the
// import map, which autoescape leaves alone.
func Example_files() {
	templates, err := os.MkdirTemp("", "templates")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(templates)
	const page = `{{ asset_importmap() }}
<link rel="stylesheet" href="{{ "css/app.css"|asset_url }}">
<script src="{{ asset_url("js/app.js") }}"></script>`
	if err := os.WriteFile(filepath.Join(templates, "page.html"), []byte(page), 0o644); err != nil {
		log.Fatal(err)
	}
	assets := fstest.MapFS{
		"css/app.css": {Data: []byte("body{color:#c00}\n")},
		"js/app.js":   {Data: []byte("console.log(\"app\");\n")},
	}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}

	// Once, in main (or TestMain), before any template is parsed.
	if err := cbpongo2.SetDefault(r); err != nil {
		log.Fatal(err)
	}

	set := pongo2.NewSet("site", pongo2.MustNewLocalFileSystemLoader(templates))
	if err := cbpongo2.Register(set, r); err != nil {
		log.Fatal(err)
	}

	tpl, err := set.FromFile("page.html")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tpl.Execute(nil))
	// Output:
	// <script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js"}}</script>
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <script src="/static/js/app-6f4c113f5974.js"></script> <nil>
}
