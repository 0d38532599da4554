// Package fingerprint fingerprints an asset tree: it walks it, hashes every file,
// rewrites the references between stylesheets, scripts and the files they
// use, and records the result in a [core.Manifest].
//
// # Building
//
// [FS] builds any fs.FS, for example an embed.FS, in memory: no files are
// written, which suits applications that fingerprint their assets at
// start-up. The [Tree] it returns holds the manifest and the bytes that
// serve it. [Dir] is the build step of a deployment: it writes the renamed
// copies beside their originals (or into a separate output directory),
// writes the manifest atomically and removes the files of builds that are
// no longer kept, in an order that a crash at any point cannot break.
// [Verify] and [Clean] check and trim what Dir produced.
//
// Every file operation of Dir and Clean goes through an os.Root opened on
// its directory, so that nothing a manifest, a pending record or a symbolic
// link names is read, written or removed outside it; Verify reads through
// the fs.FS it is given, for which the FS of an os.Root is the one to
// pass. Links out of a source tree are skipped with a warning, and a
// manifest another tool wrote is never taken over ([ErrForeignManifest]).
//
// How a file is hashed and how the hash goes into its URL are strategies from
// package [github.com/cachebust/cachebust/strategy].
//
// # Development
//
// [NewDev] keeps a [core.Resolver] in step with a changing tree: it
// re-hashes files as they change and swaps the new manifest in, with no
// restart.
package fingerprint
