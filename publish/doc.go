// Package publish puts a cachebust build into object storage, where a CDN
// serves it, and reads it back on the app servers.
//
// Buckets are named by URL, as in gocloud.dev/blob: s3://bucket?region=...
// for S3 and any S3-compatible server (add endpoint=...&use_path_style=true
// for MinIO, Ceph, versitygw and the like), azblob://container,
// file:///path and, in a program built with the tag gcs, gs://bucket.
// Credentials come from each provider's standard chain, for S3 the usual
// AWS_* variables and files. [OpenBucket] opens such a URL.
//
// # Publishing
//
// [Dir] publishes the output of "cachebust build", [Source] a source tree
// it fingerprints in memory, and [Files] the files any manifest names,
// from the file system holding them. Every publish keeps the rules of the bucket:
//
//   - every fingerprinted object is written once, never overwritten, with
//     Cache-Control [serve.CacheImmutable] and the Content-Type a Handler
//     would send; precompressed siblings are objects of their own with
//     their Content-Encoding and the original's Content-Type; plain objects,
//     when [Options].Plain asks for them, get [serve.CacheRevalidate];
//   - bytes are checked against the manifest's hash before they are in
//     place, so an immutable object holds exactly the bytes its name's hash
//     names;
//   - an object the bucket already holds is not sent again: the previous
//     manifest in the bucket records what it holds, and one listing of the
//     key prefix confirms it; a publish whose manifest is already in place
//     reads two objects and stops;
//   - the manifest object is written last, so a reader sees the old
//     manifest or the new one, and every object the one it sees names
//     exists;
//   - objects of publishes older than [Options].Keep are deleted after the
//     new manifest is in place, and only those a manifest records;
//   - before it writes anything, a publish records in the bucket the
//     objects it may leave that no manifest names. A publish that is
//     killed leaves the previous manifest and its objects as they were;
//     the next one completes the work and deletes what is left over.
//
// One publish at a time may run against a bucket and key prefix.
//
// # Serving from the bucket
//
// App servers on many machines read the same manifest object: [Load]
// makes a core.Resolver from it once, and a [Watcher] re-reads it on an
// interval or on demand, so that a deploy reaches every server without a
// restart. Set core.Options.Prefix to the CDN's base URL.
package publish
