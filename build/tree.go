package build

import (
	"bytes"
	"io/fs"
	"path"
	"time"

	"github.com/cachebust/cachebust/core"
)

// A Tree is the result of an in-memory build: its manifest, and the files
// that serve it. As an fs.FS it is the tree a Dir build of the same source
// would have written, without writing it: each asset's File opens the
// bytes served for it (the original file, or the copy whose references
// were rewritten), and every other name opens in the source.
//
// Precompressed siblings in the source (css/app.css.br) serve the renamed
// name (css/app-3f2a9c1b2c4d.css.br) too, unless the asset's references
// were rewritten, since the sibling then holds other bytes.
type Tree struct {
	manifest *core.Manifest
	src      fs.FS
	files    map[string]string // renamed file -> logical path
	served   map[string][]byte // renamed file -> rewritten bytes
}

var _ fs.FS = (*Tree)(nil)

// newTree returns the tree of entries, built from src with opts.
func newTree(src fs.FS, opts Options, entries []entry) *Tree {
	m := opts.manifest(entries)
	t := &Tree{manifest: m, src: src, files: make(map[string]string, len(entries))}
	for _, e := range entries {
		a := m.Assets[e.name]
		if a.File == e.name {
			continue
		}
		t.files[a.File] = e.name
		if e.data != nil {
			if t.served == nil {
				t.served = make(map[string][]byte)
			}
			t.served[a.File] = e.data
			continue
		}
		// Precompressed siblings of an original serve its renamed name
		// too: they hold the same bytes.
		for _, enc := range []string{core.Brotli, core.Gzip} {
			t.files[a.File+core.EncodingExt(enc)] = e.name + core.EncodingExt(enc)
		}
	}
	return t
}

// Manifest returns the tree's manifest. It must not be modified.
func (t *Tree) Manifest() *core.Manifest { return t.manifest }

// Current returns the tree's manifest and the tree itself: the files that
// serve that manifest. It makes a Tree a source for
// github.com/cachebust/cachebust/serve.NewSourceHandler.
func (t *Tree) Current() (*core.Manifest, fs.FS) { return t.manifest, t }

// Open opens name in the output tree.
func (t *Tree) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	logical, renamed := t.files[name]
	if !renamed {
		return t.src.Open(name)
	}
	f, err := t.src.Open(logical)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	data, ok := t.served[name]
	if !ok {
		return renamedFile{File: f, info: renamedInfo{FileInfo: info, name: path.Base(name)}}, nil
	}
	f.Close()
	return &memFile{Reader: bytes.NewReader(data), info: memInfo{name: path.Base(name), size: int64(len(data)), mod: info.ModTime()}}, nil
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
	if s, ok := f.File.(interface {
		Seek(int64, int) (int64, error)
	}); ok {
		return s.Seek(offset, whence)
	}
	return 0, &fs.PathError{Op: "seek", Path: f.info.Name(), Err: fs.ErrInvalid}
}

func (f renamedFile) ReadAt(p []byte, off int64) (int, error) {
	if r, ok := f.File.(interface {
		ReadAt([]byte, int64) (int, error)
	}); ok {
		return r.ReadAt(p, off)
	}
	return 0, &fs.PathError{Op: "read", Path: f.info.Name(), Err: fs.ErrInvalid}
}

type renamedInfo struct {
	fs.FileInfo
	name string
}

func (i renamedInfo) Name() string { return i.name }

// memFile is a rewritten copy held in memory.
type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

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
