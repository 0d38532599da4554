// Package recordfile reads the files cachebust keeps its records in:
// manifests and the pending records of builds and publishes, on disk and
// in a bucket. Every reader refuses what is not a regular file (a
// directory, a device such as /dev/zero that never ends, a named pipe that
// would block) without blocking, and a file larger than MaxSize, each with
// one line naming the file.
package recordfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxSize is the size in bytes of the largest record read: 256 MiB, room
// for a manifest of more than a million assets.
const MaxSize = 256 << 20

// Read returns the content of the file at the path name, the caller's,
// relative or absolute. It opens the file without waiting for a writer,
// so that a named pipe is refused rather than waited on.
func Read(name string) (string, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return readOpen(f, name)
}

// ReadRoot returns the content of the file name in root, as Read does.
// Its errors name the file by its path, root.Name() joined with name.
func ReadRoot(root *os.Root, name string) (string, error) {
	p := filepath.Join(root.Name(), name)
	f, err := root.OpenFile(name, os.O_RDONLY|nonblock, 0)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", &fs.PathError{Op: "open", Path: p, Err: pe.Err}
		}
		return "", err
	}
	defer f.Close()
	return readOpen(f, p)
}

// ReadFS returns the content of the file name in fsys. An fs.FS cannot be
// asked to open without blocking, so the file is looked at before it is
// opened as well as once it is open.
func ReadFS(fsys fs.FS, name string) (string, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return "", err
	}
	if err := check(name, info); err != nil {
		return "", err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return readOpen(f, name)
}

// ReadAll returns what r holds, size bytes as far as its source tells
// (-1 if it cannot). It fails, with an error wrapping ErrTooLarge, if size
// is more than MaxSize, before it reads anything, or if r holds more. Its
// errors do not name the source; the caller does.
func ReadAll(r io.Reader, size int64) (string, error) { return readAll(r, size, MaxSize) }

// ErrTooLarge is wrapped by the errors about a record larger than MaxSize.
var ErrTooLarge = errors.New("too large")

// sizeError is a record of size bytes, or one that grew while read, larger
// than limit.
type sizeError struct {
	size, limit int64
	grew        bool
}

func (e *sizeError) Error() string {
	most := fmt.Sprintf("%d bytes (%d MiB), the most a manifest or record may have", e.limit, e.limit>>20)
	if e.grew {
		return "grew past " + most + " while read"
	}
	return fmt.Sprintf("%d bytes, more than %s", e.size, most)
}

func (e *sizeError) Is(target error) bool { return target == ErrTooLarge }

// readAll is ReadAll with a limit of limit bytes. It reads into a string,
// which the manifest parsers slice without copying.
func readAll(r io.Reader, size, limit int64) (string, error) {
	if size > limit {
		return "", &sizeError{size: size, limit: limit}
	}
	var b strings.Builder
	b.Grow(int(min(max(size, 0), limit)))
	n, err := io.Copy(&b, io.LimitReader(r, limit+1))
	if err != nil {
		return "", err
	}
	if n > limit {
		return "", &sizeError{size: n, limit: limit, grew: true}
	}
	return b.String(), nil
}

// readOpen reads the open file f, which name names in errors, once it
// has checked that it is a regular file of at most MaxSize bytes.
func readOpen(f fs.File, name string) (string, error) {
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	if err := check(name, info); err != nil {
		return "", err
	}
	data, err := ReadAll(f, info.Size())
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// check returns an error naming the file if info is not that of a regular
// file of at most MaxSize bytes.
func check(name string, info fs.FileInfo) error {
	mode := info.Mode()
	if mode.IsRegular() {
		if info.Size() > MaxSize {
			return fmt.Errorf("%s: %w", name, &sizeError{size: info.Size(), limit: MaxSize})
		}
		return nil
	}
	what := "a special file"
	switch {
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%s: %s, not a regular file", name, what)
}
