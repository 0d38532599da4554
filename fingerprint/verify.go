package fingerprint

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/coding"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/strategy"
)

// Verify checks that every file m names exists in fsys with the size and
// hash m records: the current build's files and the renamed copies of kept
// generations. It returns every problem found, joined, each naming the file
// and the asset and saying how to put it right. Entries that are not files
// (a URL in another tool's map) are not checked. A file that is there with
// another size or other bytes gives a *MismatchError, which errors.Is
// matches with ErrSizeMismatch or ErrHashMismatch:
//
//	var mismatch *fingerprint.MismatchError
//	if errors.As(err, &mismatch) {
//		// mismatch.File holds mismatch.Got, not mismatch.Want.
//	}
//
// A build writes again a file of the current build that is missing or
// whose size differs from the manifest's; one changed without changing
// its size is found only here, by its hash, and is written again once
// removed. A file of a kept generation is never written again: a clean
// keeping fewer builds drops it.
//
// For an output directory on disk, pass the FS of an os.Root opened on it:
// it refuses to follow a symbolic link out of the directory, which the
// fs.FS of os.DirFS follows.
func Verify(fsys fs.FS, m *core.Manifest) error {
	var h strategy.Hash
	if m.Hash != "" {
		var err error
		if h, err = strategy.HashByName(m.Hash); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	var errs []error
	check := func(name string, a core.Asset, kept bool) {
		if !isFile(a) {
			return
		}
		fix := fixes(m, name, a, kept)
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("asset %s: %w", name, fmt.Errorf(format, args...)))
		}
		info, err := fs.Stat(fsys, a.File)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fail("%s is missing; %s", a.File, fix.missing)
			return
		case err != nil:
			fail("%w", err)
			return
		case h.New == nil:
			return
		case info.Size() != a.Size:
			errs = append(errs, &MismatchError{Asset: name, File: a.File, Err: ErrSizeMismatch,
				Want: strconv.FormatInt(a.Size, 10), Got: strconv.FormatInt(info.Size(), 10),
				msg: fmt.Sprintf("%s has %d bytes, manifest says %d; %s", a.File, info.Size(), a.Size, fix.size)})
			return
		}
		f, err := fsys.Open(a.File)
		if err != nil {
			fail("%w", err)
			return
		}
		defer f.Close()
		sum, err := h.Sum(f)
		if err != nil {
			fail("read %s: %w", a.File, err)
			return
		}
		if sum != a.Hash {
			errs = append(errs, &MismatchError{Asset: name, File: a.File, Err: ErrHashMismatch, Want: a.Hash, Got: sum,
				msg: fmt.Sprintf("%s has %s %s, manifest says %s; %s", a.File, m.Hash, sum, a.Hash, fix.bytes)})
		}
		for _, enc := range a.Encodings {
			var mismatch *MismatchError
			switch err := verifySibling(fsys, h, a, enc); {
			case errors.Is(err, fs.ErrNotExist):
				fail("%s is missing; %s", a.File+precompressed.Ext(enc), fix.missing)
			case errors.As(err, &mismatch):
				mismatch.Asset = name
				mismatch.msg += "; " + fix.bytes
				errs = append(errs, mismatch)
			case err != nil:
				fail("%v; %s", err, fix.bytes)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(m.Assets)) {
		check(name, m.Assets[name], false)
	}
	for _, g := range m.Generations {
		for _, name := range slices.Sorted(maps.Keys(g.Assets)) {
			// A kept generation of the query form shares its files with
			// the current build, so only renamed copies can be checked.
			if a := g.Assets[name]; a.File != name {
				check(name, a, true)
			}
		}
	}
	return errors.Join(errs...)
}

// fix says how to put right a file that is missing, of another size, or
// of the same size with other bytes.
type fix struct{ missing, size, bytes string }

// fixes returns how to put right the file of the asset a, named name, of
// the manifest m, or of one of its kept generations.
func fixes(m *core.Manifest, name string, a core.Asset, kept bool) fix {
	switch {
	case kept:
		// No build writes an earlier build's files again.
		f := "it belongs to an earlier build: clean keeping fewer builds to drop that build"
		return fix{f, f, f}
	case a.File == name && !m.Originals:
		// The file is the source itself, as the query form in place
		// serves it.
		return fix{"build again", "the file changed since the build: build again", "the file changed since the build: build again"}
	default:
		return fix{"build again to write it", "build again to write it afresh", "remove it and build again to write it afresh"}
	}
}

// verifySibling checks that the precompressed sibling of a in the encoding
// enc decompresses to the asset's bytes.
func verifySibling(fsys fs.FS, h strategy.Hash, a core.Asset, enc string) error {
	name := a.File + precompressed.Ext(enc)
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := coding.NewReader(enc, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d := h.New()
	n, err := io.Copy(d, r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if sum := hex.EncodeToString(d.Sum(nil)); n != a.Size || sum != a.Hash {
		return &MismatchError{File: name, Err: ErrHashMismatch, Want: a.Hash, Got: sum,
			msg: fmt.Sprintf("%s decompresses to %d bytes with %s %s, manifest says %d bytes with %s", name, n, h.Name, sum, a.Size, a.Hash)}
	}
	return nil
}

// ErrSizeMismatch and ErrHashMismatch are wrapped by the errors of Verify
// for a file whose size, or whose bytes, are not those its manifest
// records. Each such error is a *MismatchError.
var (
	ErrSizeMismatch = errors.New("size differs from the manifest's")
	ErrHashMismatch = errors.New("hash differs from the manifest's")
)

// MismatchError is the error of Verify for a file that is there but does
// not hold what its manifest records. It wraps ErrSizeMismatch or
// ErrHashMismatch, which Err holds.
type MismatchError struct {
	// Asset is the path of the asset, as the manifest names it.
	Asset string
	// File is the file checked, in the fs.FS given to Verify: the asset's
	// file, or a precompressed sibling of it.
	File string
	// Err is ErrSizeMismatch or ErrHashMismatch. A precompressed sibling
	// that does not decompress to the asset's bytes gives ErrHashMismatch.
	Err error
	// Want and Got are the size in bytes, in decimal, or the hex digest in
	// the manifest's hash strategy: as the manifest records it, and as
	// the file has it.
	Want, Got string
	msg       string // what is wrong and how to put it right
}

func (e *MismatchError) Error() string { return "asset " + e.Asset + ": " + e.msg }

func (e *MismatchError) Unwrap() error { return e.Err }
