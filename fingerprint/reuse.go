package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"

	"github.com/cachebust/cachebust/core"
)

// A build that rewrites nothing still finds the references of every
// stylesheet and script, for the graph it records, and that took most of
// the time of a rebuild in place with nothing changed. A file whose bytes
// the previous manifest recorded (same hash and size) keeps the edges that
// manifest recorded for it, without being scanned, when resolving its
// references would give the same targets: the build has exactly the assets
// the previous manifest names, with the same hash, form and length, and
// the previous build resolved with the same prefix.
//
// The manifest does not say which prefix its build resolved with, so a
// build records that in graphRecordName beside the lock, with the SHA-256
// of the manifest it wrote. A record of a manifest other than the one in
// place says nothing; since a manifest pins the name, hash and size of
// every asset, a record matching the manifest in place is true of it
// however old it is, and writing one that fails costs only the reuse.

// graphRecordName is the file in the output directory that records how the
// graph of the manifest in place was resolved.
const graphRecordName = ".cachebust.graph"

// graphVersion names the way references are resolved into the graph; it
// changes with any change to how a build finds or resolves them, so that
// no build reuses edges recorded the old way.
const graphVersion = "cachebust graph 1"

// graphRecord returns the record of a manifest with the bytes data, built
// with opts.
func graphRecord(data []byte, opts Options) []byte {
	sum := sha256.Sum256(data)
	return []byte(graphVersion + "\n" + hex.EncodeToString(sum[:]) + "\n" + opts.prefix() + "\n")
}

// reusableGraphs returns the assets of the manifest in place of o whose
// edges the build of names with opts may take for files with the same
// bytes, or nil if it may take none (see above).
func reusableGraphs(o *outDir, names []string, opts Options) map[string]core.Asset {
	old := o.old
	if old == nil || !opts.graphOnly() || opts.renames() || old.Version != core.ManifestVersion ||
		old.Hash != opts.Hash.Name || old.Form != opts.Form.Name() || old.Length != opts.Length ||
		len(old.Assets) != len(names) {
		return nil
	}
	for _, name := range names {
		if _, ok := old.Assets[name]; !ok {
			return nil
		}
	}
	rec, err := fs.ReadFile(o.root.FS(), graphRecordName)
	if err != nil || string(rec) != string(graphRecord(o.oldData, opts)) {
		return nil
	}
	return old.Assets
}

// writeGraphRecord records, in the output directory root, that the
// manifest with the bytes data resolved its graph with opts. It writes
// nothing when the record there says so already. Failing costs only the
// reuse of edges by the next build, so it reports nothing.
func writeGraphRecord(root *os.Root, data []byte, opts Options) {
	rec := graphRecord(data, opts)
	if had, err := fs.ReadFile(root.FS(), graphRecordName); err == nil && string(had) == string(rec) {
		return
	}
	if t, err := writeTemp(root, graphRecordName, 0o644, false, writeBytes(rec)); err == nil {
		t.commit()
	}
}
