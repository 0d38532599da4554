package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// opVerbs says in the user's terms what failed, for the operations of
// *fs.PathError and *os.LinkError, which name system calls ("openat").
var opVerbs = map[string]string{
	"open": "cannot open", "openat": "cannot open", "openat2": "cannot open",
	"stat": "cannot read", "statat": "cannot read", "lstat": "cannot read", "lstatat": "cannot read", "fstatat": "cannot read",
	"read": "cannot read", "readat": "cannot read", "readdirent": "cannot read directory", "readdir": "cannot read directory", "seek": "cannot read",
	"readlink": "cannot read link", "readlinkat": "cannot read link",
	"write": "cannot write", "sync": "cannot write", "fsync": "cannot write", "close": "cannot write",
	"mkdir": "cannot create directory", "mkdirat": "cannot create directory",
	"remove": "cannot remove", "unlink": "cannot remove", "unlinkat": "cannot remove", "rmdir": "cannot remove",
	"rename": "cannot rename", "renameat": "cannot rename", "link": "cannot link", "linkat": "cannot link",
	"symlink": "cannot link", "symlinkat": "cannot link",
	"chmod": "cannot set permissions of", "fchmod": "cannot set permissions of", "fchmodat": "cannot set permissions of",
	"chtimes": "cannot set the time of", "utimensat": "cannot set the time of", "futimens": "cannot set the time of",
	"flock": "cannot lock", "lock": "cannot lock",
	"chown": "cannot set the owner of", "fchownat": "cannot set the owner of",
}

// inUserTerms returns the message of err with each path error in it
// ("statat css/a.css: no such file or directory") said in the user's terms
// ("cannot read site/css/a.css: no such file or directory"): what failed,
// and the path joined to dir, the directory the user named that relative
// paths are in, if dir is not empty.
func inUserTerms(err error, dir string) string {
	msg := err.Error()
	join := func(p string) string {
		if dir == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, filepath.FromSlash(p))
	}
	walk(err, func(e error) {
		switch e := e.(type) {
		case *fs.PathError:
			if verb, ok := opVerbs[e.Op]; ok && e.Err != nil {
				msg = strings.Replace(msg, e.Error(), verb+" "+join(e.Path)+": "+e.Err.Error(), 1)
			}
		case *os.LinkError:
			if verb, ok := opVerbs[e.Op]; ok && e.Err != nil {
				msg = strings.Replace(msg, e.Error(), verb+" "+join(e.Old)+" to "+join(e.New)+": "+e.Err.Error(), 1)
			}
		}
	})
	return msg
}

// walk calls f for err and every error it wraps, depth first.
func walk(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walk(e, f)
		}
	}
}

// dirError carries, with an error of a command, the directory the user
// named that the relative paths in it are in.
type dirError struct {
	dir string
	err error
}

func (e *dirError) Error() string { return e.err.Error() }
func (e *dirError) Unwrap() error { return e.err }

// InDir returns err, if not nil, marked as being about paths in dir, the
// directory the user named: Status joins the relative paths in its message
// to dir.
func InDir(dir string, err error) error {
	if err == nil {
		return nil
	}
	return &dirError{dir, err}
}

// describe returns the message of an error of a command, in the user's
// terms and on one line.
func describe(err error) string {
	dir := ""
	if d, ok := errors.AsType[*dirError](err); ok {
		dir = d.dir
	}
	return strings.ReplaceAll(inUserTerms(err, dir), "\n", "; ")
}
