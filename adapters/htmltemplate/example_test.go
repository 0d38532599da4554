package htmltemplate_test

import (
	"context"
	"fmt"
	"html/template"
	"log"
	"os"
	"testing/fstest"

	adapter "github.com/cachebust/cachebust/adapters/htmltemplate"
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
	page := template.Must(template.New("page").Funcs(adapter.Funcs(r)).Parse(
		`<link rel="stylesheet" href="{{ asset_url "css/app.css" }}">` + "\n" +
			`<link rel="stylesheet" href="{{ "css/missing.css" | asset_url }}">` + "\n"))
	err = page.Execute(os.Stdout, nil)
	fmt.Println(err)
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <link rel="stylesheet" href="template: page:2:52: executing "page" at <asset_url>: error calling asset_url: asset "css/missing.css": not in manifest
}
