package publish

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
	"gocloud.dev/gcerrors"
)

func TestBackoffRetriesOnlyTransientErrors(t *testing.T) {
	flaky := errors.New("connection reset by peer")
	cases := []struct {
		name      string
		errs      []error // what the operation returns, attempt by attempt
		wantCalls int
		wantErr   error
	}{
		{"succeeds at once", []error{nil}, 1, nil},
		{"network error then success", []error{flaky, flaky, nil}, 3, nil},
		{"gives up after the last attempt", []error{flaky, flaky, flaky, flaky}, 3, flaky},
		{"permanent error stops", []error{permanent{flaky}, nil}, 1, flaky},
		{"wrapped permanent error stops", []error{fmt.Errorf("upload x: %w", permanent{flaky}), nil}, 1, flaky},
		{"canceled stops", []error{context.Canceled, nil}, 1, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			err := backoff{attempts: 3, first: time.Microsecond, max: time.Millisecond}.do(context.Background(), func() error {
				calls++
				return c.errs[calls-1]
			})
			if calls != c.wantCalls || !errors.Is(err, c.wantErr) || (err == nil) != (c.wantErr == nil) {
				t.Errorf("%d calls, error %v; want %d calls, error %v", calls, err, c.wantCalls, c.wantErr)
			}
		})
	}
}

func TestBackoffStopsWaitingWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := backoff{attempts: 5, first: time.Hour, max: time.Hour}.do(ctx, func() error {
		calls++
		cancel()
		return errors.New("unavailable")
	})
	if calls != 1 || err == nil {
		t.Errorf("%d calls, error %v; want 1 call and its error", calls, err)
	}
}

func TestTransient(t *testing.T) {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	_, notFound := b.ReadAll(ctx, "missing")
	b.WriteAll(ctx, "taken", []byte("x"), nil)
	taken := b.WriteAll(ctx, "taken", []byte("x"), &blob.WriterOptions{IfNotExist: true})
	if gcerrors.Code(notFound) != gcerrors.NotFound || gcerrors.Code(taken) != gcerrors.FailedPrecondition {
		t.Fatalf("memblob errors: %v, %v", notFound, taken)
	}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{errors.New("connection refused"), true},
		{permanent{errors.New("bytes do not match")}, false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{notFound, false},
		{taken, false},
		{fmt.Errorf("get: %w", httpError(400)), false},
		{fmt.Errorf("get: %w", httpError(429)), true},
		{fmt.Errorf("get: %w", httpError(503)), true},
	} {
		if got := transient(c.err); got != c.want {
			t.Errorf("transient(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// httpError is an error that carries an HTTP status, as the S3 client's do.
type httpError int

func (e httpError) Error() string       { return fmt.Sprintf("status %d", int(e)) }
func (e httpError) HTTPStatusCode() int { return int(e) }
