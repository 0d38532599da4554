//go:build !unix

package build

// lockDir does nothing where flock is not available: concurrent builds into
// one output directory are not serialized there.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }

// syncDir does nothing where directories cannot be synced.
func syncDir(dir string) error { return nil }
