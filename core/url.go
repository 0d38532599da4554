package core

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/cachebust/cachebust/internal/urlpath"
)

// ErrUnsafeURL is wrapped by the errors about a prefix or a manifest URL
// that a Resolver will not give out: one that is neither a path nor an
// http, https or protocol-relative URL, or that holds a character a page
// would have to escape.
var ErrUnsafeURL = errors.New("unsafe URL")

// Every URL a Resolver gives out holds only these bytes, and "%" only
// before two hex digits: none of them needs escaping, or ends the value, in
// HTML text, a quoted or unquoted attribute, a JavaScript string, a CSS
// url() or a srcset, so every template engine emits the URL unchanged.
//
// Unreserved characters (RFC 3986), "/" and "%" come from paths; ":", "[",
// "]" from schemes, ports and IPv6 hosts; "?", "=", "#" from queries and
// fragments; "@", "!", "$", "*", "+" and ";" are left as they are in the
// URLs of other hosts. Quotes, "<", ">", "&", "\", "`", "(", ")", ",",
// spaces and control characters are never in a URL a Resolver gives out.
const urlSafe = "-._~/%:[]?=#@!$*+;"

// safeBytes[c] reports whether c may appear in a URL a Resolver gives out.
var safeBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = keep(byte(c)) || strings.IndexByte(urlSafe, byte(c)) >= 0
	}
	return t
}()

// checkSafe returns an error naming the first byte of u that a Resolver
// does not give out, or a "%" not followed by two hex digits.
func checkSafe(u string) error {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == '%':
			if i+2 >= len(u) || !isHexDigit(u[i+1]) || !isHexDigit(u[i+2]) {
				return fmt.Errorf("%w: '%%' not followed by two hex digits", ErrUnsafeURL)
			}
		case !safeBytes[c]:
			return fmt.Errorf("%w: %q is not allowed", ErrUnsafeURL, rune(c))
		}
	}
	return nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isAbsURL reports whether s has a scheme or starts with "//": in a flat
// map, such a value is a URL, not a file.
func isAbsURL(s string) bool {
	return strings.HasPrefix(s, "//") || urlpath.HasScheme(s)
}

// checkURL checks s, an absolute URL of the asset on another host as
// another tool's manifest gives it, and returns it with its scheme in lower
// case. s must be an http or https URL ("https://cdn.example.com/x.css") or
// a protocol-relative one ("//cdn.example.com/x.css"), with a host of
// letters, digits, "-", "_" and dots, or an IPv6 address in brackets, an
// optional port and no user info; the rest may hold a path, a query and a
// fragment of the bytes a Resolver gives out (see urlSafe). Nothing is
// escaped: a value that would need it is refused.
func checkURL(s string) (string, error) {
	scheme, rest, abs, err := splitScheme(s)
	if err != nil {
		return "", err
	}
	if !abs {
		return "", fmt.Errorf("%w: not an http, https or protocol-relative URL", ErrUnsafeURL)
	}
	host, rest := splitHost(rest)
	if err := checkHost(host); err != nil {
		return "", err
	}
	if err := checkSafe(rest); err != nil {
		return "", err
	}
	if scheme == "" {
		return s, nil
	}
	return scheme + "://" + host + rest, nil
}

