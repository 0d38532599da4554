package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/manifestfile"
	"github.com/cachebust/cachebust/internal/recordfile"
)

// ManifestKey is the key of the manifest object, under the key prefix.
const ManifestKey = core.ManifestName

// pendingKey is the key, under the key prefix, of the record a publish
// writes before anything else: every object it may leave that no manifest
// names if it stops half-way (the objects it is about to upload and those
// it is about to delete), each with the id of what it would hold. The next
// publish takes from it what the bucket may hold, deletes what its own
// manifest does not name, and removes it. It starts with ".", like no key
// of an object.
const pendingKey = ".cachebust-pending.json"

// state is what a bucket holds under a key prefix before a publish.
type state struct {
	prev     *core.Manifest    // the manifest in place, nil if none
	prevData []byte            // its bytes
	prevIDs  map[string]string // the objects prev accounts for: key -> id
	// pending is the record a publish that stopped left, nil if none: key
	// -> id, "" where the object's content is unknown.
	pending map[string]string
	// listed holds every object under the prefix, key -> size, or is nil
	// when the bucket was not listed and its records are trusted.
	listed map[string]int64
}

// readState reads the manifest in place and the pending record: two
// requests.
func readState(ctx context.Context, b *blob.Bucket, prefix string) (*state, error) {
	s := &state{}
	var err error
	s.prev, s.prevData, err = readManifestRetrying(ctx, b, prefix+ManifestKey)
	switch {
	case gcerrors.Code(err) == gcerrors.NotFound:
	case errors.Is(err, core.ErrCorruptManifest):
		return nil, fmt.Errorf("%w (fix or delete it to publish afresh)", err)
	case err != nil:
		return nil, err
	}
	if s.prevIDs, err = named(s.prev); err != nil {
		return nil, fmt.Errorf("manifest %s in the bucket: %w", prefix+ManifestKey, err)
	}
	if err := defaultBackoff.do(ctx, func() error { return s.readPending(ctx, b, prefix+pendingKey) }); err != nil {
		return nil, err
	}
	return s, nil
}

// readObject returns the content of the object key, a manifest or a
// record, refusing one larger than core.MaxManifestSize before it reads
// it, as recordfile.ReadAll does; what ("manifest", "pending record")
// names it in errors.
func readObject(ctx context.Context, b *blob.Bucket, key, what string) ([]byte, error) {
	r, err := b.NewReader(ctx, key, nil)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, key, serviceErr(err))
	}
	defer r.Close()
	data, err := recordfile.ReadAll(r, r.Size())
	if errors.Is(err, recordfile.ErrTooLarge) {
		return nil, permanent{fmt.Errorf("read %s %s: %w", what, key, err)}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, key, serviceErr(err))
	}
	return []byte(data), nil
}

// readManifest reads and parses the manifest object key.
func readManifest(ctx context.Context, b *blob.Bucket, key string) (*core.Manifest, []byte, error) {
	data, err := readObject(ctx, b, key, "manifest")
	if err != nil {
		return nil, nil, err
	}
	m, err := manifestfile.Parse(key, data)
	if err != nil {
		return nil, nil, permanent{err}
	}
	return m, data, nil
}

// readPending reads the record of a publish that stopped, if there is one.
func (s *state) readPending(ctx context.Context, b *blob.Bucket, key string) error {
	data, err := readObject(ctx, b, key, "pending record")
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	var rec map[string]string
	if err := json.Unmarshal(data, &rec); err != nil {
		return permanent{fmt.Errorf("%s: %w (it lists the objects of an interrupted publish; delete them and it to go on)", key, err)}
	}
	for _, k := range slices.Sorted(maps.Keys(rec)) {
		if err := checkKey(k); err != nil {
			return permanent{fmt.Errorf("%s: key %q: %w", key, k, err)}
		}
	}
	s.pending = rec
	return nil
}

// list records the key and size of every object under prefix: one request
// per thousand objects.
func (s *state) list(ctx context.Context, b *blob.Bucket, prefix string) error {
	err := defaultBackoff.do(ctx, func() error { return s.listOnce(ctx, b, prefix) })
	if err != nil {
		return fmt.Errorf("list the bucket under %q: %w", prefix, err)
	}
	return nil
}

func (s *state) listOnce(ctx context.Context, b *blob.Bucket, prefix string) error {
	s.listed = make(map[string]int64)
	it := b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return serviceErr(err)
		}
		if !obj.IsDir {
			s.listed[strings.TrimPrefix(obj.Key, prefix)] = obj.Size
		}
	}
}

// known returns the id of what the bucket holds under key, as far as its
// records tell. A pending record wins over the manifest: the publish that
// wrote it may have replaced a plain object.
func (s *state) known(key string) string {
	if id, ok := s.pending[key]; ok {
		return id
	}
	return s.prevIDs[key]
}

// holds reports whether the bucket holds o already: the records say the
// key holds o's id, and the listing, if there is one, confirms it with the
// size, where the manifest records it. An object the records name is there
// whole, since an object is written at once.
func (s *state) holds(o object) bool {
	if o.id == "" || s.known(o.key) != o.id {
		return false
	}
	if s.listed == nil {
		return true
	}
	size, listed := s.listed[o.key]
	return listed && (o.size < 0 || size == o.size)
}

// sort splits objs into those to upload and those the bucket holds. It
// fails if a fingerprinted object would take the key of another that the
// manifest in place names, which happens only when a shortened hash
// collides.
func (s *state) sort(objs []object) (upload, skip []object, err error) {
	for _, o := range objs {
		if s.holds(o) {
			skip = append(skip, o)
			continue
		}
		if id, ok := s.prevIDs[o.key]; ok && o.immutable() && id != o.id {
			return nil, nil, fmt.Errorf("object %s already holds other content (%s, now %s): use a longer hash length", o.key, id, o.id)
		}
		upload = append(upload, o)
	}
	return upload, skip, nil
}

// dropped returns, sorted, the keys the manifest in place or a pending
// record names that next does not.
func (s *state) dropped(next *core.Manifest) ([]string, error) {
	keep, err := named(next)
	if err != nil {
		return nil, err
	}
	var drop []string
	for _, ids := range []map[string]string{s.prevIDs, s.pending} {
		for key := range ids {
			if _, ok := keep[key]; !ok {
				drop = append(drop, key)
			}
		}
	}
	slices.Sort(drop)
	return slices.Compact(drop), nil
}

// record returns the pending record of a publish that uploads upload and
// deletes drop: what an earlier record said, and for each object to
// upload the id it will hold, or "" if it replaces an object whose content
// is then unknown, and "" for each key to delete.
func (s *state) record(upload []object, drop []string) map[string]string {
	rec := maps.Clone(s.pending)
	if rec == nil {
		rec = make(map[string]string)
	}
	for _, o := range upload {
		_, exists := s.listed[o.key]
		if exists && !o.immutable() {
			rec[o.key] = ""
		} else {
			rec[o.key] = o.id
		}
	}
	for _, key := range drop {
		rec[key] = ""
	}
	return rec
}

// marshalRecord encodes a pending record, with sorted keys.
func marshalRecord(rec map[string]string) ([]byte, error) {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
