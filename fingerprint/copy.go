package fingerprint

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"path"
	"slices"

	"github.com/cachebust/cachebust/internal/parallel"
	"github.com/cachebust/cachebust/internal/rewrite"
)

// hashCopy hashes the files names of the source, as hashAll does, and,
// with an output directory apart from the source, copies each original
// that the manifest in place does not name into it as it reads it: every
// such original is read once, and its copy holds exactly the bytes hashed,
// so the renamed copy, a hard link to it, carries the bytes its name's
// hash names even if the source changes during the build. With scan, the
// references of the files that may hold some are found in the bytes read
// (see rewrite.Scans), and those bytes are kept only for the files that
// have some.
//
// An original the manifest in place names is only hashed: the writer
// compares and replaces it later (see copyOriginal), so that what that
// manifest names keeps its bytes until the new one is in place.
//
// The copies written are in w.written, in the order of names, even when
// hashCopy fails: the caller removes them (writer.rollback). The pending
// record must list them before hashCopy is called (see recordOriginals).
func (w *writer) hashCopy(ctx context.Context, names []string, opts Options, scan bool) ([]entry, error) {
	entries := make([]entry, len(names))
	prog := newProgress(opts.Progress, PhaseHash, len(names))
	groups := dirRuns(names, maxRun)
	err := parallel.For(ctx, opts.Workers, len(groups), func(_ context.Context, g int) error {
		buf := copyBuffers.Get().(*[]byte)
		defer copyBuffers.Put(buf)
		for i := groups[g][0]; i < groups[g][1]; i++ {
			name := names[i]
			var err error
			if w.serves[name] {
				entries[i], err = hashFile(w.src, name, opts, *buf, nil, nil)
			} else {
				entries[i], err = w.copyHashed(name, opts, *buf, scan)
			}
			if err != nil {
				return err
			}
			prog.done(name, "", entries[i].size, false)
		}
		return nil
	})
	for _, e := range entries {
		if e.copied {
			w.written = append(w.written, e.name)
		}
	}
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// copyHashed copies the source file name to the same name in the output
// directory, as a new file with its permissions (and read permission for
// all) and modification time, hashing the bytes as it copies them, and
// returns its entry. It reads the size the open file has: a file that
// grows meanwhile is copied and hashed as it was then. With scan and a
// file that may hold references, it finds them and keeps the bytes of a
// file that has some.
func (w *writer) copyHashed(name string, opts Options, buf []byte, scan bool) (entry, error) {
	f, err := open(w.src, name)
	if err != nil {
		return entry{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return entry{}, fmt.Errorf("read %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		// Replaced since the walk by something that is not a file:
		// hashing it says what it is.
		return hashFile(w.src, name, opts, buf, nil, nil)
	}
	if err := w.mkdirAll(path.Dir(name)); err != nil {
		return entry{}, err
	}
	d := opts.Hash.New()
	var sri hash.Hash
	if opts.Integrity != "" {
		sri = integrityHashes[opts.Integrity]()
	}
	size := info.Size()
	// The bytes of a file that may hold references are read whole, into
	// buf if they fit, and kept only if they hold some.
	var kept []byte
	if scan && rewrite.Scans(name) && size <= keepMaxFile {
		if size <= int64(len(buf)) {
			kept = buf[:size]
		} else {
			kept = make([]byte, size)
		}
	}
	var n int64
	err = w.out.WriteNewTimed(name, info.Mode().Perm()|0o444, info.ModTime(), func(dst io.Writer) error {
		put := func(b []byte) error {
			d.Write(b)
			if sri != nil {
				sri.Write(b)
			}
			n += int64(len(b))
			_, err := dst.Write(b)
			return err
		}
		if kept != nil {
			m, err := io.ReadFull(f, kept)
			if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
				return fmt.Errorf("read %s: %w", name, err)
			}
			// It may have shrunk while it was read: what was read is
			// what is hashed and copied.
			kept = kept[:m]
			return put(kept)
		}
		src := io.LimitReader(onlyReader{f}, size)
		for {
			m, err := src.Read(buf)
			if m > 0 {
				if err := put(buf[:m]); err != nil {
					return err
				}
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
		}
	})
	if err != nil {
		return entry{}, err
	}
	e := entry{name: name, size: n, hash: hex.EncodeToString(d.Sum(nil)), copied: true}
	if sri != nil {
		e.integrity = integrityValue(opts.Integrity, sri.Sum(nil))
	}
	if kept != nil {
		e.scanned = true
		if e.found = find(name, kept); len(e.found) > 0 {
			e.content = slices.Clone(kept)
		}
	}
	return e, nil
}

// recordOriginals records in the pending record, before hashCopy writes
// them, the copies of originals it may write: those of names the manifest
// in place does not name, with the files a build that stopped earlier
// left. If there are none, it records nothing.
func recordOriginals(o *outDir, w *writer, names []string) error {
	files := make([]string, 0, len(o.pending)+len(names))
	files = append(files, o.pending...)
	for _, name := range names {
		if !w.serves[name] {
			files = append(files, name)
		}
	}
	if len(files) == len(o.pending) {
		return nil
	}
	if err := writePending(o.root, files); err != nil {
		return fmt.Errorf("record pending files: %w", err)
	}
	return nil
}

// maxRun is the most files of one directory that one worker of hashCopy
// copies in a row.
const maxRun = 256

// dirRuns splits names, in walk order, into runs of consecutive names in one
// directory, of at most max names each, as [start, end) index pairs. Two
// workers creating files in one directory wait on its lock in the kernel;
// a run is copied by one worker, and a large directory is still shared.
func dirRuns(names []string, max int) [][2]int {
	var runs [][2]int
	for i := 0; i < len(names); {
		dir := path.Dir(names[i])
		j := i + 1
		for j < len(names) && j-i < max && path.Dir(names[j]) == dir {
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}
