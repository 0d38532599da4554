package rewrite

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/cachebust/cachebust/internal/urlpath"
)

// ErrOutsideRoot is wrapped by the error [Resolve] returns for a relative
// reference that climbs above the asset root.
var ErrOutsideRoot = errors.New("reference leaves the asset root")

// Resolve resolves the reference ref (a [Ref.URL]) found in the file from, a
// slash-separated path relative to the asset root such as "css/app.css".
// prefix is the URL path the asset root is served under, such as "/static/".
//
// It returns the target's path relative to the asset root and the suffix
// (query and fragment, such as "?#iefix") that follows the path in ref.
// Percent-encoding in the path is decoded.
//
// ok is false, with a nil error, when ref does not name a local asset: it is
// empty, has a scheme ("https:", "data:", ...), is protocol-relative
// ("//host/x"), has no path ("#icon", "?v=1"), names a directory, or is
// root-relative but outside prefix. The error is non-nil when ref looks
// local but cannot be resolved, for example when it leaves the asset root.
func Resolve(from, ref, prefix string) (target, suffix string, ok bool, err error) {
	p := ref
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, suffix = p[:i], p[i:]
	}
	if p == "" || urlpath.HasScheme(p) || isProtocolRelative(p) {
		return "", "", false, nil
	}
	if strings.Contains(p, "%2f") || strings.Contains(p, "%2F") {
		return "", "", false, fmt.Errorf("rewrite: %q: encoded slash in path", ref)
	}
	p = percentDecode(p)
	if base := p[strings.LastIndexByte(p, '/')+1:]; base == "" || base == "." || base == ".." {
		return "", "", false, nil // a directory
	}
	if p[0] == '/' {
		root := urlpath.Prefix(prefix)
		p = path.Clean(p)
		if !strings.HasPrefix(p, root) || len(p) == len(root) {
			return "", "", false, nil
		}
		return p[len(root):], suffix, true, nil
	}
	target = path.Join(path.Dir(from), p)
	if target == ".." || strings.HasPrefix(target, "../") || strings.HasPrefix(target, "/") {
		return "", "", false, fmt.Errorf("rewrite: %q from %q: %w", ref, from, ErrOutsideRoot)
	}
	return target, suffix, true, nil
}

// Bare reports whether r is a bare module specifier, such as "lit" or
// "@lit/reactive-element/css-tag.js": a [Module] reference that starts
// with none of "/", "./" and "../" and has no scheme. A browser resolves
// it only through an import map, so it names no file by itself.
func (r Ref) Bare() bool {
	u := r.URL
	return r.Kind == Module && !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "./") &&
		!strings.HasPrefix(u, "../") && !urlpath.HasScheme(u)
}

// Resolve resolves r, found in the file from, as the package-level
// [Resolve] resolves r.URL, except that a bare module specifier (see
// [Ref.Bare]) does not name a local asset: ok is false, with a nil error.
func (r Ref) Resolve(from, prefix string) (target, suffix string, ok bool, err error) {
	if r.Bare() {
		return "", "", false, nil
	}
	return Resolve(from, r.URL, prefix)
}

// isProtocolRelative reports whether p starts with two slashes; browsers
// treat a backslash like a slash there.
func isProtocolRelative(p string) bool {
	return len(p) >= 2 && (p[0] == '/' || p[0] == '\\') && (p[1] == '/' || p[1] == '\\')
}

// percentDecode decodes %XX sequences, leaving a "%" that does not start
// one as it is, like browsers do.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
