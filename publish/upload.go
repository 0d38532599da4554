package publish

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/cachebust/cachebust/internal/coding"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/strategy"
)

// ErrMismatch is wrapped by the error of a publish for a file of
// the build whose bytes are not those its manifest records (or, for a
// precompressed sibling, do not decode to them): the file changed since
// the build. Nothing is published under its name; build again, or find
// the file with fingerprint.Verify.
var ErrMismatch = errors.New("bytes do not match the manifest's hash")

// uploader puts objects into a bucket from the files of a build.
type uploader struct {
	b      *blob.Bucket
	prefix string        // key prefix
	files  fs.FS         // the build's files
	sum    strategy.Hash // the manifest's hash, zero when it names none
}

// put uploads o and returns how many bytes it sent. A fingerprinted
// object is written only if its key is free; if the key is taken, the
// object there must have o's size, and put reports it present, with its
// size.
func (u *uploader) put(ctx context.Context, o object) (n int64, present bool, err error) {
	key := u.prefix + o.key
	n, err = u.write(ctx, key, o)
	if gcerrors.Code(err) != gcerrors.FailedPrecondition || !o.immutable() {
		return n, false, err
	}
	// The key is taken: by this very object, if an earlier attempt or
	// publish wrote it, or, if the size differs, by other content.
	attrs, err := u.b.Attributes(ctx, key)
	if err != nil {
		return 0, false, fmt.Errorf("upload %s: %w", key, serviceErr(err))
	}
	if o.size >= 0 && attrs.Size != o.size {
		return 0, false, permanent{fmt.Errorf("object %s already holds other content (%d bytes, want %d): use a longer hash length", key, attrs.Size, o.size)}
	}
	return attrs.Size, true, nil
}

// size returns the size of o's file.
func (u *uploader) size(o object) (int64, error) {
	if o.size >= 0 {
		return o.size, nil
	}
	info, err := fs.Stat(u.files, o.from)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// wholeLimit is the size up to which a file is read whole, checked and
// then sent in one request, rather than checked as it streams: most
// assets. Precompressed siblings are always read whole, to be decoded.
const wholeLimit = 8 << 20

// write writes o's bytes to key, checked against the manifest's hash. A
// file whose bytes turn out wrong is not written.
func (u *uploader) write(ctx context.Context, key string, o object) (int64, error) {
	opts := &blob.WriterOptions{
		CacheControl:    o.cacheControl,
		ContentType:     o.contentType,
		ContentEncoding: o.encoding,
		IfNotExist:      o.immutable() && !o.replace,
	}
	size, err := u.size(o)
	if err != nil {
		return 0, permanent{err}
	}
	if size > wholeLimit && o.encoding == "" {
		return u.stream(ctx, key, o, opts)
	}
	data, err := u.read(o)
	if err != nil {
		return 0, permanent{err}
	}
	if err := u.b.WriteAll(ctx, key, data, opts); err != nil {
		return 0, fmt.Errorf("upload %s: %w", key, serviceErr(err))
	}
	return int64(len(data)), nil
}

// read returns the bytes of o's file, checked: a sibling must decode to
// the bytes whose hash the manifest records.
func (u *uploader) read(o object) ([]byte, error) {
	data, err := fs.ReadFile(u.files, o.from)
	if err != nil {
		return nil, err
	}
	if u.sum.New == nil || o.hash == "" {
		return data, nil
	}
	if o.encoding == "" {
		if got := u.sum.SumBytes(data); got != o.hash {
			return nil, mismatch(o.from, u.sum.Name, got, o.hash)
		}
		return data, nil
	}
	got, err := decodedSum(o.encoding, data, u.sum)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (it does not decode as %s: %v)", o.from, ErrMismatch, o.encoding, err)
	}
	if got != o.hash {
		return nil, fmt.Errorf("decoded %w", mismatch(o.from, u.sum.Name, got, o.hash))
	}
	return data, nil
}

// mismatch returns the error for the file name, whose bytes have the
// digest got where the manifest says want.
func mismatch(name, hash, got, want string) error {
	return fmt.Errorf("%s: %w (%s %s, manifest says %s): rebuild, or run cachebust verify", name, ErrMismatch, hash, got, want)
}

// stream writes o's bytes to key as it reads them, and aborts the write if
// they turn out wrong.
func (u *uploader) stream(ctx context.Context, key string, o object, opts *blob.WriterOptions) (int64, error) {
	f, err := u.files.Open(o.from)
	if err != nil {
		return 0, permanent{err}
	}
	defer f.Close()
	var r io.Reader = localReader{f}
	if u.sum.New != nil && o.hash != "" {
		r = &checkReader{r: f, h: u.sum.New(), want: o.hash, name: o.from, hash: u.sum.Name}
	}
	ctx, abort := context.WithCancel(ctx)
	defer abort()
	w, err := u.b.NewWriter(ctx, key, opts)
	if err != nil {
		return 0, fmt.Errorf("upload %s: %w", key, serviceErr(err))
	}
	n, err := io.Copy(w, r)
	if err != nil {
		abort()
		w.Close()
		return 0, fmt.Errorf("upload %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("upload %s: %w", key, serviceErr(err))
	}
	return n, nil
}

// decodedSum returns the digest of data decoded from the content coding
// enc.
func decodedSum(enc string, data []byte, sum strategy.Hash) (string, error) {
	r, err := coding.NewReader(enc, bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	return sum.Sum(r)
}

// localReader marks the errors of reading a local file as permanent.
type localReader struct{ r io.Reader }

func (l localReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		err = permanent{err}
	}
	return n, err
}

// checkReader reads r and, at its end, fails if what it read does not
// have the digest want.
type checkReader struct {
	r    io.Reader
	h    hash.Hash
	want string
	name string // of the file
	hash string // of the hash
}

func (c *checkReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	switch {
	case err == io.EOF:
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want {
			return n, permanent{mismatch(c.name, c.hash, got, c.want)}
		}
	case err != nil:
		err = permanent{fmt.Errorf("read %s: %w", c.name, err)}
	}
	return n, err
}

// writeRecord writes one of the bucket's own records, the manifest or the
// pending record, whole.
func (u *uploader) writeRecord(ctx context.Context, key string, data []byte) error {
	err := u.b.WriteAll(ctx, u.prefix+key, data, &blob.WriterOptions{
		CacheControl: serve.CacheRevalidate,
		ContentType:  "application/json",
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", u.prefix+key, serviceErr(err))
	}
	return nil
}

// remove deletes key, and reports whether it existed.
func (u *uploader) remove(ctx context.Context, key string) (bool, error) {
	err := u.b.Delete(ctx, u.prefix+key)
	switch gcerrors.Code(err) {
	case gcerrors.OK:
		return true, nil
	case gcerrors.NotFound:
		return false, nil
	}
	return false, fmt.Errorf("delete %s: %w", u.prefix+key, serviceErr(err))
}
