package handlebars

// Unbind forgets the helpers' resolver, so that each test can Register
// one of its own.
func Unbind() { defaultResolver.Store(nil) }
