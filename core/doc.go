// Package core reads asset manifests and resolves logical asset paths to
// content-fingerprinted URLs, at run time. It is what a running
// application links; building manifests lives in package
// [github.com/cachebust/cachebust/fingerprint] and serving assets over HTTP in
// package [github.com/cachebust/cachebust/serve].
//
// # Resolving
//
// [New] makes a [Resolver] from a [Manifest], [Load] and [LoadFS] from a
// manifest file. A Resolver turns a logical path such as "css/app.css"
// into the URL a page should use, such as
// "/static/css/app-3f2a9c1b2c4d.css", in about the time of one map lookup
// and without allocating. Paths are normalised ("/css/app.css",
// "./css/app.css" and "css//app.css" all mean "css/app.css"); paths that
// escape the root are errors. An asset missing from the manifest falls
// back to its plain URL and is logged once, or, with [Options].Strict, is
// an error. A Resolver is safe for concurrent use, and [Resolver.Swap]
// replaces its manifest atomically.
//
// Every URL a Resolver gives out is safe as it is anywhere in a page: a
// path or an http, https or protocol-relative URL, of bytes that no HTML,
// JavaScript or CSS context needs escaped. New refuses a prefix that is
// not ([Options].Prefix says exactly what), and ParseManifest and Swap
// refuse a manifest whose URLs are not, with errors wrapping
// [ErrUnsafeURL].
//
// # Entries and preloads
//
// A manifest records the graph of its build: each [Asset]'s static
// imports, other references and attached stylesheets. [Resolver.Entry]
// walks it to give the [Tag]s a page's head needs for an entry (its module
// script, its stylesheets and a modulepreload of each module of its static
// import closure, or for a Vite manifest's key the tags of Vite's backend
// integration guide), [Resolver.Preload] one asset's preload, and
// [Tag.Link] the value of a Link header for 103 Early Hints. With
// [Options].ViteDevServer, Entry gives the tags of Vite's dev server
// instead.
//
// # Manifest format
//
// The manifest is JSON with sorted keys, "/" separators, a 2-space indent, a
// trailing newline and no timestamps, so the same tree always gives the same
// bytes:
//
//	{
//	  "version": 1,
//	  "hash": "sha256",
//	  "url": "rename",
//	  "length": 12,
//	  "assets": {
//	    "css/main.css": {
//	      "file": "css/main-3f2a9c1b2c4d.css",
//	      "hash": "3f2a9c1b2c4d…",
//	      "size": 1234
//	    }
//	  }
//	}
//
// [ParseManifest] also reads the flat maps other tools write: a map from path
// to hash (query form) and a map from path to hashed path (as written by
// webpack-manifest-plugin), whose values that are URLs of another host
// become an [Asset].ExternalURL rather than a file. Such manifests are
// [Manifest.Foreign]. [ParseViteManifest] and [ParseMixManifest] read the
// manifests of Vite and Laravel Mix.
package core
