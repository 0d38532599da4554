package jet_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"testing/fstest"

	"github.com/CloudyKit/jet/v6"

	cbjet "github.com/cachebust/cachebust/adapters/jet"
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
	loader := jet.NewInMemLoader()
	loader.Set("/page.jet", `<link rel="stylesheet" href="{{ "css/app.css" | asset_url }}">
<link rel="stylesheet" href="{{ asset_url("css/app.css") }}">
`)
	loader.Set("/broken.jet", `{{ asset_url("css/missing.css") }}`)
	set := jet.NewSet(loader)
	cbjet.Install(set, r)

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
