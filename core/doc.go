// Package core builds, stores and resolves content-fingerprinted asset URLs.
//
// A build walks an asset tree, hashes every file and records the results in a
// [Manifest]. A [Resolver] turns a logical path such as "css/app.css" into the
// URL a page should use, such as "/static/css/app-3f2a9c1b2c4d.css", in about
// the time of one map lookup and without allocating.
//
// # Building
//
// [Build] hashes any fs.FS, for example an embed.FS, in memory: no files are
// written, which suits applications that create their manifest at start-up.
// [BuildDir] is the build step of a deployment: it writes the renamed copies
// beside their originals, writes the manifest atomically and removes the files
// of builds that are no longer kept. [Verify] and [Clean] check and trim what
// BuildDir produced.
//
// How a file is hashed and how the hash goes into its URL are strategies from
// package [github.com/cachebust/cachebust/strategy].
//
// # Resolving
//
// [New] makes a Resolver from a Manifest, [Load] and [LoadFS] from a manifest
// file. Paths are normalised ("/css/app.css", "./css/app.css" and
// "css//app.css" all mean "css/app.css"); paths that escape the root are
// errors. An asset missing from the manifest falls back to its plain URL and
// is logged once, or, with [Options].Strict, is an error. A Resolver is safe
// for concurrent use, and [Resolver.Swap] replaces its manifest atomically.
//
// Every URL a Resolver gives out is safe as it is anywhere in a page: a
// path or an http, https or protocol-relative URL, of bytes that no HTML,
// JavaScript or CSS context needs escaped. New refuses a prefix that is
// not ([Options].Prefix says exactly what), and ParseManifest and Swap
// refuse a manifest whose URLs are not, with errors wrapping
// [ErrUnsafeURL].
//
// # Serving
//
// [NewHandler] returns an http.Handler for the assets a Resolver's manifest
// vouches for: URLs whose hash the manifest confirms are served as
// immutable, plain URLs with a revalidating cache and an ETag from the
// manifest, unknown or stale hashes and everything else as 404. With
// [HandlerOptions].Sources it serves fingerprinted names straight from the
// unmodified files a manifest was built from by Build, such as an
// embed.FS. [Handler.Decide] and [Preconditions.Evaluate] expose the same
// decisions to servers other than net/http.
//
// [NewDev] makes a Resolver that re-hashes files as they change, for
// development. [ParseViteManifest] and [ParseMixManifest] read the
// manifests of Vite and Laravel Mix.
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
// become an [Asset].URL rather than a file. Such manifests are
// [Manifest.Foreign].
package core
