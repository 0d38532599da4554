package publish

import (
	"context"
	"strings"
	"testing"

	"gocloud.dev/blob/memblob"
)

// TestReadPendingNamesFirstBadKey checks that a pending record with
// several keys a publish must refuse is refused naming the same one, the
// first in sorted order, however the map comes back.
func TestReadPendingNamesFirstBadKey(t *testing.T) {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	const key = "site/.cachebust-pending.json"
	rec := `{"css/app.css": "x", "../z": "x", "../b": "x", "/abs": "x", "a/../../c": "x", "../y": "x"}`
	if err := b.WriteAll(ctx, key, []byte(rec), nil); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		var s state
		err := s.readPending(ctx, b, key)
		if err == nil || !strings.Contains(err.Error(), `key "../b"`) {
			t.Fatalf("readPending of %s = %v, want an error naming key \"../b\"", rec, err)
		}
		if s.pending != nil {
			t.Fatalf("a refused record was kept: %v", s.pending)
		}
	}
}
