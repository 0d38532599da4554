package publish

import (
	"context"
	"fmt"

	"gocloud.dev/blob"
	// The providers a bucket URL may name.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/s3blob"
)

// OpenBucket opens the bucket at a URL: s3://, gs://, azblob:// or
// file:///. The caller closes it.
func OpenBucket(ctx context.Context, bucketURL string) (*blob.Bucket, error) {
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", bucketURL, err)
	}
	return b, nil
}
