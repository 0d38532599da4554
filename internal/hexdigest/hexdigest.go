// Package hexdigest checks the shape of the digests cachebust writes into
// file names, URLs and manifests: lowercase hexadecimal.
package hexdigest

// Valid reports whether s is a non-empty string of lowercase hex digits,
// the shape of every digest package strategy makes.
func Valid(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
