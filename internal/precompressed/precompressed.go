// Package precompressed names the precompressed siblings of an asset's
// file: the file with the extension of its content coding appended, as
// css/app-3f2a9c1b2c4d.css.br beside css/app-3f2a9c1b2c4d.css.
package precompressed

// Ext returns the file extension of a precompressed sibling in the content
// coding enc (core.Brotli or core.Gzip): ".br" or ".gz". Another coding
// gets "." and its name.
func Ext(enc string) string {
	if enc == "gzip" {
		return ".gz"
	}
	return "." + enc
}
