package publish

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"gocloud.dev/blob"
	"gocloud.dev/blob/s3blob"
)

// serviceError is an error of the bucket's service in one line: the code
// and message the service answered with and the HTTP status, without the
// SDK's request ids and retry counts. It unwraps to the SDK's error.
type serviceError struct {
	msg string
	err error
}

func (e *serviceError) Error() string { return e.msg }
func (e *serviceError) Unwrap() error { return e.err }

// apiError is what the errors of the AWS SDK (smithy.APIError) and others
// that carry a service's answer have.
type apiError interface {
	ErrorCode() string
	ErrorMessage() string
}

// serviceErr returns err, an error of a bucket operation, with the
// service's answer in one line (see serviceError), or err itself when it
// carries none.
func serviceErr(err error) error {
	var api apiError
	if err == nil || !errors.As(err, &api) {
		return err
	}
	msg := api.ErrorCode()
	if m := api.ErrorMessage(); m != "" {
		msg += ": " + m
	}
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && status.HTTPStatusCode() != 0 {
		msg = fmt.Sprintf("%s (HTTP %d)", msg, status.HTTPStatusCode())
	}
	return &serviceError{msg: msg, err: err}
}

// withoutSDKRetries returns the S3 bucket b, opened from bucketURL, with a
// client that makes one attempt at each request: publish retries by
// itself (see defaultBackoff), and the SDK's attempts under each of its
// own would multiply them, and the time before a publish gives up. Other
// buckets are returned as they are.
func withoutSDKRetries(ctx context.Context, b *blob.Bucket, u *url.URL) (*blob.Bucket, error) {
	var client *s3.Client
	if u.Scheme != s3blob.Scheme || !b.As(&client) {
		return b, nil
	}
	opts := client.Options()
	opts.RetryMaxAttempts = 1
	q := u.Query()
	sse, err := s3SSE(q.Get("ssetype"))
	if err != nil {
		return nil, err
	}
	nb, err := s3blob.OpenBucket(ctx, s3.New(opts), u.Host, &s3blob.Options{
		EncryptionType:             sse,
		KMSEncryptionID:            q.Get("kmskeyid"),
		RequestChecksumCalculation: opts.RequestChecksumCalculation,
	})
	if err != nil {
		return nil, err
	}
	b.Close()
	return nb, nil
}

// s3SSE returns the server-side encryption the ssetype parameter of an S3
// bucket URL names, as s3blob reads it.
func s3SSE(v string) (types.ServerSideEncryption, error) {
	if v == "" {
		return "", nil
	}
	for _, t := range types.ServerSideEncryptionAes256.Values() {
		if strings.EqualFold(string(t), v) {
			return t, nil
		}
	}
	return "", fmt.Errorf("ssetype %q: want one of %q", v, types.ServerSideEncryptionAes256.Values())
}
