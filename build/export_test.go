package build

import "testing"

// NoSync turns off every sync until t ends, for tests that do not check
// durability. It must not be used in parallel tests.
func NoSync(t testing.TB) {
	noSync = true
	t.Cleanup(func() { noSync = false })
}
