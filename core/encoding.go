package core

// Encodings of precompressed siblings, as recorded in Asset.Encodings and
// sent in Content-Encoding. A sibling is the asset's file with the
// encoding's extension appended: css/app-3f2a9c1b2c4d.css.br.
const (
	Brotli = "br"
	Gzip   = "gzip"
)
