package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestInUserTerms(t *testing.T) {
	dir := filepath.Join("site", "out")
	tests := []struct {
		name string
		err  error
		dir  string
		want string
	}{
		{"stat in a root", fmt.Errorf("asset css/a.css: %w", &fs.PathError{Op: "statat", Path: "css/a-1.css", Err: fs.ErrNotExist}), dir,
			"asset css/a.css: cannot read " + filepath.Join(dir, "css", "a-1.css") + ": file does not exist"},
		{"lock file", fmt.Errorf("lock output directory %s: %w", dir, &fs.PathError{Op: "openat", Path: ".cachebust.lock", Err: syscall.EROFS}), dir,
			"lock output directory " + dir + ": cannot open " + filepath.Join(dir, ".cachebust.lock") + ": read-only file system"},
		{"no directory known", &fs.PathError{Op: "mkdirat", Path: "css", Err: syscall.ENOSPC}, "", "cannot create directory css: no space left on device"},
		{"absolute path", &fs.PathError{Op: "open", Path: "/abs/x", Err: fs.ErrPermission}, dir, "cannot open /abs/x: permission denied"},
		{"link", &os.LinkError{Op: "renameat", Old: "a.tmp", New: "a.css", Err: syscall.EXDEV}, "",
			"cannot rename a.tmp to a.css: invalid cross-device link"},
		{"joined", errors.Join(&fs.PathError{Op: "unlinkat", Path: "a", Err: fs.ErrPermission}, &fs.PathError{Op: "unlinkat", Path: "b", Err: fs.ErrPermission}), "",
			"cannot remove a: permission denied\ncannot remove b: permission denied"},
		{"unknown operation left alone", &fs.PathError{Op: "frobnicate", Path: "x", Err: fs.ErrInvalid}, dir, "frobnicate x: invalid argument"},
	}
	for _, tc := range tests {
		if got := inUserTerms(tc.err, tc.dir); got != tc.want {
			t.Errorf("%s: inUserTerms(%q, %q) = %q, want %q", tc.name, tc.err, tc.dir, got, tc.want)
		}
	}
}
