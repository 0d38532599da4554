package rewrite

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FindJS returns the references in a JavaScript source, in the order they
// appear:
//
//   - the module specifier of every import and export declaration that has
//     one: import "./a.js", import x from "./a.js", export * from "./a.js",
//     export { x } from "./a.js";
//   - the specifier of import("./a.js"), when it is a single string literal,
//     with or without a second argument, with Ref.Dynamic set;
//   - the string of new URL("./a.png", import.meta.url);
//   - the URL of every sourceMappingURL comment ("//# sourceMappingURL=",
//     the legacy "//@" and "/*# ... */"), wherever a comment may stand.
//
// It runs a tokenizer that knows string literals, template literals with
// nested substitutions, comments and regular-expression literals, so
// nothing inside them is reported. Specifiers are reported whatever they
// name, bare ones ("lit") and full URLs included; [Ref.Resolve] tells
// those apart. A specifier that is computed, such as import(name) or a
// template literal, is not reported ([ComputedImports] finds those).
//
// Whether a "/" divides or starts a regular expression depends on the
// grammar; FindJS decides by the previous token, as most JavaScript
// tokenizers do without a parser: after a name, a literal, ")" or "]" it
// divides, after a punctuator or an operator keyword (return, typeof,
// case, ...) it starts a regular expression. Brackets are tracked so that
// the ")" of if (...), while (...) and for (...) and the "}" of a block
// are followed by a regular expression, and the "}" of an object literal
// by a division. The guesses left are rare in real code and listed in
// docs/REWRITING.md; a wrong guess can hide or invent a reference in that
// statement but never changes a byte outside a reference. FindJS never
// fails.
func FindJS(src []byte) []Ref {
	s := jsScanner{src: src}
	s.scan()
	return s.refs
}

// ComputedImports returns the byte offsets, in order, of the dynamic
// imports and the new URL(..., import.meta.url) expressions in a JavaScript
// source whose first argument is not a single string literal, such as
// import(name) or import(`./locale/${lang}.js`). [FindJS] does not report
// them and a build leaves them as written; ComputedImports lets a caller
// say so. Each offset is that of the import or new keyword.
func ComputedImports(src []byte) []int {
	s := jsScanner{src: src}
	s.scan()
	return s.computed
}

// Token kinds of the JavaScript scanner.
type jsKind uint8

const (
	jsNone         jsKind = iota // before the first token
	jsName                       // an identifier, keyword or #private name
	jsPunct                      // a punctuator
	jsString                     // a complete string literal
	jsBadString                  // a string literal cut by a line end or the end
	jsNumber                     // a numeric literal
	jsRegExp                     // a regular-expression literal
	jsTemplate                   // a template literal, or its part after the last substitution
	jsTemplateOpen               // a template literal, or a part of one, up to a "${"
)

type jsToken struct {
	kind       jsKind
	prop       bool // a name after "." or "?.": a property, never a keyword
	start, end int
}

// Open brackets on the scanner's stack.
const (
	openParen   = '(' // ordinary parentheses
	openControl = 'c' // the condition of if, while, for or with
	openImport  = 'i' // the arguments of import(
	openNewURL  = 'u' // the arguments of new URL(
	openBracket = '['
	openBlock   = 'b' // a block or a function or class body
	openObject  = 'o' // an object literal or pattern
	openSubst   = '$' // a template substitution
)

type opening struct {
	kind byte
	off  int // for import( and new URL(: the offset of the keyword
}

// ringSize is how many tokens the scanner remembers, a power of two; the
// longest pattern, new URL("x", import.meta.url,), looks back 10.
const ringSize = 16

type jsScanner struct {
	src      []byte
	refs     []Ref
	computed []int
	stack    []opening
	braces   int               // blocks, objects and substitutions on the stack
	ring     [ringSize]jsToken // the last tokens, without comments
	n        int               // tokens seen
	regexOK  bool              // a "/" now starts a regular expression
	dot      bool              // the last token is "." or "?.": a property name follows
}

