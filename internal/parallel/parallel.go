// Package parallel runs the iterations of a loop on a bounded number of
// goroutines, with errgroup, and reports the error a loop would have.
package parallel

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// For calls f(ctx, i) for every i below n, in order of i, at most limit
// calls at a time (a limit below 1 means 1). Once a call fails or ctx is
// done, no more calls start and the ctx the calls in flight were given is
// canceled.
//
// It returns the error of the failed call with the lowest i, as a loop
// would have (an error that only reports the cancelation a later call's
// failure caused is not one), so that the same input fails with the same
// error whatever the timing; or else ctx's error.
func For(ctx context.Context, limit, n int, f func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	var (
		next  atomic.Int64 // the next i to call f with
		mu    sync.Mutex
		first = n // the lowest i whose call failed
		err   error
	)
	// A few goroutines that take the next i in turn, rather than one per
	// call: a new goroutine's stack grows again for every call (when a
	// build hashes small files, that was a tenth of its time).
	for range min(max(limit, 1), n) {
		g.Go(func() error {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || gctx.Err() != nil {
					return nil
				}
				ferr := f(gctx, i)
				if ferr == nil {
					continue
				}
				mu.Lock()
				defer mu.Unlock()
				canceled := ctx.Err() == nil && gctx.Err() != nil && errors.Is(ferr, context.Canceled)
				if !canceled && i < first {
					first, err = i, ferr
				}
				return ferr
			}
		})
	}
	if werr := g.Wait(); err == nil && werr != nil {
		err = werr
	}
	if err != nil {
		return err
	}
	return ctx.Err()
}
