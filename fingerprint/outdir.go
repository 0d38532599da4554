package fingerprint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/manifestfile"
	"github.com/cachebust/cachebust/internal/recordfile"
	"github.com/cachebust/cachebust/internal/treeroot"
)

// ErrForeignManifest is wrapped by the error of Dir and Clean when the
// manifest in place was written by another tool: a flat map such as
// webpack's, which records no hash. Its entries are not files this package
// wrote, so it neither keeps nor removes them.
var ErrForeignManifest = errors.New("manifest written by another tool (it records no hash)")

// tempPrefix starts the name of every temporary file Dir writes. The next
// build and Clean remove those a killed build left.
const tempPrefix = ".cachebust-tmp-"

// outDir is an output directory opened for Dir or Clean. Every file
// operation inside it goes through root, so that no name a manifest, a
// pending record or a symbolic link holds can reach outside it.
type outDir struct {
	root     *os.Root
	tree     *treeroot.Root // root, with its directories' roots
	unlock   func()
	manifest manifestFile
	// old is the manifest in place, or nil if there is none, and oldData
	// its bytes.
	old     *core.Manifest
	oldData []byte
	// pending lists the files an unfinished build left (see pendingName);
	// hadPending reports that its record was there, even empty.
	pending    []string
	hadPending bool
	// swept lists the temporary files of killed builds that opening removed.
	swept []string
}

// openOut opens the output directory dir and loads it (see load).
func openOut(ctx context.Context, dir, manifestPath string, sweepAll bool, skipDir func(name string) bool) (*outDir, error) {
	o, err := lockOut(dir, manifestPath)
	if err != nil {
		return nil, err
	}
	if err := o.load(ctx, sweepAll, skipDir); err != nil {
		o.close()
		return nil, err
	}
	return o, nil
}

// lockOut opens the output directory dir, with the manifest in place at
// manifestPath or core.ManifestName in dir, and waits for its lock.
func lockOut(dir, manifestPath string) (o *outDir, err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	o = &outDir{root: root, tree: treeroot.New(root), unlock: func() {}, manifest: manifestFile{dir: root, name: core.ManifestName, path: filepath.Join(dir, core.ManifestName)}}
	defer func() {
		if err != nil {
			o.close()
			o = nil
		}
	}()
	unlock, err := lockDir(root)
	if err != nil {
		return o, err
	}
	o.unlock = unlock
	if manifestPath != "" {
		if o.manifest, err = openManifest(manifestPath); err != nil {
			return o, err
		}
	}
	return o, nil
}

// load reads the manifest in place and the pending record. A missing
// manifest is not an error: o.old is nil. A manifest that does not parse,
// or that another tool wrote, is.
//
// Then it removes the temporary files killed builds left. Those beside the
// manifest and the pending record are always looked for. A build writes
// its pending record before any other temporary file, so the rest of the
// tree is walked only when a record is there, or with sweepAll; the walk
// does not follow links, and enters neither dot-directories nor those
// skipDir names.
func (o *outDir) load(ctx context.Context, sweepAll bool, skipDir func(name string) bool) error {
	var err error
	if o.old, o.oldData, err = o.manifest.read(); err != nil {
		return err
	}
	if o.pending, o.hadPending, err = readPending(o.root); err != nil {
		return err
	}
	if o.swept, err = o.removeTemps(ctx, sweepAll || o.hadPending, skipDir); err != nil {
		return fmt.Errorf("remove temporary files: %w", err)
	}
	return nil
}

// close releases the lock and the roots.
func (o *outDir) close() {
	o.unlock()
	o.tree.Close()
	if o.manifest.dir != o.root {
		o.manifest.dir.Close()
	}
	o.root.Close()
}

// removeTemps removes the temporary files of killed builds from the top
// of the output directory, or with all from the whole of it (see
// openOut), and those beside the manifest when it lies elsewhere. It
// returns them relative to the output directory, or as paths for the
// manifest's.
func (o *outDir) removeTemps(ctx context.Context, all bool, skipDir func(string) bool) ([]string, error) {
	var removed []string
	err := fs.WalkDir(o.root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name != "." && (!all || strings.HasPrefix(d.Name(), ".") || skipDir != nil && skipDir(name)) {
				return fs.SkipDir
			}
			return ctx.Err()
		}
		if !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		if err := o.root.Remove(filepath.FromSlash(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed = append(removed, name)
		return nil
	})
	if err != nil || o.manifest.dir == o.root {
		return removed, err
	}
	entries, err := fs.ReadDir(o.manifest.dir.FS(), ".")
	if err != nil {
		return removed, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix+o.manifest.name+"-") {
			if err := o.manifest.dir.Remove(e.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
			removed = append(removed, filepath.Join(filepath.Dir(o.manifest.path), e.Name()))
		}
	}
	return removed, nil
}

