//go:build !gcs

package publish_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/publish"
)

// Without the tag gcs, a gs:// URL fails with one line saying how to get
// a build that has it.
func TestOpenBucketWithoutGCS(t *testing.T) {
	_, err := publish.OpenBucket(context.Background(), "gs://my-assets")
	if err == nil {
		t.Fatal("OpenBucket(gs://my-assets) succeeded without the gcs tag")
	}
	for _, want := range []string{"gs://my-assets", "-tags gcs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
