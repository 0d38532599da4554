// Package adaptertest holds what the adapters' own tests share beyond the
// conformance suite: a resolver of one known stylesheet.
package adaptertest

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// CSS is the stylesheet css/app.css of Resolver's manifest; its URL is
// /static/css/app-7cf8afb02638.css (printf 'body{color:#c00}\n' | sha256sum).
const CSS = "body{color:#c00}\n"

// Resolver returns a resolver made with opts of the manifest built from
// css/app.css holding CSS.
func Resolver(tb testing.TB, opts core.Options) *core.Resolver {
	tb.Helper()
	fsys := fstest.MapFS{"css/app.css": {Data: []byte(CSS)}}
	built, err := fingerprint.FS(context.Background(), fsys, fingerprint.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	r, err := core.New(built.Manifest(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
