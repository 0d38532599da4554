// Package serve serves fingerprinted assets over HTTP with the caching
// rules their URLs need.
//
// A [Handler] serves the assets a [core.Resolver]'s manifest vouches for:
// URLs whose hash the manifest confirms are served as immutable, plain URLs
// with a revalidating cache and an ETag, unknown or stale hashes and
// everything else as 404. [NewHandler] serves the output directory of a
// build (github.com/cachebust/cachebust/fingerprint.Dir); [NewSourceHandler]
// serves an in-memory build (fingerprint.Tree, fingerprint.Dev) straight from its
// sources, with no build step.
//
// A response marked immutable carries exactly the bytes its URL's hash
// names: files that can change after they were hashed (a directory served
// with no build step, dev mode) are hashed again as they are served, and
// answered for revalidation when they changed; see [Handler].
//
// [Handler.Decide], [Decision.Open] and [Preconditions.Evaluate] expose the
// same decisions to servers other than net/http, such as the Fiber
// middlewares in package
// github.com/cachebust/cachebust/adapters/fiberstatic; package
// [github.com/cachebust/cachebust/serve/servetest] checks that such a
// server answers exactly as a Handler does.
package serve
