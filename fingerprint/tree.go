package fingerprint

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
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
// The files of an embed.FS, or of an ImmutableFS that says so, such as
// the subtree Sub returns of an embed.FS, cannot change: they are opened
// as they are, with no extra read or hash. Neither can the rewritten
// copies, which the tree holds in memory.
//
// # Listing
//
// ReadDir, Stat and the directories Open opens show the tree as Open
// serves it: the names of the source, with the asset Files and
// precompressed siblings beside them, and without the links Open refuses.
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
	fixed    bool                // src cannot change (see ImmutableFS)
	siblings map[string]string   // precompressed sibling served -> its source file
	// added holds, for each directory, the names the tree adds to those
	// of src: asset Files, siblings, and the directories holding them,
	// which dirs holds.
	added map[string][]string
	dirs  map[string]bool
}

// treeFile is where the bytes of an asset's File come from.
type treeFile struct {
	logical string // the source file
	hash    string // the full digest the manifest records
	data    []byte // the rewritten bytes, if references were rewritten
}

// newTree returns the tree of entries, built from src with opts.
func newTree(src fs.FS, opts Options, entries []entry) *Tree {
	m := opts.manifest(entries)
	t := &Tree{
		manifest: m, src: src, hash: opts.Hash, fixed: immutable(src),
		files:    make(map[string]treeFile, len(entries)),
		siblings: make(map[string]string),
		added:    make(map[string][]string),
		dirs:     make(map[string]bool),
	}
	for _, e := range entries {
		file := m.Assets[e.name].File
		t.files[file] = treeFile{logical: e.name, hash: e.hash, data: e.data}
		t.add(file)
	}
	if t.fixed {
		t.findSiblings()
	}
	for dir, names := range t.added {
		slices.Sort(names)
		t.added[dir] = slices.Compact(names)
	}
	return t
}

// findSiblings records the precompressed siblings the tree serves: those
// in the source of every asset whose references were not rewritten.
func (t *Tree) findSiblings() {
	for file, tf := range t.files {
		if tf.data != nil {
			continue
		}
		for _, enc := range []string{core.Brotli, core.Gzip} {
			ext := precompressed.Ext(enc)
			if _, ok := t.files[file+ext]; ok {
				continue
			}
			if info, err := t.srcStat(tf.logical + ext); err == nil && !info.IsDir() {
				t.siblings[file+ext] = tf.logical + ext
				t.add(file + ext)
			}
		}
	}
}

// add records name as one the tree adds to src, and the directories on
// its way.
func (t *Tree) add(name string) {
	for {
		dir, base := path.Dir(name), path.Base(name)
		t.added[dir] = append(t.added[dir], base)
		seen := t.dirs[dir]
		t.dirs[dir] = true
		if seen || dir == "." {
			return
		}
		name = dir
	}
}

// Manifest returns the tree's manifest. It must not be modified.
func (t *Tree) Manifest() *core.Manifest { return t.manifest }

// Snapshot returns the tree's manifest and the tree itself: the files that
// serve that manifest. It makes a Tree a source for
// github.com/cachebust/cachebust/serve.NewSourceHandler.
func (t *Tree) Snapshot() (*core.Manifest, fs.FS) { return t.manifest, t }

// Open opens name in the output tree. A directory lists the names the
// tree serves in it (see ReadDir).
func (t *Tree) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var (
		f   fs.File
		err error
	)
	if tf, ok := t.files[name]; ok {
		f, err = t.openAsset(name, tf)
	} else if logical, ok := t.siblings[name]; ok {
		f, err = t.openSibling(name, logical)
	} else {
		return t.openSrc(name)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
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
	if t.fixed {
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
// its source file logical.
func (t *Tree) openSibling(name, logical string) (fs.File, error) {
	f, err := confine.Open(t.src, logical)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return renamedFile{File: f, info: renamedInfo{FileInfo: info, name: path.Base(name)}}, nil
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
