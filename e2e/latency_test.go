package e2e_test

import (
	"net"
	"sync"
	"time"
)

// delayListener gives every connection it accepts a fixed delay in each
// direction, as a long network path does: the bytes a peer sends arrive
// oneWay later, and so do the bytes sent back, so a request and its
// response take 2×oneWay more, whatever the protocol (TLS handshakes,
// HTTP/2 frames, 103 responses). Reading and writing do not block each
// other, and data keeps its order.
type delayListener struct {
	net.Listener
	oneWay time.Duration
}

func (l delayListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	d := &delayConn{Conn: c, oneWay: l.oneWay, in: make(chan chunk, 4096), out: make(chan chunk, 4096), closed: make(chan struct{})}
	go d.receive()
	go d.send()
	return d, nil
}

// chunk is data on its way, due at a time.
type chunk struct {
	data  []byte
	due   time.Time
	err   error
	close bool // on the way out: close the connection once due
}

// delayConn is one delayed connection: a goroutine reads from the peer
// and hands each chunk to Read once it is due; Write queues its data for
// a goroutine that writes it once due.
type delayConn struct {
	net.Conn
	oneWay time.Duration

	in      chan chunk
	pending []byte // the rest of the chunk Read returned part of

	out       chan chunk
	closed    chan struct{}
	closeOnce sync.Once
	mu        sync.Mutex
	writeErr  error
}

func (c *delayConn) receive() {
	for {
		buf := make([]byte, 32<<10)
		n, err := c.Conn.Read(buf)
		select {
		case c.in <- chunk{data: buf[:n], due: time.Now().Add(c.oneWay), err: err}:
		case <-c.closed:
			return
		}
		if err != nil {
			return
		}
	}
}

func (c *delayConn) Read(p []byte) (int, error) {
	if len(c.pending) == 0 {
		var ch chunk
		select {
		case ch = <-c.in:
		case <-c.closed:
			return 0, net.ErrClosed
		}
		time.Sleep(time.Until(ch.due))
		if len(ch.data) == 0 {
			return 0, ch.err
		}
		c.pending = ch.data
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *delayConn) send() {
	for {
		select {
		case ch := <-c.out:
			time.Sleep(time.Until(ch.due))
			if ch.close {
				c.shut()
				return
			}
			if _, err := c.Conn.Write(ch.data); err != nil {
				c.mu.Lock()
				c.writeErr = err
				c.mu.Unlock()
				c.shut()
				return
			}
		case <-c.closed:
			return
		}
	}
}

func (c *delayConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	err := c.writeErr
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	select {
	case c.out <- chunk{data: append([]byte(nil), p...), due: time.Now().Add(c.oneWay)}:
		return len(p), nil
	case <-c.closed:
		return 0, net.ErrClosed
	}
}

// Close closes the connection once the data written before has gone
// out, as closing a real connection does.
func (c *delayConn) Close() error {
	select {
	case c.out <- chunk{close: true, due: time.Now().Add(c.oneWay)}:
	default:
		c.shut()
	}
	return nil
}

// shut closes the connection at once.
func (c *delayConn) shut() {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.Conn.Close()
	})
}
