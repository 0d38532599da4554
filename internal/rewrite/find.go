package rewrite

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// Kind says in which syntax a reference was found.
type Kind uint8

// The kinds of reference.
const (
	// URL is a CSS url() value or a string inside image-set().
	URL Kind = iota + 1
	// Import is the URL of a CSS @import rule, quoted or in url().
	Import
	// SourceMap is the URL of a sourceMappingURL comment in CSS or JavaScript.
	SourceMap
	// Module is a JavaScript module specifier: of an import or export
	// declaration, or of import() with a string literal, which
	// Ref.Dynamic tells apart.
	Module
	// NewURL is the string of new URL("...", import.meta.url) in JavaScript.
	NewURL
	// MapFile is the "file" of a source map: the name of the generated
	// file the map belongs to.
	MapFile
)

// String returns the name of the kind.
func (k Kind) String() string {
	switch k {
	case URL:
		return "url"
	case Import:
		return "import"
	case SourceMap:
		return "sourcemap"
	case Module:
		return "module"
	case NewURL:
		return "newurl"
	case MapFile:
		return "mapfile"
	}
	return "unknown"
}

// Ref is one asset reference found in a file.
type Ref struct {
	// Start and End are the byte offsets in the source of the reference
	// text itself, without quotes and without "url(" and ")".
	Start, End int
	// Raw is the reference as written: src[Start:End].
	Raw string
	// URL is the reference after decoding the escapes of its syntax: CSS
	// escapes in stylesheets, string escapes in scripts and source maps.
	// It equals Raw for sourceMappingURL comments and for references
	// without escapes.
	URL string
	// Line is the 1-based line of Start. Lines end at \n, \r\n or a lone \r.
	Line int
	// Kind is the syntax the reference was found in.
	Kind Kind
	// Quote is '"' or '\'' for a reference written as a string, 0 otherwise.
	Quote byte
	// Dynamic reports a Module reference of import("..."), which loads the
	// module when the code runs rather than before it: not a static import
	// of the module graph.
	Dynamic bool
}

// Find returns the references in src, choosing the syntax by the extension
// of name, in any case: .css is CSS ([FindCSS]), .js, .mjs and .cjs are
// JavaScript ([FindJS]) and .map is a source map ([FindSourceMap]). For any
// other extension it returns nil.
func Find(name string, src []byte) []Ref {
	if find := finder(name); find != nil {
		return find(src)
	}
	return nil
}

// Scans reports whether [Find] reads files named like name for references.
// It is the one place that decides which files can have references.
func Scans(name string) bool {
	return finder(name) != nil
}

func finder(name string) func([]byte) []Ref {
	switch strings.ToLower(path.Ext(name)) {
	case ".css":
		return FindCSS
	case ".js", ".mjs", ".cjs":
		return FindJS
	case ".map":
		return FindSourceMap
	}
	return nil
}

// FindCSS returns the references in a CSS source in the order they appear:
// url() values, the strings directly inside image-set() and
// -webkit-image-set(), @import URLs and /*# sourceMappingURL=... */ comments.
// Comments, other strings, escaped identifiers and bad url tokens are skipped.
// It never fails: malformed CSS is tokenized as a browser would.
func FindCSS(src []byte) []Ref {
	s := cssScanner{lines: lineCounter{src: src, line: 1}}
	s.scan(src)
	return s.refs
}

// block kinds on the scanner's stack.
const (
	blockParen    = '('
	blockBracket  = '['
	blockBrace    = '{'
	blockImageSet = 'i'
)

type cssScanner struct {
	refs  []Ref
	stack []byte // open blocks, innermost last
	lines lineCounter
}

