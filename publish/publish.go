package publish

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/generations"
	"github.com/cachebust/cachebust/internal/manifestfile"
	"github.com/cachebust/cachebust/internal/parallel"
	"github.com/cachebust/cachebust/internal/recordfile"
	"github.com/cachebust/cachebust/strategy"
)

// DefaultWorkers is how many requests a publish makes at once when
// Options.Workers is zero.
const DefaultWorkers = 16

// Options configure a publish. The zero value publishes to the root of the
// bucket and keeps no earlier publish: set Keep for rolling deploys.
type Options struct {
	// KeyPrefix is the path inside the bucket that every key goes under,
	// such as "assets/"; empty means the root. The manifest object is
	// KeyPrefix + ManifestKey.
	KeyPrefix string
	// Keep is how many earlier publishes keep their objects in the
	// bucket, for pages rendered against their manifests; 0 keeps none.
	// DefaultKeep suits a rolling deploy.
	Keep int
	// Plain also publishes every asset under its logical name, the plain
	// URL, with Cache-Control serve.CacheRevalidate. Plain objects are the
	// only ones a publish replaces in place.
	Plain bool
	// Workers is how many requests run at once; 0 means DefaultWorkers.
	Workers int
	// Verify lists the bucket even when the manifest in place is the one
	// the publish would write, so that objects deleted behind publish's
	// back are uploaded again (any other publish lists it anyway), and
	// reads the attributes of every object it would skip (one request
	// each), writing again those whose Content-Type, Content-Encoding or
	// Cache-Control differ from what the publish gives them.
	Verify bool
	// DryRun works out what a publish would upload, skip and delete, and
	// writes nothing.
	DryRun bool
	// Progress, if set, is called after each upload with the number of
	// objects uploaded so far and the number to upload, from one goroutine
	// at a time.
	Progress func(done, total int)
}

// DefaultKeep is the number of earlier publishes the cachebust command
// keeps, as many as "cachebust build" keeps on disk.
const DefaultKeep = fingerprint.DefaultKeep

// Result describes what a publish did, or with Options.DryRun would do.
type Result struct {
	// Manifest is the manifest written to the bucket: the build's, with the
	// generations the bucket keeps.
	Manifest *core.Manifest
	// Objects counts the objects of the build: fingerprinted files,
	// precompressed siblings and plain objects.
	Objects int
	// Uploaded and UploadedBytes count the objects sent and their bytes.
	Uploaded      int
	UploadedBytes int64
	// Skipped and SkippedBytes count the objects the bucket held already.
	Skipped      int
	SkippedBytes int64
	// Deleted counts the objects of publishes no longer kept, deleted.
	Deleted int
	// ManifestWritten reports whether the manifest object was written: it
	// is not when the bucket held the same manifest already.
	ManifestWritten bool
	// ToUpload, ToSkip and ToDelete are set by a dry run (Options.DryRun)
	// only: the keys, key prefix included, that the publish would upload,
	// find in the bucket already, and delete, each sorted.
	ToUpload, ToSkip, ToDelete []string
}

// Dir publishes the output of "cachebust build" in dir, the build its
// manifest dir/cachebust.json records. Files are read through an os.Root,
// so no name in the manifest reaches outside dir.
func Dir(ctx context.Context, b *blob.Bucket, dir string, opts Options) (*Result, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("build directory: %w", err)
	}
	defer root.Close()
	data, err := recordfile.ReadRoot(root, core.ManifestName)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m, err := manifestfile.Parse(filepath.Join(dir, core.ManifestName), []byte(data))
	if err != nil {
		return nil, err
	}
	return Files(ctx, b, root.FS(), m, opts)
}

// Source fingerprints the tree src in memory, as fingerprint.FS does, and
// publishes the result; nothing is written locally. The build writes no
// precompressed siblings: publish a directory built with -gzip or -brotli
// for those. It refuses a tree with a manifest at its root, which is the
// output of a build: its renamed copies would be fingerprinted again.
func Source(ctx context.Context, b *blob.Bucket, src fs.FS, bopts fingerprint.Options, opts Options) (*Result, error) {
	if _, err := fs.Stat(src, core.ManifestName); err == nil {
		return nil, fmt.Errorf("source tree holds %s: it is the output of a build; publish it with Dir", core.ManifestName)
	}
	m, files, err := buildTree(ctx, src, bopts)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	return Files(ctx, b, files, m, opts)
}

