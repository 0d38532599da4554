package htmltemplate_test

import (
	"context"
	"fmt"
	"html/template"
	"log"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
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
	page := template.Must(template.New("page").Funcs(htmltemplate.Funcs(r)).Parse(
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
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true, Imports: map[string]string{"app": "js/app.js"}})
	if err != nil {
		log.Fatal(err)
	}
	page := template.Must(template.New("page").Funcs(htmltemplate.Funcs(r)).Parse(
		`<head>{{ asset_importmap }}<script type="module">import "app";</script></head>` + "\n"))
	if err := page.Execute(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <head><script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","app":"/static/js/app-6f4c113f5974.js"}}</script><script type="module">import "app";</script></head>
}

// A page parsed from a file, with Subresource Integrity: the template is
// named after its file, as ParseFiles requires, and the build records
// integrity values (cachebust build -integrity sha384), which
// asset_integrity needs in strict mode. (html/template writes the "+" of
// the base64 value as &#43;, which the browser reads back as "+".)
func ExampleFuncs_parseFiles() {
	views, err := os.MkdirTemp("", "views")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(views)
	const page = `<link rel="stylesheet" href="{{ "css/app.css" | asset_url }}" integrity="{{ asset_integrity "css/app.css" }}">` + "\n"
	if err := os.WriteFile(filepath.Join(views, "page.html"), []byte(page), 0o644); err != nil {
		log.Fatal(err)
	}
	assets := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{Integrity: "sha384"})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}

	t := template.Must(template.New("page.html").Funcs(htmltemplate.Funcs(r)).ParseFiles(filepath.Join(views, "page.html")))
	if err := t.Execute(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css" integrity="sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7&#43;lj5DbwUBduHl">
}

// A page as docs/ADAPTERS.md sets it up: a strict resolver over a build
// that recorded integrity values, with the bare name "app" for the import
// map, and a template parsed from its file.
func Example_page() {
	views, err := os.MkdirTemp("", "views")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(views)
	const page = `{{ asset_importmap }}
<link rel="stylesheet" href="{{ asset_url "css/app.css" }}"
      integrity="{{ "css/app.css" | asset_integrity }}">
`
	if err := os.WriteFile(filepath.Join(views, "page.html"), []byte(page), 0o644); err != nil {
		log.Fatal(err)
	}
	assets := fstest.MapFS{ // os.DirFS("static"), an embed.FS
		"css/app.css": {Data: []byte("body{color:#c00}\n")},
		"js/app.js":   {Data: []byte("console.log(\"app\");\n")},
	}
	ctx := context.Background()

	tree, err := fingerprint.FS(ctx, assets, fingerprint.Options{Integrity: "sha384"}) // for asset_integrity
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(tree.Manifest(), core.Options{
		Prefix:  "/static/",
		Strict:  true,
		Imports: map[string]string{"app": "js/app.js"}, // bare names for asset_importmap
	})
	if err != nil {
		log.Fatal(err)
	}

	t := template.Must(template.New("page.html").
		Funcs(htmltemplate.Funcs(r)). // before Parse
		ParseFiles(filepath.Join(views, "page.html")))
	if err := t.Execute(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","app":"/static/js/app-6f4c113f5974.js"},"integrity":{"/static/js/app-6f4c113f5974.js":"sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"}}</script>
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"
	//       integrity="sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7&#43;lj5DbwUBduHl">
}

// The head of a page built by Vite: asset_entry prints what Vite's backend
// integration guide prescribes for an entry of its manifest, and
// asset_preload the preload of a font. With a Vite dev server configured,
// asset_entry prints the dev server's tags instead, so that one template
// serves both.
func Example_entry() {
	vite, err := core.ParseViteManifest([]byte(`{
  "src/main.ts": {"file": "assets/main-BRBmoGS9.js", "src": "src/main.ts", "isEntry": true,
    "imports": ["_shared-B7PI925R.js"], "css": ["assets/main-5UjPuW-k.css"]},
  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "css": ["assets/shared-ChJ_j-JJ.css"],
    "assets": ["assets/inter-Cz4s9D2b.woff2"]}
}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, step := range []struct {
		opts core.Options
		head string
	}{
		{core.Options{Prefix: "/", Strict: true}, `{{ asset_entry "src/main.ts" }}
{{ asset_preload "assets/inter-Cz4s9D2b.woff2" }}
`},
		{core.Options{Prefix: "/", ViteDevServer: "http://localhost:5173/"}, `{{ asset_entry "src/main.ts" }}
`},
	} {
		r, err := core.New(vite.Manifest(), step.opts)
		if err != nil {
			log.Fatal(err)
		}
		page := template.Must(template.New("head").Funcs(htmltemplate.Funcs(r)).Parse(step.head))
		if err := page.Execute(os.Stdout, nil); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// <link rel="stylesheet" href="/assets/main-5UjPuW-k.css">
	// <link rel="stylesheet" href="/assets/shared-ChJ_j-JJ.css">
	// <script type="module" src="/assets/main-BRBmoGS9.js"></script>
	// <link rel="modulepreload" href="/assets/shared-B7PI925R.js">
	// <link rel="preload" href="/assets/inter-Cz4s9D2b.woff2" as="font" type="font/woff2" crossorigin>
	// <script type="module" src="http://localhost:5173/@vite/client"></script>
	// <script type="module" src="http://localhost:5173/src/main.ts"></script>
}
