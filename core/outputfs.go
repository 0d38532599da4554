package core

import (
	"bytes"
	"io/fs"
	"path"
	"time"
)

// FS returns, for a manifest made by Build, the tree a BuildDir of the same
// source would have written, without writing it: each asset's File opens
// the bytes served for it (the original file, or the copy whose references
// were rewritten), and every other name opens in src. src must be the file
// system the manifest was built from. Serve it with a Handler to serve
// renamed URLs straight from an embed.FS, with no build step.
//
// Precompressed siblings in src (css/app.css.br) serve the renamed name
// (css/app-3f2a9c1b2c4d.css.br) too, unless the asset's references were
// rewritten, since the sibling then holds other bytes. For a manifest read
// from a file, FS only maps renamed files back to their originals, which is
// right when no references were rewritten.
func (m *Manifest) FS(src fs.FS) fs.FS {
	files := make(map[string]string, len(m.Assets))
	for name, a := range m.Assets {
		if a.File == name || a.URL != "" {
			continue
		}
		files[a.File] = name
		if _, rewritten := m.served[a.File]; !rewritten {
			// Precompressed siblings of an original serve its renamed
			// name too: they hold the same bytes.
			for _, enc := range []string{Brotli, Gzip} {
				files[a.File+EncodingExt(enc)] = name + EncodingExt(enc)
			}
		}
	}
	return &outputFS{src: src, files: files, served: m.served}
}

type outputFS struct {
	src    fs.FS
	files  map[string]string // renamed file -> logical path
	served map[string][]byte // file -> rewritten bytes
}

// Open opens name in the output tree.
func (o *outputFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	logical, renamed := o.files[name]
	if !renamed {
		return o.src.Open(name)
	}
	f, err := o.src.Open(logical)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	data, ok := o.served[name]
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
