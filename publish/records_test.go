package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/specialtest"
	"github.com/cachebust/cachebust/publish"
)

const tooLarge = "268435457 bytes, more than 268435456 bytes (256 MiB), the most a manifest or record may have"

// The manifest and the pending record in the bucket are read only up to
// core.MaxManifestSize bytes: a larger object is refused, before it is
// read, with one line naming it, not read whole.
func TestBucketRecordsAreCapped(t *testing.T) {
	for _, key := range []string{publish.ManifestKey, ".cachebust-pending.json"} {
		t.Run(key, func(t *testing.T) {
			b, u := fileBucket(t)
			specialtest.Sparse(t, filepath.Join(strings.TrimPrefix(u, "file://"), key), core.MaxManifestSize+1)
			out := buildDir(t, site("v1"))
			_, err := publish.Dir(context.Background(), b, out, publish.Options{})
			if err == nil || !strings.Contains(err.Error(), key+": "+tooLarge) || strings.Contains(err.Error(), "\n") {
				t.Errorf("publish over a bucket whose %s is too large: error %v, want one line saying %s: %s", key, err, key, tooLarge)
			}
		})
	}
	t.Run("Load", func(t *testing.T) {
		b, u := fileBucket(t)
		specialtest.Sparse(t, filepath.Join(strings.TrimPrefix(u, "file://"), publish.ManifestKey), core.MaxManifestSize+1)
		if _, err := publish.Load(context.Background(), b, publish.ManifestKey, core.Options{}); err == nil || !strings.Contains(err.Error(), tooLarge) {
			t.Errorf("Load of a manifest object too large: error %v, want one saying %s", err, tooLarge)
		}
	})
}

// Dir reads the manifest of the build directory with the limits of every
// other reader: a regular file of at most core.MaxManifestSize bytes.
func TestDirManifestIsCapped(t *testing.T) {
	b, _ := fileBucket(t)
	out := buildDir(t, site("v1"))
	name := filepath.Join(out, core.ManifestName)
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	specialtest.Sparse(t, name, core.MaxManifestSize+1)
	if _, err := publish.Dir(context.Background(), b, out, publish.Options{}); err == nil || err.Error() != "read manifest: "+name+": "+tooLarge {
		t.Errorf("publish of a build whose manifest is too large: error %v, want read manifest: %s: %s", err, name, tooLarge)
	}
	if ks := keys(t, b); len(ks) != 0 {
		t.Errorf("bucket holds %q after a refused publish", ks)
	}
}
