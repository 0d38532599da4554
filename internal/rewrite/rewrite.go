package rewrite

import (
	"strings"

	"github.com/cachebust/cachebust/internal/urlpath"
)

// Rewrite returns a copy of src in which the file name of each reference in
// refs is replaced. refs must come from finding references in src (as [Find]
// returns them); a ref that is out of order, overlaps the previous one or does
// not match src is left alone.
//
// newName is called once for each usable ref, in order. It returns the new
// last path segment (the file name, not encoded) or false to keep the
// reference as it is. Only that segment is replaced: the directory part,
// query, fragment and quotes stay as written. The name is percent-encoded
// as a core.Resolver encodes the paths of its URLs (every byte other than
// ASCII letters, digits and -._~, in upper-case hex), so that a reference
// resolves to the very URL the resolver gives for the file: a browser
// keys modules and preloads by the URL as written, and "x+y.js" and
// "x%2By.js" are two of them. That is correct inside CSS strings,
// unquoted url(), JavaScript and JSON string literals of either quote and
// comments alike: no quote, backslash or line break is ever written. A name that equals the
// current one after decoding leaves the reference byte-identical, and so does
// a name that is empty, "." or ".." or contains "/". A nil newName keeps
// every reference.
func Rewrite(src []byte, refs []Ref, newName func(Ref) (string, bool)) []byte {
	out := make([]byte, 0, len(src)+len(refs)*24)
	last := 0
	for _, r := range refs {
		if newName == nil {
			break
		}
		if r.Start < last || r.End < r.Start || r.End > len(src) || string(src[r.Start:r.End]) != r.Raw {
			continue
		}
		name, ok := newName(r)
		if !ok || name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
			continue
		}
		ns, ne, hexBefore := lastSegment(r.Raw, r.Kind)
		if percentDecode(r.Kind.decode(r.Raw[ns:ne])) == name {
			continue
		}
		out = append(out, src[last:r.Start+ns]...)
		if hexBefore && isHex(name[0]) {
			out = append(out, ' ') // ends the escape before the name
		}
		out = urlpath.AppendEscapedPath(out, name) // spelled as core's URLs spell it
		last = r.Start + ne
	}
	return append(out, src[last:]...)
}

// lastSegment returns the range [ns, ne) of the last path segment of raw,
// a reference of kind k as written: after the last "/" and before the
// first "?" or "#", judged on code points decoded as the syntax of k
// decodes them. hexBefore reports that the "/" is a CSS hex escape without
// a terminating space, which a following hex digit would extend.
func lastSegment(raw string, k Kind) (ns, ne int, hexBefore bool) {
	unit := k.unit()
	if unit == nil || strings.IndexByte(raw, '\\') < 0 {
		ne = len(raw)
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			ne = i
		}
		return strings.LastIndexByte(raw[:ne], '/') + 1, ne, false
	}
	css := k.css()
	for i := 0; i < len(raw); {
		r, end := unit(raw, i)
		switch r {
		case '?', '#':
			return ns, i, hexBefore
		case '/':
			ns = end
			hexBefore = css && raw[i] == '\\' && end-i < 7 && isHex(raw[end-1])
		}
		i = end
	}
	return ns, len(raw), hexBefore
}

// css reports whether references of kind k are written in CSS.
func (k Kind) css() bool { return k == URL || k == Import }

// unit returns the function that decodes one code point of a reference of
// kind k as written, or nil if it has no escapes.
func (k Kind) unit() func(s string, i int) (rune, int) {
	switch k {
	case URL, Import:
		return decodeUnit
	case Module, NewURL, MapFile:
		return decodeJSUnit
	}
	return nil
}

// decode resolves the escapes of raw, a reference of kind k as written.
func (k Kind) decode(raw string) string {
	switch k {
	case URL, Import:
		return decodeCSS(raw)
	case Module, NewURL, MapFile:
		return decodeJS(raw)
	}
	return raw
}
