// Package urlpath holds the URL rules the packages of cachebust share: where
// the scheme of a reference ends, and the URL path the assets of a prefix
// are served under.
package urlpath

import "strings"

// SchemeEnd returns the index of the ":" that ends the scheme of s
// (RFC 3986: a letter, then letters, digits, "+", "-" or "."), or -1.
func SchemeEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return -1
		}
	}
	return -1
}

// HasScheme reports whether s starts with a URL scheme (RFC 3986: a
// letter, then letters, digits, "+", "-" or ".", then ":"), as
// "https:", "data:" and "javascript:" do.
func HasScheme(s string) bool { return SchemeEnd(s) > 0 }

// Prefix returns the URL path the assets of a prefix are served under,
// with a leading and a trailing "/": the prefix itself for a path
// ("static" gives "/static/"), the path of a base URL for one
// ("https://cdn.example.com/assets" and "//cdn.example.com/assets/" give
// "/assets/"). Percent-encoding is kept as written, so the result compares
// with the escaped path of a request.
func Prefix(prefix string) string {
	rest, hasHost := strings.CutPrefix(prefix, "//")
	if i := SchemeEnd(prefix); i > 0 {
		rest, hasHost = strings.CutPrefix(prefix[i+1:], "//")
	}
	if hasHost {
		prefix = "/"
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			prefix = rest[j:]
		}
	}
	if !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix
}
