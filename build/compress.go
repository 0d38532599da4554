package build

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/bits"
	"path"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/core"
)

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
	case core.Gzip:
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			return nil, err
		}
	case core.Brotli:
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
