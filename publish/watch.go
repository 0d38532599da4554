package publish

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"gocloud.dev/blob"

	"github.com/cachebust/cachebust/core"
)

// Load returns a Resolver for the manifest object key in the bucket b,
// such as ManifestKey or "assets/" + ManifestKey. Set opts.Prefix to the
// base URL of the CDN in front of the bucket.
func Load(ctx context.Context, b *blob.Bucket, key string, opts core.Options) (*core.Resolver, error) {
	m, _, err := readManifestRetrying(ctx, b, key)
	if err != nil {
		return nil, err
	}
	return core.New(m, opts)
}

// readManifestRetrying reads the manifest object key, trying again after
// a transient failure. A file:/// bucket needs it too: it rewrites an
// object's metadata file in place, and a read of the object or its
// attributes that meets the rewrite fails.
func readManifestRetrying(ctx context.Context, b *blob.Bucket, key string) (m *core.Manifest, data []byte, err error) {
	err = defaultBackoff.do(ctx, func() error {
		m, data, err = readManifest(ctx, b, key)
		return err
	})
	return m, data, err
}

// A Watcher keeps a Resolver in step with a manifest object in a bucket:
// each Reload reads the object again and, if it changed, swaps the new
// manifest in. App servers on many machines that watch the same object
// pick up a deploy without a restart. It is safe for concurrent use.
type Watcher struct {
	b   *blob.Bucket
	key string
	r   *core.Resolver

	mu   sync.Mutex // serializes Reload
	etag string     // of the object last read, if the bucket gives one
	data []byte     // the manifest's bytes last swapped in
}

// Watch reads the manifest object key in b and returns a Watcher whose
// Resolver resolves against it. The caller keeps b open while it uses the
// Watcher.
func Watch(ctx context.Context, b *blob.Bucket, key string, opts core.Options) (*Watcher, error) {
	m, data, err := readManifestRetrying(ctx, b, key)
	if err != nil {
		return nil, err
	}
	r, err := core.New(m, opts)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", key, err)
	}
	return &Watcher{b: b, key: key, r: r, data: data}, nil
}

// Resolver returns the resolver the Watcher keeps up to date.
func (w *Watcher) Resolver() *core.Resolver { return w.r }

// Reload reads the manifest object again and, if its bytes changed, makes
// the resolver use it. It reports whether it swapped. A bucket that gives
// ETags costs one metadata request when nothing changed. On error the
// resolver keeps its manifest.
func (w *Watcher) Reload(ctx context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var attrs *blob.Attributes
	err := defaultBackoff.do(ctx, func() error {
		var err error
		attrs, err = w.b.Attributes(ctx, w.key)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("manifest %s: %w", w.key, err)
	}
	if attrs.ETag != "" && attrs.ETag == w.etag {
		return false, nil
	}
	// The object read may be newer than the ETag just seen; then the next
	// Reload reads it again and finds the same bytes.
	m, data, err := readManifestRetrying(ctx, w.b, w.key)
	if err != nil {
		return false, err
	}
	w.etag = attrs.ETag
	if bytes.Equal(data, w.data) {
		return false, nil
	}
	if err := w.r.Swap(m); err != nil {
		return false, fmt.Errorf("manifest %s: %w", w.key, err)
	}
	w.data = data
	return true, nil
}

// Poll calls Reload every interval until ctx is done, and passes its
// errors, if onError is not nil, to onError. The resolver keeps its
// manifest through failed reloads.
func (w *Watcher) Poll(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := w.Reload(ctx); err != nil && onError != nil && ctx.Err() == nil {
			onError(err)
		}
	}
}
