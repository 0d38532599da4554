package build

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// maxLinks is how many symbolic links resolveLink follows for one name
// before it gives up, as the operating system does with ELOOP.
const maxLinks = 40

// errOutOfTree is the cause of an outOfTree error.
var errOutOfTree = errors.New("leads out of the tree")

// outOfTree reports that following the symbolic link link, whose target is
// target, leaves the file system a build reads.
type outOfTree struct {
	link, target string
}

func (e *outOfTree) Error() string {
	return fmt.Sprintf("link %s -> %s %v", e.link, e.target, errOutOfTree)
}

func (e *outOfTree) Unwrap() error { return errOutOfTree }

// resolveLink follows the symbolic links in the path name of fsys, which
// must be valid, one element at a time, as the operating system does, and
// returns the path it leads to. It fails with an *outOfTree error if a
// link leads above the root of fsys or is absolute (os.Root refuses those
// too, even into the tree), and with the error of fsys if a link is
// dangling.
func resolveLink(fsys fs.ReadLinkFS, name string) (string, error) {
	rest := strings.Split(name, "/")
	resolved := ""     // the path so far, free of links; "" is the root
	var last outOfTree // the last link followed
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
		last = outOfTree{link: next, target: target}
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
