// Package e2e tests cachebust end to end, in its test files only:
//
//   - browser_test.go starts examples/fiber and examples/nethttp, loads
//     their pages in headless Chromium, changes a stylesheet and an image,
//     and checks that the browser shows the change while it keeps the
//     unchanged assets from its cache. It needs the chromium command and
//     is skipped without it, and named in an "e2e: NOT RUN" line at the
//     end of the run (internal/realpart), unless the environment
//     variable CI is set, when it fails.
//   - importmap_test.go serves a page of ES modules, loaded through the
//     import map of asset_importmap, from a fingerprint.Dir output; changes the
//     module at the end of the import chain, builds again and swaps the
//     manifest; and checks that the new code runs, that the chain has new
//     URLs, that the other modules, the stylesheet and the image come from
//     the browser's cache, and that Chromium refuses a module whose
//     integrity value in the import map is wrong. It needs chromium too.
//   - preload_test.go measures, in Chromium over HTTP/2 with TLS and a
//     100 ms round trip added by the server, how soon a page with four
//     levels of modules and a font is ready with the import map only,
//     with asset_entry's tags, and with serve.EarlyHints before a slow
//     page handler, interleaved; it checks the targets of the tags and
//     of Early Hints, that every asset was fetched once and that no
//     request failed, and logs the timings docs/PERFORMANCE.md quotes
//     (go test -run TestBrowserPreload -v ./e2e).
//   - vite_test.go builds a small Vite project for real (npm install
//     vite, vite build --manifest; npm's cache serves repeated runs),
//     checks that Resolver.Entry gives for its entry exactly the tags
//     Vite's backend integration guide prescribes, and loads the page in
//     Chromium with no failed request. It needs node and npm as well, and
//     is skipped without them unless CI is set.
//   - load_test.go sends a fixed number of requests from several workers
//     to serve.Handler over loopback while the tree is rebuilt and the
//     manifest swapped, and reports requests per second; every request
//     must succeed. Run the full size with
//     go test -run TestLoad -v ./e2e -load, or as a benchmark with
//     go test -run '^$' -bench Load -benchtime 20000x ./e2e.
package e2e