// manifestFile is where the manifest of an output directory is kept.
type manifestFile struct {
	dir  *os.Root // the directory that holds it
	name string   // its name in dir
	path string   // its path, as the user knows it
	// named reports that the user named the path, which is then read as
	// named, and may lie outside the output directory.
	named bool
}

// openManifest opens the directory of the manifest path p, which the user
// named.
func openManifest(p string) (manifestFile, error) {
	dir, err := os.OpenRoot(filepath.Dir(p))
	if err != nil {
		return manifestFile{}, fmt.Errorf("manifest directory: %w", err)
	}
	return manifestFile{dir: dir, name: filepath.Base(p), path: p, named: true}, nil
}

// read reads and parses the manifest, and returns it with its bytes, or
// nil if there is none. It refuses what recordfile refuses: a file that
// is not a regular one, and one larger than core.MaxManifestSize. A manifest that exists but cannot be parsed stops
// a build: its files could not be told from inputs, nor kept. So does one
// another tool wrote.
func (mf manifestFile) read() (*core.Manifest, []byte, error) {
	var s string
	var err error
	if mf.named {
		s, err = recordfile.Read(mf.path)
	} else {
		s, err = recordfile.ReadRoot(mf.dir, mf.name)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read manifest: %w", err)
	}
	data := []byte(s)
	m, err := manifestfile.Parse(mf.path, data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (fix or remove it to build afresh)", err)
	}
	if m.Hash == "" {
		return nil, nil, fmt.Errorf("%s: %w: remove it, or keep cachebust's manifest elsewhere", mf.path, ErrForeignManifest)
	}
	return m, data, nil
}

// write writes the manifest m atomically and durably.
func (mf manifestFile) write(m *core.Manifest) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	t, err := mf.prepare(data, true)
	if err != nil {
		return err
	}
	return t.commit()
}

// prepare writes the manifest data to a temporary file beside it for
// commit to rename into place, and with synced syncs it; commit syncs its
// directory after the rename. Without synced the caller makes it durable
// before the commit.
func (mf manifestFile) prepare(data []byte, synced bool) (*tempFile, error) {
	t, err := writeTemp(mf.dir, mf.name, 0o644, synced, writeBytes(data))
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	t.durable = true
	return t, nil
}

// isFile reports whether the asset a is a file in the output directory,
// with a clean relative path. An entry of another tool's map may be a URL
// ("https://cdn.example.com/x.css", "//host/x.css") or a name no clean
// path spells; neither is ever opened, written or removed.
func isFile(a core.Asset) bool {
	c, err := core.CleanPath(a.File)
	return err == nil && c == a.File
}

// named returns the set of files in the output directory that m accounts
// for: its files (core.Manifest.Files) and, when originals were copied,
// the originals.
func named(m *core.Manifest) map[string]bool {
	set := make(map[string]bool)
	for _, f := range m.Files() {
		set[f] = true
	}
	if m != nil && m.Originals {
		for name := range m.Assets {
			set[name] = true
		}
	}
	return set
}

// readRecords reads what an earlier build in place left in the directory
// root: the files its manifest (core.ManifestName) names and its pending
// record lists, and the manifest itself. A build from that directory into
// another one leaves them out of its inputs. A file named core.ManifestName
// that is not a manifest of this package is an ordinary input.
func readRecords(root *os.Root) []string {
	var outputs []string
	if data, err := recordfile.ReadRoot(root, core.ManifestName); err == nil {
		if m, err := core.ParseManifest([]byte(data)); err == nil && m.Hash != "" {
			outputs = append(m.Files(), core.ManifestName)
		}
	}
	if pending, _, err := readPending(root); err == nil {
		outputs = append(outputs, pending...)
	}
	return outputs
}