func (s *cssScanner) scan(src []byte) {
	n := len(src)
	expectImport := false // the previous significant token was @import
	for i := 0; i < n; {
		c := src[i]
		if isSpace(c) {
			i++
			continue
		}
		if c == '/' && i+1 < n && src[i+1] == '*' {
			i = s.comment(src, i)
			continue
		}
		imp := expectImport
		expectImport = false
		switch {
		case c == '"' || c == '\'':
			end, cs, ce, ok := scanString(src, i)
			if ok && (imp || s.top() == blockImageSet) {
				kind := URL
				if imp {
					kind = Import
				}
				s.add(src, cs, ce, kind, c)
			}
			i = end
		case c == '@' || c == '#':
			i++
			if i < n && startsName(src, i) {
				end := scanName(src, i)
				expectImport = c == '@' && nameIs(src[i:end], "import")
				i = end
			}
		case startsName(src, i):
			end := scanName(src, i)
			if end < n && src[end] == '(' {
				i = s.function(src, i, end, imp)
			} else {
				i = end
			}
		case c == '(' || c == '[' || c == '{':
			s.stack = append(s.stack, c)
			i++
		case c == ')':
			if t := s.top(); t == blockParen || t == blockImageSet {
				s.stack = s.stack[:len(s.stack)-1]
			}
			i++
		case c == ']':
			if s.top() == blockBracket {
				s.stack = s.stack[:len(s.stack)-1]
			}
			i++
		case c == '}':
			if k := bytes.LastIndexByte(s.stack, blockBrace); k >= 0 {
				s.stack = s.stack[:k]
			}
			i++
		default:
			i++
		}
	}
}

func (s *cssScanner) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1]
}

// function handles a name at src[start:end] followed by "(" at src[end].
// It returns the offset after the token(s) it consumed.
func (s *cssScanner) function(src []byte, start, end int, imp bool) int {
	name := src[start:end]
	i := end + 1
	if !nameIs(name, "url") {
		kind := byte(blockParen)
		if nameIs(name, "image-set") || nameIs(name, "-webkit-image-set") {
			kind = blockImageSet
		}
		s.stack = append(s.stack, kind)
		return i
	}
	kind := URL
	if imp {
		kind = Import
	}
	j := i
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	if j < len(src) && (src[j] == '"' || src[j] == '\'') {
		// A function token url( whose argument is a string.
		s.stack = append(s.stack, blockParen)
		end, cs, ce, ok := scanString(src, j)
		if ok {
			s.add(src, cs, ce, kind, src[j])
		}
		return end
	}
	end, cs, ce, ok := scanURL(src, j)
	if ok {
		s.add(src, cs, ce, kind, 0)
	}
	return end
}

// comment skips the comment starting at src[i] ("/*") and records it if it
// is a sourceMappingURL comment. It returns the offset after the comment.
func (s *cssScanner) comment(src []byte, i int) int {
	body := i + 2
	end, next := len(src), len(src)
	if k := bytes.Index(src[body:], []byte("*/")); k >= 0 {
		end, next = body+k, body+k+2
	}
	if vs, ve, ok := sourceMapValue(src, body, end); ok {
		s.add(src, vs, ve, SourceMap, 0)
	}
	return next
}

func (s *cssScanner) add(src []byte, start, end int, kind Kind, quote byte) {
	raw := string(src[start:end])
	u := raw
	if kind != SourceMap {
		u = decodeCSS(raw)
	}
	s.refs = append(s.refs, Ref{
		Start: start, End: end,
		Raw: raw, URL: u,
		Line: s.lines.at(start),
		Kind: kind, Quote: quote,
	})
}

// sourceMapValue reports whether the comment body src[start:end] is
// "# sourceMappingURL=VALUE" or "@ sourceMappingURL=VALUE" and returns the
// range of VALUE, which ends at the first white space.
func sourceMapValue(src []byte, start, end int) (vs, ve int, ok bool) {
	const key = "sourceMappingURL="
	i := start
	if i >= end || (src[i] != '#' && src[i] != '@') {
		return 0, 0, false
	}
	i++
	if i >= end || (src[i] != ' ' && src[i] != '\t') {
		return 0, 0, false
	}
	for i < end && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if end-i < len(key) || string(src[i:i+len(key)]) != key {
		return 0, 0, false
	}
	vs = i + len(key)
	ve = vs
	for ve < end && !isSpace(src[ve]) {
		ve++
	}
	return vs, ve, true
}

// lineCounter turns increasing byte offsets into 1-based line numbers.
type lineCounter struct {
	src  []byte
	off  int // offset of the last lookup
	line int // line at off
}

