//go:build gcs

package publish

// Google Cloud Storage, for gs:// bucket URLs (see OpenBucket).
import _ "gocloud.dev/blob/gcsblob"