// buildTree fingerprints src in memory and returns the manifest and the tree
// of the files it names. It is the one place this package calls the build.
func buildTree(ctx context.Context, src fs.FS, opts fingerprint.Options) (*core.Manifest, fs.FS, error) {
	tree, err := fingerprint.FS(ctx, src, opts)
	if err != nil {
		return nil, nil, err
	}
	return tree.Manifest(), tree, nil
}

// Files publishes the build m records, whose files are in the tree
// files, to the bucket b: first a pending record, then the objects the
// bucket does not hold, then the manifest object, then the deletion of the
// objects of publishes no longer kept, and last the removal of the pending
// record. On error, what is done stays done and the previous manifest
// stays in place; publishing again completes the work.
func Files(ctx context.Context, b *blob.Bucket, files fs.FS, m *core.Manifest, opts Options) (*Result, error) {
	prefix, err := keyPrefix(opts.KeyPrefix)
	if err != nil {
		return nil, err
	}
	var sum strategy.Hash
	if m.Hash != "" {
		if sum, err = strategy.HashByName(m.Hash); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
	}
	objs, err := objects(m.Assets, m.Hash == "", opts.Plain)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	s, err := readState(ctx, b, prefix)
	if err != nil {
		return nil, err
	}
	p, err := makePlan(ctx, b, prefix, s, m, objs, opts)
	if err != nil {
		return nil, err
	}
	if opts.Verify {
		if err := (work{workers: opts.Workers}).checkMetadata(ctx, b, prefix, p); err != nil {
			return nil, err
		}
	}
	u := &uploader{b: b, prefix: prefix, files: files, sum: sum}
	res := &Result{Manifest: p.next, Objects: len(objs), Skipped: len(p.skip), ManifestWritten: p.changed}
	for _, o := range p.skip {
		size, err := u.size(o)
		if err != nil {
			return nil, err
		}
		res.SkippedBytes += size
	}
	if opts.DryRun {
		return res, dryRun(res, u, p, s)
	}
	w := work{workers: opts.Workers}
	return res, w.publish(ctx, res, u, s, p, opts.Progress)
}

// plan is what a publish does.
type plan struct {
	next         *core.Manifest // the manifest it writes
	data         []byte         // next's bytes
	changed      bool           // whether they differ from the manifest in place
	upload, skip []object       // the objects to upload and those held already
	drop         []string       // the keys to delete after the manifest
}

// makePlan works out what the publish of m, whose objects are objs, does to
// a bucket in the state s. It lists the bucket unless the manifest in
// place is the one it would write and no publish stopped half-way: then
// the records say the bucket holds every object, and only opts.Verify
// checks them.
func makePlan(ctx context.Context, b *blob.Bucket, prefix string, s *state, m *core.Manifest, objs []object, opts Options) (*plan, error) {
	next := *m
	next.Generations = generations.Kept(m, s.prev, opts.Keep)
	next.Originals = opts.Plain
	p := &plan{next: &next}
	var err error
	if p.data, err = next.Marshal(); err != nil {
		return nil, err
	}
	p.changed = !bytes.Equal(p.data, s.prevData)
	if p.changed || s.pending != nil || opts.Verify {
		if err := s.list(ctx, b, prefix); err != nil {
			return nil, err
		}
	}
	if p.upload, p.skip, err = s.sort(objs); err != nil {
		return nil, err
	}
	if p.drop, err = s.dropped(&next); err != nil {
		return nil, err
	}
	return p, nil
}

// checkMetadata reads the attributes of every object p skips and moves to
// p.upload, to be written again over the object in place, those whose
// Content-Type, Content-Encoding or Cache-Control differ from what this
// publish gives them: an object uploaded from a host whose MIME tables
// lacked a type, say. Their bytes are checked as every upload's are.
func (w work) checkMetadata(ctx context.Context, b *blob.Bucket, prefix string, p *plan) error {
	stale := make([]bool, len(p.skip))
	err := w.each(ctx, len(p.skip), func(ctx context.Context, i int) error {
		o := p.skip[i]
		return defaultBackoff.do(ctx, func() error {
			attrs, err := b.Attributes(ctx, prefix+o.key)
			if err != nil {
				return fmt.Errorf("read the attributes of %s: %w", prefix+o.key, serviceErr(err))
			}
			stale[i] = attrs.ContentType != o.contentType || attrs.ContentEncoding != o.encoding || attrs.CacheControl != o.cacheControl
			return nil
		})
	})
	if err != nil {
		return err
	}
	var skip []object
	for i, o := range p.skip {
		if stale[i] {
			o.replace = true
			p.upload = append(p.upload, o)
		} else {
			skip = append(skip, o)
		}
	}
	p.skip = skip
	slices.SortFunc(p.upload, func(a, b object) int { return strings.Compare(a.key, b.key) })
	return nil
}

