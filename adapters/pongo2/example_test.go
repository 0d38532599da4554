package pongo2_test

import (
	"context"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/flosch/pongo2/v6"

	cbpongo2 "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/build"
	"github.com/cachebust/cachebust/core"
)

func Example() {
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := build.FS(context.Background(), assets, build.Options{})
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
	if err := cbpongo2.Install(set, r); err != nil {
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