func (s *jsScanner) scan() {
	i := 0
	if bytes.HasPrefix(s.src, []byte("#!")) {
		i = lineEnd(s.src, 2) // a hashbang comment
	}
	s.regexOK = true
	for i < len(s.src) {
		i = s.next(i)
	}
	slices.SortFunc(s.refs, func(a, b Ref) int { return cmp.Compare(a.Start, b.Start) })
	slices.Sort(s.computed)
	lines := lineCounter{src: s.src, line: 1}
	for k := range s.refs {
		s.refs[k].Line = lines.at(s.refs[k].Start)
	}
}

// next scans the white space, comment or token at src[i] and returns the
// offset after it.
func (s *jsScanner) next(i int) int {
	src := s.src
	switch c := src[i]; {
	case jsClass[c]&jsNameStart != 0:
		return s.push(jsName, i, nameEnd(src, i))
	case jsClass[c]&jsSpace != 0:
		return i + 1
	case jsClass[c]&jsOperator != 0:
		return s.punct(i)
	case c == '/':
		return s.slash(i)
	case c == '"' || c == '\'':
		end, ok := stringEnd(src, i)
		if !ok {
			return s.push(jsBadString, i, end)
		}
		return s.push(jsString, i, end)
	case c == '`':
		return s.template(i, i+1)
	case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
		return s.push(jsNumber, i, numberEnd(src, i))
	case c >= utf8.RuneSelf:
		if r, size := utf8.DecodeRune(src[i:]); isJSSpaceRune(r) {
			return i + size
		}
		return s.push(jsName, i, nameEnd(src, i))
	case c == '#':
		return s.push(jsName, i, nameEnd(src, i+1)) // a #private name
	case c == '\\':
		return s.push(jsName, i, nameEnd(src, i))
	}
	return s.punct(i)
}

// slash scans the comment, regular expression or punctuator that starts
// with the "/" at src[i] and returns the offset after it.
func (s *jsScanner) slash(i int) int {
	src := s.src
	switch {
	case i+1 < len(src) && src[i+1] == '/':
		end := lineEnd(src, i+2)
		s.sourceMap(i+2, end)
		return end
	case i+1 < len(src) && src[i+1] == '*':
		return s.blockComment(i)
	case s.regexOK:
		return s.push(jsRegExp, i, regExpEnd(src, i))
	}
	return s.pushPunct(i, i+1, true)
}

// tok returns the k-th latest token, 0 being the last one.
func (s *jsScanner) tok(k int) jsToken {
	if k >= s.n || k >= ringSize {
		return jsToken{}
	}
	return s.ring[(s.n-1-k)&(ringSize-1)]
}

// is reports whether the k-th latest token is the punctuator or keyword
// text; a property name is no keyword.
func (s *jsScanner) is(k int, text string) bool {
	t := s.tok(k)
	return (t.kind == jsPunct || t.kind == jsName && !t.prop) && string(s.src[t.start:t.end]) == text
}

// isProp reports whether the k-th latest token is the property name text.
func (s *jsScanner) isProp(k int, text string) bool {
	t := s.tok(k)
	return t.kind == jsName && t.prop && string(s.src[t.start:t.end]) == text
}

// push records the token src[start:end] of the given kind, which is not a
// punctuator, and returns end.
func (s *jsScanner) push(kind jsKind, start, end int) int {
	t := jsToken{kind: kind, start: start, end: end}
	switch kind {
	case jsName:
		t.prop = s.dot
	case jsString:
		s.staticImport(t)
	}
	s.add(t)
	s.regexOK = kind == jsTemplateOpen || kind == jsName && !t.prop && regexKeyword(s.src[start:end])
	s.dot = false
	return end
}

// pushPunct records the punctuator src[start:end] and returns end.
// regexOK says whether a "/" after it starts a regular expression.
func (s *jsScanner) pushPunct(start, end int, regexOK bool) int {
	s.add(jsToken{kind: jsPunct, start: start, end: end})
	s.regexOK = regexOK
	s.dot = s.src[end-1] == '.' && (end-start == 1 || s.src[start] == '?')
	return end
}

func (s *jsScanner) add(t jsToken) {
	s.ring[s.n&(ringSize-1)] = t
	s.n++
}

// regexKeyword reports whether a "/" after the keyword name starts a
// regular expression.
func regexKeyword(name []byte) bool {
	switch string(name) {
	case "return", "typeof", "case", "do", "else", "in", "of", "new", "delete",
		"void", "throw", "instanceof", "yield", "await", "default":
		return true
	}
	return false
}

