package fingerprint

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
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

// compressChunk is how much of a file a compressor is given at a time:
// between chunks, compression reports progress and checks for cancellation.
const compressChunk = 64 << 10

// compress returns data compressed with enc. The output depends on data
// alone: no file name or time goes into a gzip header, and brotli has none,
// and not on how data is cut into chunks.
//
// It calls report, if not nil, with the number of bytes of data consumed
// after each chunk, and returns ctx's error as soon as ctx is done. A
// compressor cannot be stopped inside a block (brotli's best quality takes
// seconds for one), so it runs on a goroutine of its own, which finishes the
// chunk it has, then sees ctx done and ends; it only ever touches its own
// buffer.
func compress(ctx context.Context, enc string, data []byte, report func(n int64)) ([]byte, error) {
	type result struct {
		z   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		z, err := encode(ctx, enc, data, report)
		done <- result{z, err}
	}()
	select {
	case r := <-done:
		return r.z, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// encode compresses data with enc, compressChunk bytes at a time, as
// compress describes.
func encode(ctx context.Context, enc string, data []byte, report func(n int64)) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) / 3)
	var w io.WriteCloser
	switch enc {
	case core.Gzip:
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w = zw
	case core.Brotli:
		// A window just large enough for the data compresses the same and
		// saves most of the set-up cost of small files.
		w = brotli.NewWriterOptions(&buf, brotli.WriterOptions{
			Quality: brotli.BestCompression,
			LGWin:   min(max(bits.Len(uint(len(data))), 10), 24),
		})
	default:
		return nil, fmt.Errorf("unknown encoding %q", enc)
	}
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(len(data), compressChunk)
		if _, err := w.Write(data[:n]); err != nil {
			return nil, err
		}
		data = data[n:]
		if report != nil {
			report(int64(n))
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
