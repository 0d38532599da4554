package publish

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"gocloud.dev/gcerrors"
)

// backoff retries an operation that failed for a transient reason, waiting
// first, then twice as long each time up to max, each wait drawn between
// half and all of it so that workers do not retry in step.
type backoff struct {
	attempts   int
	first, max time.Duration
}

// defaultBackoff makes 5 attempts over about 3 seconds at most.
var defaultBackoff = backoff{attempts: 5, first: 200 * time.Millisecond, max: 2 * time.Second}

// do runs op until it succeeds, fails for good, or has been tried
// b.attempts times, and returns its last error.
func (b backoff) do(ctx context.Context, op func() error) error {
	wait := b.first
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || attempt >= b.attempts || !transient(err) {
			return err
		}
		t := time.NewTimer(wait/2 + rand.N(wait/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, b.max)
	}
}

// permanent marks an error that trying again cannot mend, such as a file
// that does not match its manifest.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// transient reports whether err may go away if the operation is tried
// again: a failure of the service or the network, rather than a missing
// object, a refused permission, a failed precondition, a request the
// service rejects (an HTTP 4xx status other than 408 and 429, where the
// error says) or a canceled context. Errors other than the bucket's have
// the code Unknown and count as transient unless marked permanent.
func transient(err error) bool {
	if errors.As(err, new(permanent)) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) {
		if c := status.HTTPStatusCode(); c >= 400 && c < 500 && c != 408 && c != 429 {
			return false
		}
	}
	switch gcerrors.Code(err) {
	case gcerrors.Unknown, gcerrors.Internal, gcerrors.ResourceExhausted, gcerrors.DeadlineExceeded:
		return true
	}
	return false
}