func (l *lineCounter) at(off int) int {
	seg := l.src[l.off:off]
	l.line += bytes.Count(seg, []byte{'\n'})
	if bytes.IndexByte(seg, '\r') >= 0 {
		for k, c := range seg {
			// A lone \r ends a line; \r\n was counted at its \n.
			if c == '\r' && (l.off+k+1 >= len(l.src) || l.src[l.off+k+1] != '\n') {
				l.line++
			}
		}
	}
	l.off = off
	return l.line
}

// Tokenizer helpers, following CSS Syntax Level 3, section 4.

// Byte classes, looked up in the class table.
const (
	cName    = 1 << iota // a name code point, or part of one
	cSpace               // white space
	cNewline             // a newline
	cHex                 // a hex digit
	cURLStop             // ends a plain run inside a url token
)

var class = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			b == '-' || b == '_' || b >= 0x80 || b == 0 {
			t[c] |= cName
		}
		switch b {
		case '\n', '\r', '\f':
			t[c] |= cNewline | cSpace
		case ' ', '\t':
			t[c] |= cSpace
		}
		if '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' {
			t[c] |= cHex
		}
		if t[c]&cSpace != 0 || b == ')' || b == '"' || b == '\'' || b == '(' || b == '\\' ||
			b >= 0x01 && b <= 0x08 || b == 0x0b || b >= 0x0e && b <= 0x1f || b == 0x7f {
			t[c] |= cURLStop
		}
	}
	return t
}()

func isSpace(c byte) bool { return class[c]&cSpace != 0 }

func isNewline(c byte) bool { return class[c]&cNewline != 0 }

func isHex(c byte) bool { return class[c]&cHex != 0 }

// isNameByte reports whether c is (part of) a name code point. NUL counts
// because preprocessing turns it into U+FFFD.
func isNameByte(c byte) bool { return class[c]&cName != 0 }

// validEscape reports whether src[i] starts a valid escape.
func validEscape(src []byte, i int) bool {
	return src[i] == '\\' && (i+1 >= len(src) || !isNewline(src[i+1]))
}

// startsName reports whether a run of name code points or escapes starts at
// src[i]. Runs cover identifiers, the names of hash and at-keyword tokens and
// numbers with their units: what matters is that "url" only counts when it
// is a whole identifier, so "1url(" and "#url(" are not url tokens.
func startsName(src []byte, i int) bool {
	return isNameByte(src[i]) || validEscape(src, i)
}

// scanName returns the end of the run of name code points and escapes
// starting at src[i].
func scanName(src []byte, i int) int {
	for i < len(src) {
		for i < len(src) && class[src[i]]&cName != 0 {
			i++
		}
		switch {
		case i >= len(src):
			return i
		case validEscape(src, i):
			i = escapeEnd(src, i)
		default:
			return i
		}
	}
	return i
}

// escapeEnd returns the end of the valid escape starting at src[i] ("\").
func escapeEnd(src []byte, i int) int {
	i++
	if i >= len(src) {
		return i
	}
	if !isHex(src[i]) {
		_, size := utf8.DecodeRune(src[i:])
		return i + size
	}
	for k := 0; k < 6 && i < len(src) && isHex(src[i]); k++ {
		i++
	}
	if i < len(src) && isSpace(src[i]) {
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			i++
		}
		i++
	}
	return i
}

