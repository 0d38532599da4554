package core

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"math/bits"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

// Encodings of precompressed siblings, as recorded in Asset.Encodings and
// sent in Content-Encoding. A sibling is the asset's file with the
// encoding's extension appended: css/app-3f2a9c1b2c4d.css.br.
const (
	Brotli = "br"
	Gzip   = "gzip"
)

// EncodingExt returns the file extension of a precompressed sibling in the
// encoding enc: ".br" or ".gz".
func EncodingExt(enc string) string {
	if enc == Gzip {
		return ".gz"
	}
	return "." + enc
}

// compressibleExt lists the extensions of text-like formats worth
// compressing. Images, fonts and archives are compressed already.
var compressibleExt = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".cjs": true, ".map": true,
	".json": true, ".webmanifest": true, ".svg": true, ".html": true, ".htm": true,
	".txt": true, ".xml": true, ".csv": true, ".md": true, ".wasm": true,
	".ttf": true, ".otf": true, ".eot": true, ".ico": true,
}

// compressible reports whether the file name is of a type worth
// precompressing.
func compressible(name string) bool {
	return compressibleExt[strings.ToLower(path.Ext(name))]
}

// compress returns data compressed with enc. The output depends on data
// alone: no file name or time goes into a gzip header, and brotli has none.
func compress(enc string, data []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) / 3)
	switch enc {
	case Gzip:
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			return nil, err
		}
	case Brotli:
		// A window just large enough for the data compresses the same and
		// saves most of the set-up cost of small files.
		w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{
			Quality: brotli.BestCompression,
			LGWin:   min(max(bits.Len(uint(len(data))), 10), 24),
		})
		w.Write(data)
		if err := w.Close(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown encoding %q", enc)
	}
	return buf.Bytes(), nil
}

// integrityHashes are the Subresource Integrity algorithms.
var integrityHashes = map[string]func() hash.Hash{
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
}

// integrityValue formats a Subresource Integrity value.
func integrityValue(alg string, sum []byte) string {
	return alg + "-" + base64.StdEncoding.EncodeToString(sum)
}
