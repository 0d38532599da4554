// Package hintstest holds the fixture the tests of every Early Hints
// middleware share: a build with a module graph and the Link values its
// entries must give.
package hintstest

import "github.com/cachebust/cachebust/core"

// Entries are the names the middlewares under test are given.
var Entries = []string{"js/app.js", "css/app.css", "fonts/f.woff2"}

// Manifest is a build with a module graph: app.js imports util.js;
// app.css names a font. Its hashes are h.
func Manifest(h string) *core.Manifest {
	return &core.Manifest{
		Version: core.ManifestVersion, Form: "rename",
		Assets: map[string]core.Asset{
			"js/app.js":     {File: "js/app." + h + ".js", Hash: h, Size: 1, Integrity: "sha384-APP", Imports: []string{"js/util.js"}},
			"js/util.js":    {File: "js/util." + h + ".js", Hash: h, Size: 1},
			"css/app.css":   {File: "css/app." + h + ".css", Hash: h, Size: 1, Refs: []string{"fonts/f.woff2"}},
			"fonts/f.woff2": {File: "fonts/f." + h + ".woff2", Hash: h, Size: 1},
		},
	}
}

// Links are the Link values an Early Hints middleware sends for Entries
// of Manifest(h), with the default prefix.
func Links(h string) []string {
	return []string{
		"</static/js/app." + h + `.js>; rel=modulepreload; integrity="sha384-APP"`,
		"</static/js/util." + h + ".js>; rel=modulepreload",
		"</static/css/app." + h + ".css>; rel=preload; as=style",
		"</static/fonts/f." + h + `.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin`,
	}
}
