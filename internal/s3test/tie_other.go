//go:build !linux

package s3test

import (
	"errors"
	"os/exec"
)

// startTied refuses: only on Linux can a child be tied to this process's
// life. Start the server yourself and set CACHEBUST_S3_ENDPOINT.
func startTied(cmd *exec.Cmd) error {
	return errors.New("starting versitygw from the tests needs Linux; start it yourself and set CACHEBUST_S3_ENDPOINT")
}
