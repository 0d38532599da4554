package publish

import (
	"context"
	"fmt"
	"net/url"

	"gocloud.dev/blob"
	// The providers a bucket URL may name; gs:// is in bucket_gcs.go.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob"
)

// OpenBucket opens the bucket at a URL: s3://, azblob://, file:/// or,
// in a program built with the tag gcs, gs://. The caller closes it. An S3
// bucket's client makes one attempt at each request: publish retries
// transient failures by itself.
//
// Google Cloud Storage takes a build tag because its client makes a
// program much larger and every run slower to start (docs/PUBLISH.md has
// the figures); build with "go build -tags gcs" (for cachebust publish, go
// install -tags gcs github.com/cachebust/cachebust/cmd/cachebust-publish),
// or import gocloud.dev/blob/gcsblob in a program of your own.
func OpenBucket(ctx context.Context, bucketURL string) (*blob.Bucket, error) {
	if u, err := url.Parse(bucketURL); err == nil && u.Scheme == "gs" && !blob.DefaultURLMux().ValidBucketScheme("gs") {
		return nil, fmt.Errorf("open bucket %s: gs:// needs a build with Google Cloud Storage: go install -tags gcs github.com/cachebust/cachebust/cmd/cachebust-publish@latest", bucketURL)
	}
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", bucketURL, err)
	}
	u, err := url.Parse(bucketURL)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("open bucket %s: %w", bucketURL, err)
	}
	if b, err = withoutSDKRetries(ctx, b, u); err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", bucketURL, err)
	}
	return b, nil
}
