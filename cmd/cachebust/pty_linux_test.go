package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its two ends.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

// On a terminal the progress line of publish is gone before the summary,
// which starts a line of its own, never appended to it:
// "…4/4 objects uploadedpublished 4 objects…".
func TestPublishClearsProgressBeforeSummary(t *testing.T) {
	f := newCLIFixture(t)
	master, tty := openPTY(t)
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&screen, master) // until tty is closed
		close(read)
	}()
	code := run(context.Background(), []string{"publish", "-plain", f.dir, fileBucketURL(t)}, tty, tty)
	tty.Close()
	<-read
	out := screen.String()
	if code != 0 {
		t.Fatalf("publish: exit %d: %q", code, out)
	}
	i := strings.Index(out, "published 4 objects")
	if i < 0 || !strings.Contains(out, "objects uploaded") {
		t.Fatalf("terminal shows %q, want progress and the summary", out)
	}
	if !strings.HasSuffix(out[:i], "\r\x1b[K") {
		t.Errorf("terminal shows %q: the summary follows the progress line without clearing it", out)
	}
}
