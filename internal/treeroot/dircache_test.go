package treeroot

import (
	"fmt"
	"sync"
	"testing"
)

// closer counts the directories a dirCache has open.
type closer struct {
	open *int
	mu   *sync.Mutex
}

func (c closer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	*c.open--
	return nil
}

// TestDirCache checks that a dirCache keeps at most maxDirsOpen
// directories open that no operation holds, never closes a held one, and
// closes all at the end.
func TestDirCache(t *testing.T) {
	var mu sync.Mutex
	open, opens := 0, 0
	c := newDirCache(func(dir string) (closer, error) {
		mu.Lock()
		defer mu.Unlock()
		open++
		opens++
		return closer{&open, &mu}, nil
	})
	_, release, ok := c.get("held")
	if !ok {
		t.Fatal("get failed")
	}
	for i := range 10 * maxDirsOpen {
		_, done, ok := c.get(fmt.Sprint("d", i%(3*maxDirsOpen)))
		if !ok {
			t.Fatal("get failed")
		}
		done()
		if open > maxDirsOpen+1 {
			t.Fatalf("%d directories open after %d gets, want at most %d", open, i+1, maxDirsOpen+1)
		}
	}
	before := opens
	_, done, _ := c.get("held")
	done()
	if opens != before {
		t.Error("a held directory was closed and opened again")
	}
	release()
	c.close()
	if open != 0 {
		t.Errorf("%d directories open after close", open)
	}
	// The same directory got in a row is opened once.
	opens = 0
	for range 100 {
		_, done, _ := c.get("same")
		done()
	}
	if opens != 1 {
		t.Errorf("100 gets of one directory opened it %d times", opens)
	}
}