// punct scans the punctuator at src[i] and returns the offset after it.
func (s *jsScanner) punct(i int) int {
	switch s.src[i] {
	case '(', ')', '[', ']', '{', '}', ',':
		return s.bracket(i)
	}
	end, regexOK := punctEnd(s.src, i)
	return s.pushPunct(i, end, regexOK)
}

// punctEnd returns the end of the punctuator at src[i], and whether a "/"
// after it starts a regular expression. Only the punctuators that matter
// are scanned whole; the others, such as "===", are read one byte at a
// time, which gives the same answers.
func punctEnd(src []byte, i int) (end int, regexOK bool) {
	next := func(k int) byte {
		if i+k < len(src) {
			return src[i+k]
		}
		return 0
	}
	switch c := src[i]; {
	case c == '.' && next(1) == '.' && next(2) == '.':
		return i + 3, true
	case c == '?' && next(1) == '.' && !isDigit(next(2)):
		return i + 2, true // ?. but not ? .5
	case c == '=' && next(1) == '>':
		return i + 2, true
	case (c == '+' || c == '-') && next(1) == c:
		return i + 2, false // ++ and -- end an operand
	}
	return i + 1, true
}

// bracket handles the bracket or comma at src[i].
func (s *jsScanner) bracket(i int) int {
	switch s.src[i] {
	case '(':
		kind, off := s.parenKind()
		s.stack = append(s.stack, opening{kind, off})
	case ')':
		return s.closeParen(i)
	case '[':
		s.stack = append(s.stack, opening{kind: openBracket})
	case ']':
		if s.top() == openBracket {
			s.stack = s.stack[:len(s.stack)-1]
		}
		return s.pushPunct(i, i+1, false)
	case '{':
		s.stack = append(s.stack, opening{kind: s.braceKind()})
		s.braces++
	case '}':
		return s.closeBrace(i)
	case ',':
		if s.top() == openImport {
			s.importArg(false)
		}
	}
	return s.pushPunct(i, i+1, true)
}

func (s *jsScanner) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1].kind
}

// parenKind returns the kind of a "(" that follows the latest token, and
// for import( and new URL( the offset of the keyword.
func (s *jsScanner) parenKind() (kind byte, off int) {
	t := s.tok(0)
	if t.kind != jsName || t.prop {
		return openParen, 0
	}
	switch string(s.src[t.start:t.end]) {
	case "if", "while", "for", "with":
		return openControl, 0
	case "await":
		if s.is(1, "for") {
			return openControl, 0
		}
	case "import":
		return openImport, t.start
	case "URL":
		if s.is(1, "new") {
			return openNewURL, s.tok(1).start
		}
	}
	return openParen, 0
}

// braceKind returns the kind of a "{" that follows the latest token: an
// object literal where an expression is expected, a block elsewhere.
func (s *jsScanner) braceKind() byte {
	t := s.tok(0)
	text := string(s.src[t.start:t.end])
	switch t.kind {
	case jsPunct:
		switch text {
		case ";", "{", "}", ")", "=>":
			return openBlock
		}
		return openObject
	case jsTemplateOpen:
		return openObject
	case jsName:
		if !t.prop && text != "do" && text != "else" && regexKeyword(s.src[t.start:t.end]) {
			return openObject // return {...}, case {...}, ...
		}
	}
	return openBlock
}

// closeParen handles the ")" at src[i].
func (s *jsScanner) closeParen(i int) int {
	kind := s.top()
	switch kind {
	case openImport:
		s.importArg(true)
	case openNewURL:
		s.newURL()
	}
	switch kind {
	case openParen, openControl, openImport, openNewURL:
		s.stack = s.stack[:len(s.stack)-1]
	}
	return s.pushPunct(i, i+1, kind == openControl)
}

// closeBrace handles the "}" at src[i], which closes the innermost block,
// object literal or template substitution, and any brackets left open in
// it. (Counting the braces on the stack keeps a stray "}" from searching
// it, so that scanning stays linear in the length of the source.)
func (s *jsScanner) closeBrace(i int) int {
	if s.braces == 0 {
		return s.pushPunct(i, i+1, true)
	}
	k := len(s.stack) - 1
	for s.stack[k].kind != openBlock && s.stack[k].kind != openObject && s.stack[k].kind != openSubst {
		k--
	}
	kind := s.stack[k].kind
	s.stack = s.stack[:k]
	s.braces--
	if kind == openSubst {
		return s.template(i, i+1)
	}
	return s.pushPunct(i, i+1, kind == openBlock)
}