// cleanPrefix returns p as a Resolver puts it before every asset path: a
// path ("/static/", or a relative one, "static/") or an http, https or
// protocol-relative base URL ("https://cdn.example.com/assets/"), with
// its scheme in lower case and its path percent-encoded as asset paths
// are, a "%" and two hex digits kept as written, and "/" at the end.
//
// It refuses, with an error wrapping ErrUnsafeURL: any other scheme, in any
// case (a relative path whose first element holds a ":" reads as one); a
// host as checkURL refuses it; a query or fragment ("?", "#"); quotes, "<",
// ">", "\" and "`"; a "%" not followed by two hex digits; control
// characters; and whitespace, but for spaces inside the path, which become
// %20.
func cleanPrefix(p string) (string, error) {
	for _, r := range p {
		if unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' {
			return "", fmt.Errorf("%w: control character or whitespace %q", ErrUnsafeURL, r)
		}
	}
	if strings.TrimSpace(p) != p {
		return "", fmt.Errorf("%w: leading or trailing space", ErrUnsafeURL)
	}
	scheme, rest, abs, err := splitScheme(p)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	path := p
	if abs {
		var host string
		host, path = splitHost(rest)
		if err := checkHost(host); err != nil {
			return "", err
		}
		if scheme != "" {
			b.WriteString(scheme + ":")
		}
		b.WriteString("//" + host)
		if path == "" {
			path = "/"
		}
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '%':
			if i+2 >= len(path) || !isHexDigit(path[i+1]) || !isHexDigit(path[i+2]) {
				return "", fmt.Errorf("%w: '%%' not followed by two hex digits", ErrUnsafeURL)
			}
			b.WriteString(path[i : i+3])
			i += 2
		case c == '?' || c == '#':
			return "", fmt.Errorf("%w: a prefix has no query or fragment (%q)", ErrUnsafeURL, rune(c))
		case strings.IndexByte("\"'<>\\`", c) >= 0:
			return "", fmt.Errorf("%w: %q is not allowed", ErrUnsafeURL, rune(c))
		case keep(c):
			b.WriteByte(c)
		default:
			b.WriteString(urlpath.EscapePath(path[i : i+1]))
		}
	}
	if !strings.HasSuffix(b.String(), "/") {
		b.WriteByte('/')
	}
	return b.String(), nil
}

// cleanDevServer returns the base URL of a Vite dev server, u as
// cleanPrefix cleans it, or "" for "". It must be an http or https URL.
func cleanDevServer(u string) (string, error) {
	if u == "" {
		return "", nil
	}
	if scheme, _, abs, err := splitScheme(u); err != nil {
		return "", err
	} else if !abs || scheme == "" {
		return "", fmt.Errorf("%w: not an http or https URL", ErrUnsafeURL)
	}
	return cleanPrefix(u)
}

// splitScheme splits s, when it is absolute, into its scheme in lower case
// ("" for a protocol-relative URL) and what follows "//". It fails for a
// scheme other than http and https, or one not followed by "//".
func splitScheme(s string) (scheme, rest string, abs bool, err error) {
	if after, ok := strings.CutPrefix(s, "//"); ok {
		return "", after, true, nil
	}
	i := urlpath.SchemeEnd(s)
	if i < 0 {
		return "", "", false, nil
	}
	scheme = strings.ToLower(s[:i])
	if scheme != "http" && scheme != "https" {
		return "", "", false, fmt.Errorf("%w: scheme %q (want http, https or a path)", ErrUnsafeURL, s[:i])
	}
	rest, ok := strings.CutPrefix(s[i+1:], "//")
	if !ok {
		return "", "", false, fmt.Errorf("%w: no //host after %q", ErrUnsafeURL, s[:i+1])
	}
	return scheme, rest, true, nil
}

// splitHost splits what follows "//" into the authority and the rest,
// which starts with "/", "?" or "#", or is empty.
func splitHost(s string) (host, rest string) {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// checkHost checks an authority: a host name of dot-separated labels of
// letters, digits, "-" and "_" (with an optional final dot), or an IPv6
// address in brackets, then an optional port of up to 5 digits. User info
// is refused.
func checkHost(h string) error {
	bad := func(why string) error { return fmt.Errorf("%w: host %q: %s", ErrUnsafeURL, h, why) }
	if strings.Contains(h, "@") {
		return bad("user info is not allowed")
	}
	name, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return bad("no closing ]")
		}
		name, port = h[1:end], h[end+1:]
		if name == "" || strings.Trim(name, "0123456789abcdefABCDEF:.") != "" {
			return bad("not an IPv6 address")
		}
	} else {
		if i := strings.LastIndexByte(h, ':'); i >= 0 {
			name, port = h[:i], h[i:]
		}
		labels := strings.Split(strings.TrimSuffix(name, "."), ".")
		for _, l := range labels {
			if l == "" || strings.Trim(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
				return bad("not a host name")
			}
		}
	}
	if port != "" {
		digits, ok := strings.CutPrefix(port, ":")
		if !ok || digits == "" || len(digits) > 5 || strings.Trim(digits, "0123456789") != "" {
			return bad("bad port")
		}
	}
	return nil
}

// keep reports whether urlpath.EscapePath leaves c as it is.
func keep(c byte) bool { return urlpath.Unreserved(c) || c == '/' }
