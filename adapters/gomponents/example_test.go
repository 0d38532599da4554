package gomponents_test

import (
	"context"
	"log"
	"os"
	"testing/fstest"

	h "maragu.dev/gomponents/html"

	cbg "github.com/cachebust/cachebust/adapters/gomponents"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

func Example() {
	assets := fstest.MapFS{
		"css/app.css":  {Data: []byte("body{color:#c00}\n")},
		"js/app.js":    {Data: []byte("console.log(\"app\");\n")},
		"img/logo.svg": {Data: []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")},
	}
	built, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(built.Manifest(), core.Options{Strict: true})
	if err != nil {
		log.Fatal(err)
	}

	page := h.Head(
		cbg.ImportMap(r),
		cbg.Stylesheet(r, "css/app.css"),
		cbg.Module(r, "js/app.js"),
		h.Link(h.Rel("icon"), cbg.Href(r, "img/logo.svg")),
	)
	if err := page.Render(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <head><script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js"}}</script><link rel="stylesheet" href="/static/css/app-7cf8afb02638.css"><script type="module" src="/static/js/app-6f4c113f5974.js"></script><link rel="icon" href="/static/img/logo-fb91f9a03c20.svg"></head>
}