// template scans a template literal, or the rest of one after a
// substitution, from src[i], the first byte after the "`" or "}" at
// src[start], to its closing "`" or the "${" of its next substitution.
func (s *jsScanner) template(start, i int) int {
	src := s.src
	for i < len(src) {
		for i < len(src) && jsClass[src[i]]&jsTplStop == 0 {
			i++
		}
		if i >= len(src) {
			break
		}
		switch src[i] {
		case '\\':
			i += 2
			continue
		case '`':
			return s.push(jsTemplate, start, i+1)
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				s.stack = append(s.stack, opening{kind: openSubst})
				s.braces++
				return s.push(jsTemplateOpen, start, i+2)
			}
		}
		i++
	}
	return s.push(jsTemplate, start, len(src)) // unterminated
}

// staticImport records the string token t if it is the specifier of an
// import or export declaration: import "x", or from "x" after a name, "}"
// or "*" (import x from "x", export * from "x", export {x} from "x").
func (s *jsScanner) staticImport(t jsToken) {
	if s.is(0, "import") ||
		s.is(0, "from") && (s.tok(1).kind == jsName || s.is(1, "}") || s.is(1, "*")) {
		s.ref(t, Module)
	}
}

// importArg handles the end of the first argument of import(, at a "," or,
// if closing, at the ")": a single string literal is a reference, anything
// else is computed. After a "," the parentheses are ordinary ones.
func (s *jsScanner) importArg(closing bool) {
	open := &s.stack[len(s.stack)-1]
	switch {
	case s.tok(0).kind == jsString && s.is(1, "("):
		s.ref(s.tok(0), Module)
		s.refs[len(s.refs)-1].Dynamic = true
	case !closing || !s.is(0, "("): // import() has no argument to count
		s.computed = append(s.computed, open.off)
	}
	open.kind = openParen
}

// newURL handles the ")" of new URL(: if the arguments end in
// ", import.meta.url" (and maybe a trailing ","), the first one is a
// reference if it is a single string literal, and computed otherwise.
func (s *jsScanner) newURL() {
	k := 0
	if s.is(0, ",") {
		k = 1
	}
	if !s.isProp(k, "url") || !s.is(k+1, ".") || !s.isProp(k+2, "meta") || !s.is(k+3, ".") ||
		!s.is(k+4, "import") || !s.is(k+5, ",") {
		return
	}
	if s.tok(k+6).kind == jsString && s.is(k+7, "(") {
		s.ref(s.tok(k+6), NewURL)
		return
	}
	s.computed = append(s.computed, s.stack[len(s.stack)-1].off)
}

// ref records the contents of the string token t as a reference.
func (s *jsScanner) ref(t jsToken, kind Kind) {
	raw := string(s.src[t.start+1 : t.end-1])
	s.refs = append(s.refs, Ref{
		Start: t.start + 1, End: t.end - 1,
		Raw: raw, URL: decodeJS(raw),
		Kind: kind, Quote: s.src[t.start],
	})
}

// blockComment skips the comment starting at src[i] ("/*") and records it
// if it is a sourceMappingURL comment. It returns the offset after it.
func (s *jsScanner) blockComment(i int) int {
	body := i + 2
	end, next := len(s.src), len(s.src)
	if k := bytes.Index(s.src[body:], []byte("*/")); k >= 0 {
		end, next = body+k, body+k+2
	}
	s.sourceMap(body, end)
	return next
}

// sourceMap records the comment body src[start:end] if it is a
// sourceMappingURL comment.
func (s *jsScanner) sourceMap(start, end int) {
	if vs, ve, ok := sourceMapValue(s.src, start, end); ok {
		raw := string(s.src[vs:ve])
		s.refs = append(s.refs, Ref{Start: vs, End: ve, Raw: raw, URL: raw, Kind: SourceMap})
	}
}

