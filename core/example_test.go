package core_test

import (
	"fmt"
	"log"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// manifestJSON is a manifest as `cachebust build` writes it.
const manifestJSON = `{
  "version": 1,
  "hash": "sha256",
  "url": "rename",
  "length": 12,
  "assets": {
    "css/app.css": {
      "file": "css/app-451e31341180.css",
      "hash": "451e313411807affc88922b30aaf09b4e7fa61433ca5549e34338720ed74143e",
      "size": 586
    }
  }
}
`

// Load the manifest a build wrote, here from an fs.FS such as an
// embed.FS, and resolve URLs against it. A path missing from the manifest
// falls back to its plain URL.
func ExampleLoadFS() {
	public := fstest.MapFS{"cachebust.json": {Data: []byte(manifestJSON)}}
	r, err := core.LoadFS(public, core.ManifestName, core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"css/app.css", "/css//app.css", "js/missing.js"} {
		url, err := r.URL(name)
		fmt.Println(url, err)
	}
	// Output:
	// /static/css/app-451e31341180.css <nil>
	// /static/css/app-451e31341180.css <nil>
	// /static/js/missing.js <nil>
}

// In strict mode a missing asset is an error naming it, and a base URL
// puts the assets on another host.
func ExampleNew() {
	m, err := core.ParseManifest([]byte(manifestJSON))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "https://cdn.example.com/assets/", Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("css/app.css"))
	fmt.Println(r.URL("js/missing.js"))
	// Output:
	// https://cdn.example.com/assets/css/app-451e31341180.css <nil>
	//  asset "js/missing.js": not in manifest
}

// Swap replaces a resolver's manifest atomically, for example after a
// deploy: lookups already running finish with the old one.
func ExampleResolver_Swap() {
	m, err := core.ParseManifest([]byte(manifestJSON))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("css/app.css"))

	next, err := core.ParseManifest([]byte(`{"css/app.css": "css/app-0123456789ab.css"}`))
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Swap(next); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("css/app.css"))
	// Output:
	// /static/css/app-451e31341180.css <nil>
	// /static/css/app-0123456789ab.css <nil>
}

// Resolve Vite's build output: entry chunks by source path, and the
// stylesheets an entry needs.
func ExampleViteManifest_CSS() {
	v, err := core.ParseViteManifest([]byte(`{
	  "_shared-B7PI925R.js": {"file": "assets/shared-B7PI925R.js", "css": ["assets/shared-ChJ_j-JJ.css"]},
	  "src/main.ts": {"file": "assets/main-BRBmoGS9.js", "src": "src/main.ts", "isEntry": true,
	    "imports": ["_shared-B7PI925R.js"], "css": ["assets/main-5UjPuW-k.css"]}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(v.Manifest(), core.Options{Prefix: "/build/"})
	if err != nil {
		log.Fatal(err)
	}
	css, _ := v.CSS("src/main.ts")
	for _, f := range css {
		u, _ := r.URL(f)
		fmt.Printf("<link rel=\"stylesheet\" href=\"%s\">\n", u)
	}
	js, _ := r.URL("src/main.ts")
	fmt.Printf("<script type=\"module\" src=\"%s\"></script>\n", js)
	// Output:
	// <link rel="stylesheet" href="/build/assets/main-5UjPuW-k.css">
	// <link rel="stylesheet" href="/build/assets/shared-ChJ_j-JJ.css">
	// <script type="module" src="/build/assets/main-BRBmoGS9.js"></script>
}

// Resolve the versioned URLs of a Laravel Mix build.
func ExampleParseMixManifest() {
	m, err := core.ParseMixManifest([]byte(`{"/js/app.js": "/js/app.js?id=6f3b2a0c9d1e8f7a4b5c"}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Prefix: "/"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL("js/app.js"))
	// Output:
	// /js/app.js?id=6f3b2a0c9d1e8f7a4b5c <nil>
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

// An import map for a page of JavaScript modules: every module's plain
// URL, and the bare names of Options.Imports, map to fingerprinted URLs.
func ExampleResolver_ImportMap() {
	m, err := core.ParseManifest([]byte(`{
  "version": 1,
  "hash": "sha256",
  "url": "rename",
  "length": 12,
  "assets": {
    "js/app.js": {"file": "js/app-6f4c113f5974.js", "hash": "6f4c113f597494422a7a98c570a40307c74039f30cf5d7cb7bcfa1b5ed50c178", "size": 21},
    "js/util.js": {"file": "js/util-0a6e4b1c5d3f.js", "hash": "0a6e4b1c5d3f7d4ce48a01d3ae5e0b8d0a2f1c4a7b9b5b1e8f5a3e6c4d2b1a09", "size": 30}
  }
}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{Imports: map[string]string{"app": "js/app.js"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.ImportMap())
	// Output:
	// <script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","/static/js/util.js":"/static/js/util-0a6e4b1c5d3f.js","app":"/static/js/app-6f4c113f5974.js"}}</script> <nil>
}

// The tags of an entry: the module script and a modulepreload of each
// module of its static import closure, so that the browser fetches them at
// once rather than one level of imports after the other. With a Vite dev
// server configured, the same call gives the dev server's tags.
func ExampleResolver_Entry() {
	m, err := core.ParseManifest([]byte(`{
  "version": 1,
  "hash": "",
  "url": "rename",
  "assets": {
    "js/app.js": {"file": "js/app-6f4c113f5974.js", "hash": "", "size": 0, "integrity": "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC", "imports": ["js/util.js"]},
    "js/util.js": {"file": "js/util-0a6e4b1c5d3f.js", "hash": "", "size": 0, "imports": ["js/dom.js"]},
    "js/dom.js": {"file": "js/dom-77a0e5d1c2b3.js", "hash": "", "size": 0}
  }
}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	tags, err := r.Entry("js/app.js")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.HTML())
	}
	fmt.Println(tags[1].Link())

	dev, err := core.New(m, core.Options{ViteDevServer: "http://localhost:5173"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dev.EntryHTML("src/main.ts"))
	// Output:
	// <script type="module" src="/static/js/app-6f4c113f5974.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>
	// <link rel="modulepreload" href="/static/js/dom-77a0e5d1c2b3.js">
	// <link rel="modulepreload" href="/static/js/util-0a6e4b1c5d3f.js">
	// </static/js/dom-77a0e5d1c2b3.js>; rel=modulepreload
	// <script type="module" src="http://localhost:5173/@vite/client"></script>
	// <script type="module" src="http://localhost:5173/src/main.ts"></script> <nil>
}

// Preload a single asset, such as a font a stylesheet uses or a hero
// image: the preload's as, type and crossorigin match the request the
// page makes for it later, so the browser fetches it once.
func ExampleResolver_Preload() {
	m, err := core.ParseManifest([]byte(`{
		"fonts/inter.woff2": "fonts/inter.3f2a9c1b.woff2",
		"img/hero.avif": "img/hero.9c1d0e2f.avif"
	}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.PreloadHTML("fonts/inter.woff2"))
	fmt.Println(r.PreloadHTML("img/hero.avif"))
	font, _ := r.Preload("fonts/inter.woff2")
	fmt.Println(font.Link())
	// Output:
	// <link rel="preload" href="/static/fonts/inter.3f2a9c1b.woff2" as="font" type="font/woff2" crossorigin> <nil>
	// <link rel="preload" href="/static/img/hero.9c1d0e2f.avif" as="image"> <nil>
	// </static/fonts/inter.3f2a9c1b.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin
}
