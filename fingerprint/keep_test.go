package fingerprint

import (
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
)

// TestKeeper checks which files a keeper keeps: regular files within its
// per-file and total limits, not those the previous build recorded with
// the same size, and that a file it does not keep costs nothing.
func TestKeeper(t *testing.T) {
	fsys := fstest.MapFS{
		"a": {Data: make([]byte, 5)}, "big": {Data: make([]byte, 50)}, "b": {Data: make([]byte, 15)},
		"c": {Data: make([]byte, 10)}, "same": {Data: make([]byte, 3)}, "grown": {Data: make([]byte, 4)},
	}
	k := &keeper{maxFile: 20, unchanged: map[string]core.Asset{"same": {Size: 3}, "grown": {Size: 2}}}
	k.left.Store(28)
	for _, tc := range []struct {
		name string
		kept bool
		left int64
	}{
		{"a", true, 23}, {"big", false, 23}, {"same", false, 23}, {"grown", true, 19}, {"b", true, 4}, {"c", false, 4},
	} {
		f, err := fsys.Open(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		data, _, err := k.read(f, tc.name)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if kept := data != nil; kept != tc.kept || k.left.Load() != tc.left {
			t.Errorf("read(%s): kept %v with %d bytes left, want kept %v with %d left", tc.name, kept, k.left.Load(), tc.kept, tc.left)
		}
	}
}

// grower is a file that grows after its size is taken: a keeper reads
// the size it said, and the rest is streamed.
type grower struct {
	fs.File
	r io.Reader
}

func (g grower) Read(p []byte) (int, error) { return g.r.Read(p) }

// A file that grew while it was hashed is recorded with every byte read,
// and not kept.
func TestHashFileGrown(t *testing.T) {
	fsys := fstest.MapFS{"a.js": {Data: []byte("12345")}}
	opts, _ := Options{}.withDefaults()
	keep := newKeeper()
	grown := growFS{fsys}
	e, err := hashFile(grown, "a.js", opts, make([]byte, 64), keep, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.size != 9 || e.content != nil || e.hash != opts.Hash.SumBytes([]byte("123456789")) {
		t.Errorf("entry of a grown file: size %d, kept %q, hash %.12s; want size 9, nothing kept, the hash of all 9 bytes", e.size, e.content, e.hash)
	}
}

// growFS opens files that have 4 more bytes than their Stat says.
type growFS struct{ fstest.MapFS }

func (g growFS) Open(name string) (fs.File, error) {
	f, err := g.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	data, _ := fs.ReadFile(g.MapFS, name)
	return grower{f, io.MultiReader(strings.NewReader(string(data)), strings.NewReader("6789"))}, nil
}
