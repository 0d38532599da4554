//go:build !unix

package fingerprint

import "os"

// lockDir does nothing where flock is not available: concurrent builds into
// one output directory are not serialized there.
func lockDir(root *os.Root) (unlock func(), err error) { return func() {}, nil }
