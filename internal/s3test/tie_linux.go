package s3test

import (
	"os/exec"
	"runtime"
	"syscall"
)

// startTied starts cmd so that it is killed when this process exits. The
// kernel sends the signal when the thread that started cmd ends, so cmd is
// started from a goroutine that keeps its thread until cmd exits.
func startTied(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
	}()
	return <-started
}
