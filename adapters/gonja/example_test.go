package gonja_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"testing/fstest"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"

	cbgonja "github.com/cachebust/cachebust/adapters/gonja"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// A Jinja2 page: the filter form, the call form and the import map, in
// an environment of its own, rendered with autoescape on.
func Example() {
	assets := fstest.MapFS{
		"slider/title-img-01.jpg": {Data: []byte("not really a JPEG\n")},
		"css/app.css":             {Data: []byte("body{color:#c00}\n")},
		"js/app.js":               {Data: []byte("console.log(\"app\");\n")},
	}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}
	loader := loaders.MustNewMemoryLoader(map[string]string{
		"/page.html": `{{ asset_importmap() }}
<link rel="stylesheet" href="{{ asset_url('css/app.css') }}">
<img src="{{ 'slider/title-img-01.jpg' | asset_url }}" alt="{{ title }}">
`,
		"/broken.html": `{{ asset_url('css/missing.css') }}`,
	})

	env := cbgonja.NewEnvironment(r) // gonja's built-ins and asset_url, per environment
	cfg := config.New()
	cfg.AutoEscape = true

	page, err := exec.NewTemplate("/page.html", cfg, loader, env)
	if err != nil {
		log.Fatal(err)
	}
	data := exec.NewContext(map[string]any{"title": "Fish & chips"})
	if err := cbgonja.Execute(page, os.Stdout, data); err != nil {
		log.Fatal(err)
	}

	broken, err := exec.NewTemplate("/broken.html", cfg, loader, env)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println() // gonja drops the template's last newline, as Jinja2 does
	err = cbgonja.Execute(broken, os.Stdout, nil)
	fmt.Println(err != nil, errors.Is(err, core.ErrNotFound))
	// Output:
	// <script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js"}}</script>
	// <link rel="stylesheet" href="/static/css/app-7cf8afb02638.css">
	// <img src="/static/slider/title-img-01-a5fab1a2a0ef.jpg" alt="Fish &amp; chips">
	// true true
}
