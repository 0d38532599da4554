//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The first interrupt asks the command to stop; a second one ends it at
// once, even where the command cannot stop yet: here a build waiting for
// the lock another build holds. The test fails a command that catches
// and ignores every later interrupt too.
func TestSecondInterruptEndsTheProcess(t *testing.T) {
	bin := cliBinary(t)
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.css"), []byte("a{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(src, ".cachebust.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Skipf("no flock: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "build", src)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	// Wait until the build waits for the lock: its signal handler is in
	// place by then.
	waiting := fmt.Sprintf("-> FLOCK  ADVISORY  WRITE %d ", cmd.Process.Pid)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		locks, err := os.ReadFile("/proc/locks")
		if err != nil {
			t.Skipf("no /proc/locks: %v", err)
		}
		if strings.Contains(string(locks), waiting) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the build did not wait for the lock within a minute:\n%s", locks)
		}
	}
	// Interrupt it, then again and again, as a user presses Ctrl-C.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(20 * time.Second)
	cmd.Process.Signal(os.Interrupt)
	for {
		select {
		case err := <-exited:
			if err == nil {
				t.Errorf("the build succeeded, want it interrupted")
			}
			return
		case <-tick.C:
			cmd.Process.Signal(os.Interrupt)
		case <-timeout:
			t.Fatalf("the build has not ended 20 s after interrupts every 100 ms; stderr %q", stderr.String())
		}
	}
}