// work runs the requests of a publish, workers at a time, each retried
// by defaultBackoff.
type work struct {
	workers int
}

// publish carries out the plan p.
func (w work) publish(ctx context.Context, res *Result, u *uploader, s *state, p *plan, progress func(int, int)) error {
	pending := s.pending != nil
	if len(p.upload) > 0 || len(p.drop) > 0 {
		rec, err := marshalRecord(s.record(p.upload, p.drop))
		if err != nil {
			return err
		}
		if err := defaultBackoff.do(ctx, func() error { return u.writeRecord(ctx, pendingKey, rec) }); err != nil {
			return fmt.Errorf("record pending objects: %w", err)
		}
		pending = true
	}
	if err := w.uploadAll(ctx, res, u, p.upload, progress); err != nil {
		return err
	}
	if p.changed {
		if err := defaultBackoff.do(ctx, func() error { return u.writeRecord(ctx, ManifestKey, p.data) }); err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
	}
	if err := w.deleteAll(ctx, res, u, p.drop); err != nil {
		return err
	}
	if !pending {
		return nil
	}
	return defaultBackoff.do(ctx, func() error {
		_, err := u.remove(ctx, pendingKey)
		return err
	})
}

// uploadAll uploads objs in parallel and counts them into res.
func (w work) uploadAll(ctx context.Context, res *Result, u *uploader, objs []object, progress func(int, int)) error {
	var mu sync.Mutex // guards res and done
	done := 0
	return w.each(ctx, len(objs), func(ctx context.Context, i int) error {
		var n int64
		var present bool
		err := defaultBackoff.do(ctx, func() error {
			var err error
			n, present, err = u.put(ctx, objs[i])
			return err
		})
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if present {
			res.Skipped++
			res.SkippedBytes += n
		} else {
			res.Uploaded++
			res.UploadedBytes += n
		}
		done++
		if progress != nil {
			progress(done, len(objs))
		}
		return nil
	})
}

// deleteAll deletes keys in parallel and counts those that existed.
func (w work) deleteAll(ctx context.Context, res *Result, u *uploader, keys []string) error {
	var deleted atomic.Int64
	err := w.each(ctx, len(keys), func(ctx context.Context, i int) error {
		return defaultBackoff.do(ctx, func() error {
			existed, err := u.remove(ctx, keys[i])
			if existed {
				deleted.Add(1)
			}
			return err
		})
	})
	res.Deleted = int(deleted.Load())
	if err != nil {
		return fmt.Errorf("delete objects no longer kept: %w", err)
	}
	return nil
}

// each calls f for 0 to n-1, w.workers at a time, and returns the first
// error in the order of i (see parallel.For); after one, no more calls
// start and those in flight are canceled.
func (w work) each(ctx context.Context, n int, f func(context.Context, int) error) error {
	workers := w.workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	return parallel.For(ctx, workers, n, f)
}

// dryRun fills in res as the publish of p would.
func dryRun(res *Result, u *uploader, p *plan, s *state) error {
	res.Uploaded = len(p.upload)
	for _, o := range p.upload {
		size, err := u.size(o)
		if err != nil {
			return err
		}
		res.UploadedBytes += size
		res.ToUpload = append(res.ToUpload, u.prefix+o.key)
	}
	for _, o := range p.skip {
		res.ToSkip = append(res.ToSkip, u.prefix+o.key)
	}
	for _, key := range p.drop {
		if _, ok := s.listed[key]; ok {
			res.Deleted++
			res.ToDelete = append(res.ToDelete, u.prefix+key)
		}
	}
	slices.Sort(res.ToUpload)
	slices.Sort(res.ToSkip)
	slices.Sort(res.ToDelete)
	return nil
}