// nameIs reports whether the name run b decodes to an ASCII
// case-insensitive match for want, which is lower case.
func nameIs(b []byte, want string) bool {
	if bytes.IndexByte(b, '\\') < 0 {
		if len(b) != len(want) {
			return false
		}
		for k := range len(b) {
			if lower(b[k]) != want[k] {
				return false
			}
		}
		return true
	}
	s, k := string(b), 0 // escaped names are rare
	for i := 0; i < len(s); {
		r, end := decodeUnit(s, i)
		if k >= len(want) || r >= utf8.RuneSelf || lower(byte(r)) != want[k] {
			return false
		}
		k++
		i = end
	}
	return k == len(want)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scanString scans the string token whose quote is at src[i]. It returns the
// offset after the token and the range of its contents. ok is false for a
// bad string (one cut by a newline), whose end is the newline.
func scanString(src []byte, i int) (end, cs, ce int, ok bool) {
	q := src[i]
	cs = i + 1
	for j := cs; j < len(src); {
		for j < len(src) && src[j] != q && src[j] != '\\' && class[src[j]]&cNewline == 0 {
			j++
		}
		if j >= len(src) {
			break
		}
		switch c := src[j]; {
		case c == q:
			return j + 1, cs, j, true
		case isNewline(c):
			return j, 0, 0, false
		case c == '\\':
			j++
			if j < len(src) && isNewline(src[j]) {
				if src[j] == '\r' && j+1 < len(src) && src[j+1] == '\n' {
					j++
				}
				j++
			} else if j < len(src) {
				j = escapeEnd(src, j-1)
			}
		default:
			j++
		}
	}
	return len(src), cs, len(src), true // unterminated at EOF: still a string
}

// scanURL scans the rest of a url token; src[i] is the first code point after
// "url(" and its white space. It returns the offset after the token and the
// range of its value. ok is false for a bad url token.
func scanURL(src []byte, i int) (end, vs, ve int, ok bool) {
	vs = i
	for j := i; j < len(src); {
		for j < len(src) && class[src[j]]&cURLStop == 0 {
			j++
		}
		if j >= len(src) {
			break
		}
		c := src[j]
		switch {
		case c == ')':
			return j + 1, vs, j, true
		case isSpace(c):
			ve := j
			for j < len(src) && isSpace(src[j]) {
				j++
			}
			if j >= len(src) {
				return j, vs, ve, true
			}
			if src[j] == ')' {
				return j + 1, vs, ve, true
			}
			return badURLEnd(src, j), 0, 0, false
		case c == '"' || c == '\'' || c == '(' || isNonPrintable(c):
			return badURLEnd(src, j), 0, 0, false
		case c == '\\':
			if !validEscape(src, j) {
				return badURLEnd(src, j), 0, 0, false
			}
			j = escapeEnd(src, j)
		default:
			j++
		}
	}
	return len(src), vs, len(src), true // unterminated at EOF: still a url
}

// badURLEnd consumes the remnants of a bad url from src[i].
func badURLEnd(src []byte, i int) int {
	for i < len(src) {
		switch {
		case src[i] == ')':
			return i + 1
		case validEscape(src, i):
			i = escapeEnd(src, i)
		default:
			i++
		}
	}
	return i
}

func isNonPrintable(c byte) bool {
	return c >= 0x01 && c <= 0x08 || c == 0x0b || c >= 0x0e && c <= 0x1f || c == 0x7f
}

// decodeUnit decodes one code point of a string or url value at b[i],
// resolving an escape. It returns utf8.RuneError for invalid code points and
// -1 for an escaped newline, which contributes nothing.
func decodeUnit(b string, i int) (r rune, end int) {
	c := b[i]
	switch {
	case c == 0:
		return utf8.RuneError, i + 1
	case c < utf8.RuneSelf && c != '\\':
		return rune(c), i + 1
	case c >= utf8.RuneSelf:
		r, size := utf8.DecodeRuneInString(b[i:])
		return r, i + size
	}
	// An escape.
	j := i + 1
	if j >= len(b) {
		return utf8.RuneError, j
	}
	if isNewline(b[j]) { // line continuation inside a string
		if b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n' {
			j++
		}
		return -1, j + 1
	}
	if !isHex(b[j]) {
		if b[j] == 0 {
			return utf8.RuneError, j + 1
		}
		r, size := utf8.DecodeRuneInString(b[j:])
		return r, j + size
	}
	var v rune
	for k := 0; k < 6 && j < len(b) && isHex(b[j]); k++ {
		v = v<<4 | rune(hexVal(b[j]))
		j++
	}
	if j < len(b) && isSpace(b[j]) {
		if b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n' {
			j++
		}
		j++
	}
	if v == 0 || v > utf8.MaxRune || 0xd800 <= v && v <= 0xdfff {
		v = utf8.RuneError
	}
	return v, j
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// decodeCSS resolves the escapes of a string or url value and replaces NUL
// with U+FFFD. Other bytes, even invalid UTF-8, are kept as they are.
func decodeCSS(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 && strings.IndexByte(raw, 0) < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		if c := raw[i]; c != '\\' && c != 0 {
			b.WriteByte(c) // as the fast path does, even in invalid UTF-8
			i++
			continue
		}
		r, end := decodeUnit(raw, i)
		if r >= 0 {
			b.WriteRune(r)
		}
		i = end
	}
	return b.String()
}
