package parallel_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cachebust/cachebust/internal/parallel"
)

func TestForCallsEvery(t *testing.T) {
	for _, limit := range []int{0, 1, 3, 100} {
		var sum atomic.Int64
		if err := parallel.For(context.Background(), limit, 100, func(_ context.Context, i int) error {
			sum.Add(int64(i))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := sum.Load(); got != 4950 {
			t.Errorf("limit %d: sum of i = %d, want 4950", limit, got)
		}
	}
}

// TestForFirstErrorInOrder fails calls 12 and 13 while 10 and 11 wait for
// the cancelation that follows, and wants the error of call 12 every time:
// the lowest failed call, not a cancelation nor whichever failed first.
func TestForFirstErrorInOrder(t *testing.T) {
	for range 20 {
		err := parallel.For(context.Background(), 4, 100, func(ctx context.Context, i int) error {
			switch {
			case i < 10:
				return nil
			case i < 12:
				<-ctx.Done() // fails once a later call has failed
				return fmt.Errorf("call %d: %w", i, ctx.Err())
			case i < 14:
				return fmt.Errorf("call %d", i)
			}
			return nil
		})
		if err == nil || err.Error() != "call 12" {
			t.Fatalf("For = %v, want call 12, the lowest failed call", err)
		}
	}
}

func TestForContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	err := parallel.For(ctx, 2, 10, func(context.Context, int) error { calls.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
		t.Errorf("For with ctx done = %v after %d calls, want context.Canceled and none", err, calls.Load())
	}
}

// TestForReusesGoroutines wants the calls made on at most limit
// goroutines, not on a new one each: a new goroutine's stack grows again
// for every call.
func TestForReusesGoroutines(t *testing.T) {
	var mu sync.Mutex
	seen := make(map[string]bool)
	err := parallel.For(context.Background(), 3, 200, func(context.Context, int) error {
		buf := make([]byte, 64)
		id, _, _ := strings.Cut(strings.TrimPrefix(string(buf[:runtime.Stack(buf, false)]), "goroutine "), " ")
		mu.Lock()
		seen[id] = true
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) > 3 {
		t.Errorf("200 calls with limit 3 ran on %d goroutines, want at most 3", len(seen))
	}
}
