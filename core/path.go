package core

// CleanPath returns the canonical form of a logical asset path:
// slash-separated, relative, without "." or ".." elements or repeated
// slashes; a leading "/" is dropped. It fails with ErrInvalidPath for an
// empty path, a path that escapes the root, and a path containing a NUL
// byte or a backslash. A clean path names the same file under every root,
// which is what the build and the server rely on.
func CleanPath(name string) (string, error) { return cleanName(name) }
