package fingerprint

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/confine"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/strategy"
)

// A Tree is the result of an in-memory build: its manifest, and the files
// that serve it. As an fs.FS it is the tree a Dir build of the same source
// would have written, without writing it: each asset's File opens the
// bytes served for it (the original file, or the copy whose references
// were rewritten), and every other name opens in the source.
//
// # Bytes that match the manifest
//
// A source that can change, such as a directory, may hold other bytes by
// the time a file is served than when it was hashed, or change while it
// is read. So an asset's File of such a source is read whole when opened
// and hashed again, and the file Open returns has a method
//
//	Hash() string
//
// that reports the digest, in the build's hash, of exactly the bytes it
// reads: the manifest's hash when nothing changed, another one when the
// file changed. A server of the tree (package
// github.com/cachebust/cachebust/serve) answers as immutable only the
// files whose Hash is the manifest's, and sends the others for
// revalidation under the ETag of their own bytes. This costs a read of the
// whole file and a hash per Open.
//
// # Links
//
// The tree opens no file of the source through a symbolic link that leads
// out of it, whatever fs.FS the source is (see FS): a link to a file
// inside is followed, one that leads out, even one changed after the
// build, opens as a file that does not exist.
//
// The files of an embed.FS (directly or through fs.Sub) cannot change:
// they are opened as they are, with no extra read or hash. Neither can
// the rewritten copies, which the tree holds in memory.
//
// # Precompressed siblings
//
// A precompressed sibling in the source (css/app.css.br) opens under the
// asset File's name (css/app-3f2a9c1b2c4d.css.br) only if the source
// cannot change, since nothing else proves it holds the asset's bytes, and
// never for an asset whose references were rewritten, since its sibling
// then holds other bytes.
type Tree struct {
	manifest *core.Manifest
	src      fs.FS
	hash     strategy.Hash
	files    map[string]treeFile // asset File -> where its bytes come from
}

var _ fs.FS = (*Tree)(nil)

// treeFile is where the bytes of an asset's File come from.
type treeFile struct {
	logical string // the source file
	hash    string // the full digest the manifest records
	data    []byte // the rewritten bytes, if references were rewritten
}

// newTree returns the tree of entries, built from src with opts.
func newTree(src fs.FS, opts Options, entries []entry) *Tree {
	m := opts.manifest(entries)
	t := &Tree{manifest: m, src: src, hash: opts.Hash, files: make(map[string]treeFile, len(entries))}
	for _, e := range entries {
		t.files[m.Assets[e.name].File] = treeFile{logical: e.name, hash: e.hash, data: e.data}
	}
	return t
}

// Manifest returns the tree's manifest. It must not be modified.
func (t *Tree) Manifest() *core.Manifest { return t.manifest }

// Snapshot returns the tree's manifest and the tree itself: the files that
// serve that manifest. It makes a Tree a source for
// github.com/cachebust/cachebust/serve.NewSourceHandler.
func (t *Tree) Snapshot() (*core.Manifest, fs.FS) { return t.manifest, t }

// Open opens name in the output tree.
func (t *Tree) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if tf, ok := t.files[name]; ok {
		f, err := t.openAsset(name, tf)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return f, nil
	}
	if file, ext, ok := cutEncodingExt(name); ok {
		if tf, ok := t.files[file]; ok {
			f, err := t.openSibling(name, tf.logical+ext, tf.data != nil)
			if err != nil {
				return nil, &fs.PathError{Op: "open", Path: name, Err: err}
			}
			return f, nil
		}
	}
	return confine.Open(t.src, name)
}

// cutEncodingExt splits the name of a precompressed sibling into the name
// of its file and the extension of its encoding.
func cutEncodingExt(name string) (file, ext string, ok bool) {
	for _, enc := range []string{core.Brotli, core.Gzip} {
		ext := precompressed.Ext(enc)
		if file, ok := strings.CutSuffix(name, ext); ok {
			return file, ext, true
		}
	}
	return "", "", false
}

// openAsset opens the asset File name, served from tf.
func (t *Tree) openAsset(name string, tf treeFile) (fs.File, error) {
	f, err := confine.Open(t.src, tf.logical)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	base := path.Base(name)
	if tf.data != nil {
		f.Close()
		return newMemFile(tf.data, tf.hash, base, info.ModTime()), nil
	}
	if fixed(f) {
		return renamedFile{File: f, info: renamedInfo{FileInfo: info, name: base}}, nil
	}
	data, err := readAll(f, info.Size())
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", tf.logical, err)
	}
	return newMemFile(data, t.hash.SumBytes(data), base, info.ModTime()), nil
}

// openSibling opens the precompressed sibling name of an asset File from
// the source file logical, if the source cannot change and the asset's
// references were not rewritten.
func (t *Tree) openSibling(name, logical string, rewritten bool) (fs.File, error) {
	if rewritten {
		return nil, fs.ErrNotExist
	}
	f, err := confine.Open(t.src, logical)
	if err != nil {
		return nil, err
	}
	if !fixed(f) {
		f.Close()
		return nil, fs.ErrNotExist
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return renamedFile{File: f, info: renamedInfo{FileInfo: info, name: path.Base(name)}}, nil
}

// fixed reports whether the bytes of the open file f cannot change: it is
// a file of an embed.FS, whose bytes are part of the program. Only the
// standard library's package embed has the import path "embed".
func fixed(f fs.File) bool {
	t := reflect.TypeOf(f)
	return t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "embed"
}

// readAll reads f to its end, expecting size bytes.
func readAll(f fs.File, size int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size < 1<<30 {
		buf.Grow(int(size) + 1) // +1 to see EOF without growing again
	}
	_, err := buf.ReadFrom(f)
	return buf.Bytes(), err
}

// renamedFile is an original file opened under its renamed name.
type renamedFile struct {
	fs.File
	info fs.FileInfo
}

func (f renamedFile) Stat() (fs.FileInfo, error) { return f.info, nil }

// Seek and ReadAt pass through when the original supports them, as an
// os.File and embed.FS file do, so http.ServeContent can serve ranges.
func (f renamedFile) Seek(offset int64, whence int) (int64, error) {
	if s, ok := f.File.(io.Seeker); ok {
		return s.Seek(offset, whence)
	}
	return 0, &fs.PathError{Op: "seek", Path: f.info.Name(), Err: fs.ErrInvalid}
}

func (f renamedFile) ReadAt(p []byte, off int64) (int, error) {
	if r, ok := f.File.(io.ReaderAt); ok {
		return r.ReadAt(p, off)
	}
	return 0, &fs.PathError{Op: "read", Path: f.info.Name(), Err: fs.ErrInvalid}
}

type renamedInfo struct {
	fs.FileInfo
	name string
}

func (i renamedInfo) Name() string { return i.name }

// memFile is a file held in memory: a rewritten copy, or the bytes of a
// file of a source that can change, as they were read.
type memFile struct {
	*bytes.Reader
	info memInfo
	hash string
}

func newMemFile(data []byte, hash, name string, mod time.Time) *memFile {
	return &memFile{Reader: bytes.NewReader(data), info: memInfo{name: name, size: int64(len(data)), mod: mod}, hash: hash}
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// Hash returns the full digest of the file's bytes, in the build's hash.
func (f *memFile) Hash() string { return f.hash }

type memInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return i.mod }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
