package fingerprint

import (
	"sync/atomic"
	"testing"
)

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

// TraceSyncs calls f with every sync builds do until t ends, before it is
// done: "outputs" with the names of the files made durable at once, or
// "file" with the name of a file or directory synced on its own. It must
// not be used in parallel tests.
func TraceSyncs(t testing.TB, f func(kind string, names []string)) {
	traceSync = f
	t.Cleanup(func() { traceSync = nil })
}

// CountFinds counts the files whose references builds look for until t
// ends, and returns a function that gives the count so far. It must not
// be used in parallel tests.
func CountFinds(t testing.TB) func() int64 {
	var n atomic.Int64
	traceFind = func(string) { n.Add(1) }
	t.Cleanup(func() { traceFind = nil })
	return n.Load
}
