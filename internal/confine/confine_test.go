package confine_test

import (
	"errors"
	"io"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/internal/confine"
)

func TestOpen(t *testing.T) {
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
	}
	fsys := fstest.MapFS{
		"css/a.css":     {Data: []byte("a")},
		"css/in.css":    link("a.css"),
		"css/up.css":    link("../css/a.css"),
		"dirlink":       link("css"),
		"css/out.css":   link("../../secret"),
		"css/abs.css":   link("/etc/passwd"),
		"via/x.css":     link("../dirout/x.css"),
		"dirout":        link(".."),
		"css/dangling":  link("nothing"),
		"css/loop1.css": link("loop2.css"),
		"css/loop2.css": link("loop1.css"),
	}
	for _, name := range []string{"css/a.css", "css/in.css", "css/up.css", "dirlink/a.css", "dirlink/in.css"} {
		f, err := confine.Open(fsys, name)
		if err != nil {
			t.Errorf("Open(%q): %v, want the file", name, err)
			continue
		}
		data, _ := io.ReadAll(f)
		f.Close()
		if string(data) != "a" {
			t.Errorf("Open(%q) read %q, want %q", name, data, "a")
		}
	}
	for _, name := range []string{"css/out.css", "css/abs.css", "via/x.css"} {
		if _, err := confine.Open(fsys, name); !errors.Is(err, confine.ErrOutOfTree) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v, want an error wrapping ErrOutOfTree and fs.ErrNotExist", name, err)
		}
	}
	for _, name := range []string{"css/dangling", "css/loop1.css", "missing"} {
		if _, err := confine.Open(fsys, name); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", name)
		}
	}
}
