// Package urlpath holds the URL rules the packages of cachebust share: where
// the scheme of a reference ends, the URL path the assets of a prefix are
// served under, and how an asset's path is spelled in a URL.
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

// Unreserved reports whether c is an unreserved character of RFC 3986:
// a letter, a digit, "-", ".", "_" or "~".
func Unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// EscapePath returns the path p as every URL of an asset spells it: every
// byte but unreserved characters and "/" percent-encoded, with upper-case
// hex digits, so that a resolver, every template engine and a rewritten
// reference give the same URL. It returns p itself when nothing needs
// escaping.
func EscapePath(p string) string {
	for i := 0; i < len(p); i++ {
		if !inPath(p[i]) {
			return string(AppendEscapedPath(make([]byte, 0, len(p)+16), p))
		}
	}
	return p
}

// AppendEscapedPath appends EscapePath(p) to b.
func AppendEscapedPath(b []byte, p string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(p); i++ {
		if c := p[i]; inPath(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// inPath reports whether EscapePath leaves c as it is.
func inPath(c byte) bool { return Unreserved(c) || c == '/' }
