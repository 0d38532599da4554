// Package confine opens the files of an fs.FS without following a
// symbolic link out of it, whatever fs.FS it is: os.DirFS follows every
// link, even one to /etc/passwd, while the FS of an os.Root refuses them.
package confine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
)

// maxLinks is how many symbolic links Resolve follows for one name
// before it gives up, as the operating system does with ELOOP.
const maxLinks = 40

// ErrOutOfTree is wrapped by the errors about a link that leads out of
// the file system.
var ErrOutOfTree = errors.New("leads out of the tree")

// OutOfTree reports that following the symbolic link Link, whose target
// is Target, leaves the file system. It wraps ErrOutOfTree.
type OutOfTree struct {
	Link, Target string
}

func (e *OutOfTree) Error() string {
	return fmt.Sprintf("link %s -> %s %v", e.Link, e.Target, ErrOutOfTree)
}

func (e *OutOfTree) Unwrap() error { return ErrOutOfTree }

// Resolve follows the symbolic links in the path name of fsys, which must
// be valid, one element at a time, as the operating system does, and
// returns the path it leads to, free of links. It fails with an
// *OutOfTree error if a link leads above the root of fsys or is absolute
// (os.Root refuses those too, even into the tree), and with the error of
// fsys if a link is dangling.
func Resolve(fsys fs.ReadLinkFS, name string) (string, error) {
	rest := strings.Split(name, "/")
	resolved := ""     // the path so far, free of links; "" is the root
	var last OutOfTree // the last link followed
	for links := 0; len(rest) > 0; {
		elem := rest[0]
		rest = rest[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if resolved == "" {
				return "", &last
			}
			resolved = parent(resolved)
			continue
		}
		next := path.Join(resolved, elem)
		info, err := fsys.Lstat(next)
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: "stat", Path: name, Err: errors.New("too many links")}
		}
		target, err := fsys.ReadLink(next)
		if err != nil {
			return "", err
		}
		last = OutOfTree{Link: next, Target: target}
		if target == "" || path.IsAbs(target) || filepath.IsAbs(target) || filepath.VolumeName(target) != "" {
			return "", &last
		}
		rest = append(strings.Split(filepath.ToSlash(target), "/"), rest...)
	}
	return resolved, nil
}

// parent returns the directory of the slash-separated path p, "" for one
// at the root.
func parent(p string) string {
	if d := path.Dir(p); d != "." {
		return d
	}
	return ""
}

// rootFS is the type of the FS of an os.Root, which confines every open
// itself. Getting it opens nothing.
var rootFS = reflect.TypeOf(new(os.Root).FS())

// Open opens the file name of fsys, following only the symbolic links
// that stay inside fsys. The FS of an os.Root refuses the others itself,
// race-free. Where fsys can read links (fs.ReadLinkFS, as os.DirFS,
// fs.Sub of it and fstest.MapFS can), Open resolves them first and opens
// the path they lead to, failing with an error wrapping ErrOutOfTree and
// fs.ErrNotExist for a link out of it; a link changed between that check
// and the open is not seen, which only os.Root rules out. A file system
// that cannot read links shows none, and is opened as it is.
func Open(fsys fs.FS, name string) (fs.File, error) {
	if reflect.TypeOf(fsys) == rootFS {
		return fsys.Open(name)
	}
	lfs, ok := fsys.(fs.ReadLinkFS)
	if !ok || !fs.ValidPath(name) {
		return fsys.Open(name)
	}
	resolved, err := Resolve(lfs, name)
	if err != nil {
		var out *OutOfTree
		if errors.As(err, &out) {
			err = notExist{out}
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if resolved == "" {
		resolved = "."
	}
	return fsys.Open(resolved)
}

// notExist is an *OutOfTree error that is also fs.ErrNotExist: the file
// does not exist in the tree.
type notExist struct{ *OutOfTree }

func (e notExist) Unwrap() []error { return []error{e.OutOfTree, fs.ErrNotExist} }
