// Package strategy holds the swappable parts of cache busting: how an asset's
// content is hashed and how the hash is put into its URL.
//
// # Hashes
//
// A [Hash] is a name and a constructor, the way the standard library passes
// hashes to hmac.New. [CRC32], [MD5] and [SHA256] return the built-in ones,
// a fresh value each time; any hash.Hash constructor makes another. Digests are lowercase hexadecimal; a
// CRC32 digest is always 8 digits, zero-padded.
//
// # URL forms
//
// A [Form] turns a logical asset name and a (possibly shortened) hash into the
// name it is requested by, and back. [Query] appends a query string
// (css/main.css?v=3f2a9c1b), [Rename] puts the hash into the file name
// (css/main-3f2a9c1b.css). Format and Parse are pure functions and inverse of
// each other: Parse(Format(name, hash)) returns name and hash again.
//
// # Choosing by name
//
// Library callers pass values. Where a strategy is chosen by a string at run
// time, as with a command-line flag or the names recorded in a manifest,
// [HashByName] and [FormByName] look up the built-in ones.
package strategy