// Byte classes of the JavaScript scanner, looked up in jsClass.
const (
	jsSpace     = 1 << iota // ASCII white space and line terminators
	jsNamePart              // ASCII letters, digits, "$" and "_"
	jsNameStart             // ASCII letters, "$" and "_"
	jsOperator              // ASCII punctuators but "/", ".", quotes and "#"
	jsStrStop               // ends a plain run in a string literal
	jsTplStop               // ends a plain run in a template literal
)

var jsClass = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '$' || b == '_' {
			t[c] |= jsNamePart | jsNameStart
		}
		if isDigit(b) {
			t[c] |= jsNamePart
		}
		if strings.IndexByte("(){}[];,<>=!+-*%&|^~?:@", b) >= 0 {
			t[c] |= jsOperator
		}
		switch b {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			t[c] |= jsSpace
		}
		switch b {
		case '"', '\'', '\\', '\n', '\r':
			t[c] |= jsStrStop
		}
		switch b {
		case '`', '\\', '$':
			t[c] |= jsTplStop
		}
	}
	return t
}()

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isJSSpaceRune reports whether the non-ASCII r is white space or a line
// terminator in JavaScript.
func isJSSpaceRune(r rune) bool {
	return r == 0xFEFF || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Zs, r)
}

// lineTerminator returns the length of the line terminator at src[i], or 0:
// \n, \r, U+2028 or U+2029 (\r\n counts as \r followed by \n).
func lineTerminator(src []byte, i int) int {
	switch src[i] {
	case '\n', '\r':
		return 1
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// lineEnd returns the offset of the first line terminator at or after
// src[i], or len(src).
func lineEnd(src []byte, i int) int {
	for ; i < len(src); i++ {
		if c := src[i]; (c == '\n' || c == '\r' || c == 0xE2) && lineTerminator(src, i) > 0 {
			return i
		}
	}
	return i
}

// stringEnd returns the offset after the string literal whose quote is at
// src[i]. ok is false for a literal cut by a line end, whose end is the
// line end, or by the end of src.
func stringEnd(src []byte, i int) (end int, ok bool) {
	q := src[i]
	for i++; i < len(src); i++ {
		for i < len(src) && jsClass[src[i]]&jsStrStop == 0 {
			i++
		}
		if i >= len(src) {
			break
		}
		switch c := src[i]; c {
		case q:
			return i + 1, true
		case '\\':
			i++ // the escaped byte; a line continuation is \ and \n, \r or \r\n
			if i+1 < len(src) && src[i] == '\r' && src[i+1] == '\n' {
				i++
			}
		case '\n', '\r':
			return i, false
		}
	}
	return len(src), false
}

// regExpEnd returns the offset after the regular-expression literal whose
// "/" is at src[i], with its flags. A literal cut by a line end ends there.
func regExpEnd(src []byte, i int) int {
	inClass := false
	for i++; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			if i+1 < len(src) && lineTerminator(src, i+1) == 0 {
				i++
			}
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			return nameEnd(src, i+1)
		case lineTerminator(src, i) > 0:
			return i
		}
	}
	return i
}

// numberEnd returns the offset after the numeric literal starting at
// src[i], a digit or a "." before one. It reads letters, digits, "_" and
// "." and a sign after the exponent's "e", which covers every form
// (1_000, 0x1F, 1e-7, .5, 10n) and ends where an operand ends.
func numberEnd(src []byte, i int) int {
	hex := src[i] == '0' && i+1 < len(src) && src[i+1]|0x20 == 'x'
	for start := i; i < len(src); i++ {
		c := src[i]
		switch {
		case jsClass[c]&jsNamePart != 0 || c == '.':
		case (c == '+' || c == '-') && !hex && i > start && src[i-1]|0x20 == 'e':
		default:
			return i
		}
	}
	return i
}

// nameEnd returns the end of the name whose rest starts at src[i]:
// ASCII letters, digits, "$" and "_", \u escapes and non-ASCII code points
// other than white space.
func nameEnd(src []byte, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case jsClass[c]&jsNamePart != 0:
			i++
		case c == '\\':
			i += 2
			if i < len(src) && src[i-1] == 'u' && src[i] == '{' {
				if k := bytes.IndexByte(src[i:min(i+maxBraced, len(src))], '}'); k >= 0 {
					i += k + 1
				}
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(src[i:])
			if isJSSpaceRune(r) {
				return i
			}
			i += size
		default:
			return i
		}
	}
	return len(src)
}

