// Package coding decodes the content codings of precompressed siblings,
// for the commands that check them: cachebust verify and publish.
package coding

import (
	"compress/gzip"
	"fmt"
	"io"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/core"
)

// NewReader returns a reader of the bytes that r holds in the content
// coding enc, core.Gzip or core.Brotli. It fails on another coding, and on
// a gzip stream whose header does not read.
func NewReader(enc string, r io.Reader) (io.Reader, error) {
	switch enc {
	case core.Gzip:
		return gzip.NewReader(r)
	case core.Brotli:
		return brotli.NewReader(r), nil
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}
