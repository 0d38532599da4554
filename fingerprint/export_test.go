package fingerprint

import "testing"

// NoSync turns off every sync until t ends, for tests that do not check
// durability. It must not be used in parallel tests.
func NoSync(t testing.TB) {
	noSync = true
	t.Cleanup(func() { noSync = false })
}

// KeepNothing makes builds stream every file twice, hashing it and then
// copying it, until t ends, as they do files too big to keep in memory.
// It must not be used in parallel tests.
func KeepNothing(t testing.TB) {
	was := keepMaxFile
	keepMaxFile = -1
	t.Cleanup(func() { keepMaxFile = was })
}
