package treeroot

import (
	"io"
	"sync"
)

// maxDirsOpen is how many directories a dirCache keeps open while none of
// its users holds them. A build works through a tree in name order, one
// directory after another, so a few suffice; the bound keeps a tree of
// many thousand directories within the process's open-file limit.
const maxDirsOpen = 256

// A dirCache keeps directories of a tree open, as roots or descriptors,
// for the operations a build does in them. An operation holds its
// directory with get and lets go with the function get returns; only
// directories no operation holds are closed to make room.
type dirCache[T io.Closer] struct {
	open func(dir string) (T, error)

	mu   sync.Mutex
	dirs map[string]*openDir[T]
}

// openDir is a directory a dirCache holds open, and how many operations
// hold it.
type openDir[T io.Closer] struct {
	v    T
	refs int
}

func newDirCache[T io.Closer](open func(dir string) (T, error)) *dirCache[T] {
	return &dirCache[T]{open: open, dirs: make(map[string]*openDir[T])}
}

// get returns the directory dir, opened, and the function that lets go of
// it, or false if it cannot be opened.
func (c *dirCache[T]) get(dir string) (T, func(), bool) {
	c.mu.Lock()
	d, ok := c.dirs[dir]
	if ok {
		d.refs++
	}
	c.mu.Unlock()
	if !ok {
		v, err := c.open(dir)
		if err != nil {
			var zero T
			return zero, nil, false
		}
		c.mu.Lock()
		if d, ok = c.dirs[dir]; ok {
			// Another operation opened it meanwhile.
			v.Close()
		} else {
			if len(c.dirs) >= maxDirsOpen {
				c.closeUnused()
			}
			d = &openDir[T]{v: v}
			c.dirs[dir] = d
		}
		d.refs++
		c.mu.Unlock()
	}
	return d.v, func() { c.release(d) }, true
}

func (c *dirCache[T]) release(d *openDir[T]) {
	c.mu.Lock()
	d.refs--
	c.mu.Unlock()
}

// closeUnused closes the directories no operation holds. c.mu is held.
func (c *dirCache[T]) closeUnused() {
	for dir, d := range c.dirs {
		if d.refs == 0 {
			d.v.Close()
			delete(c.dirs, dir)
		}
	}
}

// close closes every directory; no operation may hold one.
func (c *dirCache[T]) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeUnused()
}