// decodeJS resolves the escapes of the contents of a JavaScript string
// literal, or of a JSON string, which uses a subset of them. Other bytes,
// even invalid UTF-8, are kept as they are.
func decodeJS(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		r, end := decodeJSUnit(raw, i)
		if r >= 0 {
			b.WriteRune(r)
		}
		i = end
	}
	return b.String()
}

// decodeJSUnit decodes one code point of the contents of a string literal
// at s[i], resolving an escape. It returns -1 for a line continuation,
// which contributes nothing, and utf8.RuneError for a lone surrogate.
func decodeJSUnit(s string, i int) (r rune, end int) {
	if s[i] != '\\' {
		if s[i] < utf8.RuneSelf {
			return rune(s[i]), i + 1
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		return r, i + size
	}
	j := i + 1
	if j >= len(s) {
		return '\\', j
	}
	if k := strings.IndexByte("ntrbfv", s[j]); k >= 0 {
		return rune("\n\t\r\b\f\v"[k]), j + 1
	}
	switch s[j] {
	case 'x':
		if v, ok := hexRun(s, j+1, 2); ok {
			return v, j + 3
		}
	case 'u':
		return decodeUEscape(s, j+1)
	case '\r':
		if j+1 < len(s) && s[j+1] == '\n' {
			return -1, j + 2
		}
		return -1, j + 1
	case '\n':
		return -1, j + 1
	}
	if '0' <= s[j] && s[j] <= '7' {
		return decodeOctal(s, j)
	}
	r, size := utf8.DecodeRuneInString(s[j:])
	if r == 0x2028 || r == 0x2029 {
		return -1, j + size
	}
	return r, j + size
}

// maxBraced is how far a \u{...} escape is looked for its "}": enough for
// "{10FFFF}" with a few leading zeros, and a bound that keeps scanning
// linear.
const maxBraced = 12

// decodeUEscape decodes a \u escape whose "u" is just before s[i]: four hex
// digits, with a low surrogate that may follow a high one, or hex digits in
// braces. A malformed escape stands for the letter u.
func decodeUEscape(s string, i int) (r rune, end int) {
	if i < len(s) && s[i] == '{' {
		k := strings.IndexByte(s[i:min(i+maxBraced, len(s))], '}')
		if v, ok := hexRun(s, i+1, k-1); ok {
			return surrogateless(v), i + k + 1
		}
		return 'u', i
	}
	v, ok := hexRun(s, i, 4)
	if !ok {
		return 'u', i
	}
	if 0xD800 <= v && v < 0xDC00 && strings.HasPrefix(s[i+4:], `\u`) {
		if lo, ok := hexRun(s, i+6, 4); ok && 0xDC00 <= lo && lo < 0xE000 {
			return 0x10000 + (v-0xD800)<<10 + (lo - 0xDC00), i + 10
		}
	}
	return surrogateless(v), i + 4
}

// surrogateless returns v, or utf8.RuneError for a lone surrogate.
func surrogateless(v rune) rune {
	if 0xD800 <= v && v < 0xE000 {
		return utf8.RuneError
	}
	return v
}

// hexRun decodes the n hex digits at s[i:i+n]; ok is false if there are
// fewer, n is below 1 or the value is beyond unicode.MaxRune.
func hexRun(s string, i, n int) (v rune, ok bool) {
	if n < 1 || i+n > len(s) {
		return 0, false
	}
	for k := i; k < i+n; k++ {
		if !isHex(s[k]) {
			return 0, false
		}
		if v = v<<4 | rune(hexVal(s[k])); v > unicode.MaxRune {
			return 0, false
		}
	}
	return v, true
}

// decodeOctal decodes a legacy octal escape whose first digit is s[i]: up
// to three digits below 0400.
func decodeOctal(s string, i int) (r rune, end int) {
	most := 3
	if s[i] > '3' {
		most = 2
	}
	for end = i; end < len(s) && end-i < most && '0' <= s[end] && s[end] <= '7'; end++ {
		r = r<<3 | rune(s[end]-'0')
	}
	return r, end
}
