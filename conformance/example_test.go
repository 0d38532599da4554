package conformance_test

import (
	"fmt"
	"log"

	"github.com/cachebust/cachebust/core"
)

// An adapter proves it behaves like every other engine by running the
// suite in its tests, with a function that makes its engine:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, newHTMLEngine)
//	}
//
// The suite writes its templates through the engine's syntax methods, as
// here with html/template (htmlEngine, in this package's tests).
func ExampleRun() {
	m, err := core.ParseManifest([]byte(`{"css/app.css": "css/app-0123456789ab.css"}`))
	if err != nil {
		log.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		log.Fatal(err)
	}
	e := newHTMLEngine(nil, r)
	src := `<link rel="stylesheet" href="` + e.Filter("asset_url", e.Literal("css/app.css")) + `">`
	fmt.Println(src)
	fmt.Println(e.Render(src, nil))
	// Output:
	// <link rel="stylesheet" href="{{ "css/app.css" | asset_url }}">
	// <link rel="stylesheet" href="/static/css/app-0123456789ab.css"> <nil>
}
