package jet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/CloudyKit/jet/v6"

	cbjet "github.com/cachebust/cachebust/adapters/jet"
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
	loader := jet.NewInMemLoader()
	loader.Set("/page.jet", `<link rel="stylesheet" href="{{ "css/app.css" | asset_url }}">
<link rel="stylesheet" href="{{ asset_url("css/app.css") }}">
`)
	loader.Set("/broken.jet", `{{ asset_url("css/missing.css") }}`)
	set := jet.NewSet(loader)
	if err := cbjet.Register(set, r); err != nil {
		log.Fatal(err)
	}

	for _, name := range []string{"/page.jet", "/broken.jet"} {
		t, err := set.GetTemplate(name)
		if err != nil {
			log.Fatal(err)
		}
		err = t.Execute(os.Stdout, nil, nil)
		fmt.Println(err, errors.Is(err, core.ErrNotFound))
	}
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <nil> false
	// asset_url: asset "css/missing.css": not in manifest true
}

// Templates from a directory: the pipe and the call syntax, and the import
// map, which the set's HTML escaper leaves alone.
func Example_files() {
	views, err := os.MkdirTemp("", "views")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(views)
	const page = `{{ asset_importmap() }}
<link rel="stylesheet" href="{{ "css/app.css" | asset_url }}">
<script src="{{ asset_url("js/app.js") }}"></script>
`
	if err := os.WriteFile(filepath.Join(views, "page.jet"), []byte(page), 0o644); err != nil {
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

	set := jet.NewSet(jet.NewOSFileSystemLoader(views))
	// Per set; works for templates parsed earlier too.
	if err := cbjet.Register(set, r); err != nil {
		log.Fatal(err)
	}

	t, err := set.GetTemplate("page.jet")
	if err != nil {
		log.Fatal(err)
	}
	if err := t.Execute(os.Stdout, nil, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js"}}</script>
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <script src="/static/js/app-6f4c113f5974.js"></script>
}
