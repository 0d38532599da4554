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

// A page of JavaScript modules: asset_importmap prints the import map,
// which html/template leaves unescaped, and the module script imports the
// bare name "app" that core.Options.Imports maps.
func Example_importMap() {
	assets := fstest.MapFS{"js/app.js": {Data: []byte("console.log(\"app\");\n")}}
	built, err := build.FS(context.Background(), assets, build.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true, Imports: map[string]string{"app": "js/app.js"}})
	if err != nil {
		log.Fatal(err)
	}
	page := template.Must(template.New("page").Funcs(adapter.Funcs(r)).Parse(
		`<head>{{ asset_importmap }}<script type="module">import "app";</script></head>` + "\n"))
	if err := page.Execute(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <head><script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","app":"/static/js/app-6f4c113f5974.js"}}</script><script type="module">import "app";</script></head>
}
