package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the JSON of manifests: the decoder ParseManifest reads
// them with, and the encoder of Marshal.
//
// The decoder reads in one pass, takes its strings as slices of the
// document, and says what is wrong in the terms of the format, with a line
// and column. It agrees with encoding/json, value for value and in what it
// accepts, and leaves to it what has subtle meanings there (errFallback);
// FuzzParseManifest compares the two. The encoder writes what
// encoding/json's Encoder writes with SetEscapeHTML(false) and
// SetIndent("", "  "), byte for byte.

// errFallback means that the decoder met something it leaves to
// encoding/json, whose meaning there is subtle: null, a key given twice in
// an object that stands for a struct (encoding/json merges the values), a
// key that differs from a field's name only in case (encoding/json takes it
// for the field), or a document that is null.
var errFallback = errors.New("left to encoding/json")

// maxDepth is how deeply arrays and objects may nest in the values the
// decoder skips, as in encoding/json.
const maxDepth = 10000

// The keys of this package's format, in the order Marshal writes them.
var (
	manifestKeys   = [...]string{"version", "hash", "url", "length", "originals", "assets", "generations"}
	assetKeys      = [...]string{"file", "url", "hash", "size", "integrity", "encodings"}
	generationKeys = [...]string{"assets"}
)

// Indexes into manifestKeys.
const (
	keyVersion = iota
	keyHash
	keyURL
	keyLength
	keyOriginals
	keyAssets
	keyGenerations
)

// posError is a problem at a place in a document. Its line and column are
// worked out only when it is printed.
type posError struct {
	doc string
	at  int // byte offset in doc
	err error
}

func (e *posError) Error() string {
	line, col := e.position()
	return fmt.Sprintf("line %d, column %d: %v", line, col, e.err)
}

func (e *posError) Unwrap() error { return e.err }

// position returns the line and column of the error, from 1; columns count
// characters.
func (e *posError) position() (line, col int) {
	before := e.doc[:min(e.at, len(e.doc))]
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return 1 + strings.Count(before, "\n"), 1 + utf8.RuneCountInString(before[lineStart:])
}

// newPosError returns err at the byte offset at of the document s.
func newPosError(s string, at int, err error) *posError {
	return &posError{doc: s, at: at, err: err}
}

// within puts the problem of err in a context, such as `asset "a.css"`.
func within(err error, context string) error {
	if p, ok := err.(*posError); ok {
		return &posError{p.doc, p.at, fmt.Errorf("%s: %w", context, p.err)}
	}
	return err
}

// mustBe says that a value must have the shape want and has the kind got.
func mustBe(want, got string) string { return "must be " + want + ", got " + got }

// kindOf describes the JSON value that s starts with.
func kindOf(s string) string {
	if s == "" {
		return "nothing"
	}
	switch c := s[0]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	}
	return "something that is not JSON"
}

// unknownKey returns the error of a key that is none of keys.
func unknownKey(key string, keys []string) error {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = strconv.Quote(k)
	}
	want := quoted[0]
	if n := len(quoted); n > 1 {
		want = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	return fmt.Errorf("unknown key %q (want %s)", key, want)
}

// foldsTo reports whether key is one of keys but for case, as
// encoding/json compares keys with field names when none is equal.
func foldsTo(key string, keys []string) bool {
	for _, k := range keys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// A decoder reads a JSON document s from the byte offset i.
type decoder struct {
	s string
	i int

	// check, if set, checks each asset as it is read, while its strings
	// are in the cache, rather than in the random order of a map
	// afterwards; checkErr is its first error, and gen the number of the
	// generation read, 0 for the current assets.
	check    func(name string, a Asset) error
	checkErr error
	gen      int
}

// errorAt returns an error at the byte offset at.
func (d *decoder) errorAt(at int, format string, args ...any) error {
	return newPosError(d.s, at, fmt.Errorf(format, args...))
}

// syntax returns the error of a document that is not JSON at d.i, where
// want should be.
func (d *decoder) syntax(want string) error {
	if d.i >= len(d.s) {
		return d.errorAt(d.i, "invalid JSON: unexpected end of the file, want %s", want)
	}
	r, _ := utf8.DecodeRuneInString(d.s[d.i:])
	return d.errorAt(d.i, "invalid JSON: want %s, got %q", want, string(r))
}

// mismatch returns the error of a value at d.i that is not of the shape
// want. If it is not even JSON, the error says so.
func (d *decoder) mismatch(subject, want string) error {
	kind := kindOf(d.s[d.i:])
	if kind == "nothing" || kind == "something that is not JSON" {
		return d.syntax("a value")
	}
	return d.errorAt(d.i, "%s %s", subject, mustBe(want, kind))
}

// peek returns the byte at d.i, or 0 at the end.
func (d *decoder) peek() byte {
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// space[c] reports whether c is white space in JSON.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// ws skips white space.
func (d *decoder) ws() {
	for d.i < len(d.s) && space[d.s[d.i]] {
		d.i++
	}
}

// end checks that nothing but white space follows.
func (d *decoder) end() error {
	d.ws()
	if d.i < len(d.s) {
		return d.syntax("the end of the file")
	}
	return nil
}

// open reads the '{' or '[' at d.i and reports whether the object or array
// is empty, reading its end too.
func (d *decoder) open() (empty bool) {
	end := byte('}')
	if d.s[d.i] == '[' {
		end = ']'
	}
	d.i++
	d.ws()
	if d.peek() == end {
		d.i++
		return true
	}
	return false
}

// key reads an object's key and the ":" after it, and returns it with its
// offset.
func (d *decoder) key() (string, int, error) {
	at := d.i
	if d.peek() != '"' {
		return "", at, d.syntax("a key in double quotes")
	}
	k, err := d.str()
	if err != nil {
		return "", at, err
	}
	d.ws()
	if d.peek() != ':' {
		return "", at, d.syntax(`":"`)
	}
	d.i++
	d.ws()
	return k, at, nil
}

// next reads what follows a member or element: a "," (more is true) or the
// end of the object or array.
func (d *decoder) next(end byte) (more bool, err error) {
	d.ws()
	switch d.peek() {
	case ',':
		d.i++
		d.ws()
		return true, nil
	case end:
		d.i++
		return false, nil
	}
	return false, d.syntax(fmt.Sprintf(`"," or %q`, string(end)))
}

// plain[c] reports whether c stands for itself in a JSON string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads a string at d.i, which is '"'. A string of plain characters
// and valid UTF-8, the usual one, is a slice of the document.
func (d *decoder) str() (string, error) {
	s := d.s
	start := d.i + 1
	i := start
	for i < len(s) {
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		switch c := s[i]; {
		case c == '"':
			d.i = i + 1
			return s[start:i], nil
		case c == '\\' || c < 0x20:
			return d.escapedStr()
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return d.escapedStr()
		}
		i += n
	}
	d.i = len(s)
	return "", d.syntax(`a closing "`)
}

// escapedStr reads a string at d.i that holds escapes or invalid UTF-8,
// which encoding/json decodes; it checks the string's syntax first, for a
// message with a position.
func (d *decoder) escapedStr() (string, error) {
	start := d.i
	d.i++
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			d.i++
			var v string
			if err := json.Unmarshal([]byte(d.s[start:d.i]), &v); err != nil {
				return "", d.errorAt(start, "invalid JSON: %v", err)
			}
			return v, nil
		case c < 0x20:
			return "", d.syntax(`a character that is not a control character (escape it, as in \n or \u0000)`)
		case c != '\\':
			d.i++
			continue
		}
		d.i++
		switch d.peek() {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			d.i++
		case 'u':
			d.i++
			for range 4 {
				if !isHexDigit(d.peek()) {
					return "", d.syntax(`four hex digits after \u`)
				}
				d.i++
			}
		default:
			return "", d.syntax(`an escape: \", \\, \/, \b, \f, \n, \r, \t or \u and four hex digits`)
		}
	}
	return "", d.syntax(`a closing "`)
}

// number reads a number at d.i and returns its text.
func (d *decoder) number() (string, error) {
	start := d.i
	digits := func() {
		for '0' <= d.peek() && d.peek() <= '9' {
			d.i++
		}
	}
	if d.peek() == '-' {
		d.i++
	}
	switch c := d.peek(); {
	case c == '0':
		d.i++
	case '1' <= c && c <= '9':
		digits()
	default:
		return "", d.syntax("a digit")
	}
	if d.peek() == '.' {
		d.i++
		if c := d.peek(); c < '0' || c > '9' {
			return "", d.syntax("a digit after the decimal point")
		}
		digits()
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.i++
		if c := d.peek(); c == '+' || c == '-' {
			d.i++
		}
		if c := d.peek(); c < '0' || c > '9' {
			return "", d.syntax("a digit in the exponent")
		}
		digits()
	}
	return d.s[start:d.i], nil
}

// literal reads the literal lit ("true", "false", "null") at d.i.
func (d *decoder) literal(lit string) error {
	if !strings.HasPrefix(d.s[d.i:], lit) {
		return d.syntax("a value")
	}
	d.i += len(lit)
	return nil
}

// skip reads any value at d.i, nested depth deep.
func (d *decoder) skip(depth int) error {
	if depth >= maxDepth {
		return d.errorAt(d.i, "invalid JSON: nested more than %d deep", maxDepth)
	}
	switch c := d.peek(); {
	case c == '{' || c == '[':
		end := byte(']')
		if c == '{' {
			end = '}'
		}
		if d.open() {
			return nil
		}
		for more := true; more; {
			if c == '{' {
				if _, _, err := d.key(); err != nil {
					return err
				}
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			var err error
			if more, err = d.next(end); err != nil {
				return err
			}
		}
		return nil
	case c == '"':
		_, err := d.str()
		return err
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		_, err := d.number()
		return err
	}
	return d.syntax("a value")
}

// checkSyntax returns the error of the first place where s is not one JSON
// value, or nil.
func checkSyntax(s string) error {
	d := &decoder{s: s}
	d.ws()
	if err := d.skip(0); err != nil {
		return err
	}
	return d.end()
}

// expect checks that the value at d.i, that of subject, starts with c,
// '{' or '[' as want says. For null it returns errFallback.
func (d *decoder) expect(c byte, subject, want string) error {
	switch d.peek() {
	case c:
		return nil
	case 'n':
		return errFallback
	}
	return d.mismatch(subject, want)
}

// stringValue reads a string, the value of subject.
func (d *decoder) stringValue(subject string) (string, error) {
	switch d.peek() {
	case '"':
		return d.str()
	case 'n':
		return "", errFallback
	}
	return "", d.mismatch(subject, "a string")
}

// integer reads an integer of the given bit size, the value of subject.
func (d *decoder) integer(subject string, bits int) (int64, error) {
	switch c := d.peek(); {
	case c == 'n':
		return 0, errFallback
	case c != '-' && (c < '0' || c > '9'):
		return 0, d.mismatch(subject, "an integer")
	}
	at := d.i
	tok, err := d.number()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(tok, 10, bits)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, d.errorAt(at, "%s %s", subject, mustBe(fmt.Sprintf("an integer of at most %d bits", bits), tok))
	case err != nil:
		return 0, d.errorAt(at, "%s %s", subject, mustBe("an integer", tok))
	}
	return n, nil
}

// boolean reads true or false, the value of subject.
func (d *decoder) boolean(subject string) (bool, error) {
	switch d.peek() {
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return false, errFallback
	}
	return false, d.mismatch(subject, "true or false")
}

// decodeManifest parses a manifest as parseManifestJSON does, or returns
// errFallback. It reads the document once: the value of a top-level key of
// this package's format is decoded as such, and a string value is kept as
// an entry of a flat map too; which of the two the document is, is decided
// at its end, by whether it has the keys "version" and "assets". Until
// then a problem in a value is only noted: in a flat map a later value for
// the same key would replace it.
func decodeManifest(s string) (*Manifest, error) {
	d := &decoder{s: s}
	d.ws()
	switch d.peek() {
	case '{':
	case 'n':
		return nil, errFallback
	default:
		if strings.TrimLeft(s, " \t\r\n") == "" {
			return nil, errors.New("the file is empty, want a JSON object")
		}
		if err := checkSyntax(s); err != nil {
			return nil, err
		}
		return nil, d.mismatch("the manifest", "a JSON object")
	}
	r := &topLevel{d: d}
	if !d.open() {
		for more := true; more; {
			key, at, err := d.key()
			if err == nil {
				err = r.member(key, at)
			}
			if err == nil {
				more, err = d.next('}')
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	if r.seen[keyVersion] && r.seen[keyAssets] {
		return r.own()
	}
	return r.flat()
}

// topLevel is what decodeManifest learns of a document's top-level object,
// read both as this package's format and as a flat map.
type topLevel struct {
	d         *decoder
	m         Manifest
	seen      [len(manifestKeys)]bool
	entries   []flatEntry
	ownErr    error          // the first problem of the document read as ours
	flatErr   error          // the first problem of a value of a key in manifestKeys, read as a flat map
	nonString map[string]int // other keys whose last value is not a string, and where it is
	decided   bool           // whether assets are checked as they are read (d.check) is decided
}

// member reads the value of key, at the byte offset at.
func (r *topLevel) member(key string, at int) error {
	d := r.d
	f := slices.Index(manifestKeys[:], key)
	switch {
	case f >= 0 && r.seen[f], f < 0 && foldsTo(key, manifestKeys[:]):
		return errFallback
	case f >= 0:
		r.seen[f] = true
	}
	valueAt := d.i
	switch {
	case d.peek() == '"':
		v, err := d.str()
		if err != nil {
			return err
		}
		r.entries = append(r.entries, flatEntry{key, v})
		switch f {
		case keyHash:
			r.m.Hash = v
		case keyURL:
			r.m.URL = v
		case -1:
			delete(r.nonString, key)
			r.unknown(key, at)
		default:
			if r.ownErr == nil {
				r.ownErr = d.errorAt(valueAt, "%q %s", key, mustBe(manifestShapes[f], "a string"))
			}
		}
		return nil
	case f < 0:
		if r.nonString == nil {
			r.nonString = make(map[string]int)
		}
		r.nonString[key] = valueAt
		r.unknown(key, at)
		return d.skip(1)
	}
	if r.flatErr == nil {
		r.flatErr = notString(d.s, key, valueAt)
	}
	if (f == keyAssets || f == keyGenerations) && !r.decided {
		// The checks need the hash strategy, which comes before the assets
		// in a manifest Marshal wrote.
		r.decided = true
		if r.seen[keyHash] {
			d.check = r.m.assetCheck()
		}
	}
	err := d.manifestField(&r.m, f)
	if err == nil || errors.Is(err, errFallback) {
		return err
	}
	// A problem of shape, unless the value is not JSON.
	d.i = valueAt
	if err := d.skip(1); err != nil {
		return err
	}
	if r.ownErr == nil {
		r.ownErr = err
	}
	return nil
}

// unknown notes a top-level key, at the byte offset at, that is not one of
// this package's format.
func (r *topLevel) unknown(key string, at int) {
	if r.ownErr == nil {
		r.ownErr = newPosError(r.d.s, at, unknownKey(key, manifestKeys[:]))
	}
}

// own returns the manifest of a document in this package's format.
func (r *topLevel) own() (*Manifest, error) {
	if r.ownErr != nil {
		return nil, r.ownErr
	}
	if err := r.m.validateHeader(); err != nil {
		return nil, err
	}
	if r.d.checkErr != nil {
		return nil, r.d.checkErr
	}
	if r.d.check == nil {
		if err := r.m.validateAssets(); err != nil {
			return nil, err
		}
	}
	return &r.m, nil
}

// flat returns the manifest of a flat map.
func (r *topLevel) flat() (*Manifest, error) {
	if r.flatErr != nil {
		return nil, r.flatErr
	}
	if len(r.nonString) > 0 {
		first := slices.Min(slices.Collect(maps.Values(r.nonString)))
		for key, at := range r.nonString {
			if at == first {
				return nil, notString(r.d.s, key, at)
			}
		}
	}
	flat := make(map[string]string, len(r.entries))
	for _, e := range r.entries {
		flat[e.key] = e.value
	}
	return flatManifest(flat)
}

// notString returns the error of an entry of a flat map whose value, at
// the byte offset at of s, is not a string.
func notString(s, key string, at int) error {
	return newPosError(s, at, fmt.Errorf("entry %q %s", key, mustBe("a string (a hash or a file)", kindOf(s[at:]))))
}

// flatEntry is a top-level key and its string value.
type flatEntry struct{ key, value string }

// manifestShapes are the shapes of the values of manifestKeys.
var manifestShapes = [...]string{
	keyVersion:     "an integer",
	keyHash:        "a string",
	keyURL:         "a string",
	keyLength:      "an integer",
	keyOriginals:   "true or false",
	keyAssets:      "an object of assets",
	keyGenerations: "an array of generations",
}

// manifestField reads the value of the top-level key manifestKeys[f], which
// is not a string, into m.
func (d *decoder) manifestField(m *Manifest, f int) error {
	subject := strconv.Quote(manifestKeys[f])
	var err error
	switch f {
	case keyVersion, keyLength:
		var n int64
		n, err = d.integer(subject, strconv.IntSize)
		if f == keyVersion {
			m.Version = int(n)
		} else {
			m.Length = int(n)
		}
	case keyHash, keyURL:
		_, err = d.stringValue(subject) // not a string: an error or null
	case keyOriginals:
		m.Originals, err = d.boolean(subject)
	case keyAssets:
		m.Assets, err = d.assets()
	case keyGenerations:
		m.Generations, err = d.generations()
	}
	return err
}

// sampleAssets is how many assets the decoder reads before it guesses how
// many the current assets of a manifest are, to size their map.
const sampleAssets = 32

// assets reads an object of assets, the value of a key "assets".
func (d *decoder) assets() (map[string]Asset, error) {
	if err := d.expect('{', `"assets"`, "an object of assets"); err != nil {
		return nil, err
	}
	start := d.i
	assets := make(map[string]Asset, sampleAssets)
	if d.open() {
		return assets, nil
	}
	for more := true; more; {
		name, _, err := d.key()
		if err != nil {
			return nil, err
		}
		a, err := d.asset()
		if err != nil {
			return nil, within(err, fmt.Sprintf("asset %q", name))
		}
		if a.File == name {
			// One string for both, as a build makes them: comparing them,
			// which builds do for every asset, then reads neither.
			a.File = name
		}
		assets[name] = a
		if d.check != nil && d.checkErr == nil {
			if err := d.check(name, a); err != nil {
				if d.gen > 0 {
					err = fmt.Errorf("generation %d: %w", d.gen, err)
				}
				d.checkErr = err
			}
		}
		if len(assets) == sampleAssets && d.gen == 0 {
			// As many more as the rest of the document holds, if its assets
			// are like these. What follows them in a manifest Marshal wrote
			// is its generations, usually few assets; their own maps grow
			// as they are filled, rather than be sized by such a guess.
			guess := (len(d.s) - start) / max(1, (d.i-start)/sampleAssets)
			if guess > 2*sampleAssets {
				grown := make(map[string]Asset, guess)
				maps.Copy(grown, assets)
				assets = grown
			}
		}
		if more, err = d.next('}'); err != nil {
			return nil, err
		}
	}
	return assets, nil
}

// asset reads an asset object.
func (d *decoder) asset() (Asset, error) {
	var a Asset
	if err := d.expect('{', "the value", "an asset object"); err != nil {
		return a, err
	}
	if d.open() {
		return a, nil
	}
	var seen [len(assetKeys)]bool
	for more := true; more; {
		key, at, err := d.key()
		if err != nil {
			return a, err
		}
		f := assetKey(key)
		switch {
		case f < 0 && foldsTo(key, assetKeys[:]), f >= 0 && seen[f]:
			return a, errFallback
		case f < 0:
			return a, newPosError(d.s, at, unknownKey(key, assetKeys[:]))
		}
		seen[f] = true
		switch f {
		case 0:
			a.File, err = d.stringValue(`"file"`)
		case 1:
			a.URL, err = d.stringValue(`"url"`)
		case 2:
			a.Hash, err = d.stringValue(`"hash"`)
		case 3:
			a.Size, err = d.integer(`"size"`, 64)
		case 4:
			a.Integrity, err = d.stringValue(`"integrity"`)
		case 5:
			a.Encodings, err = d.encodings()
		}
		if err != nil {
			return a, err
		}
		if more, err = d.next('}'); err != nil {
			return a, err
		}
	}
	return a, nil
}

// assetKey returns the index of key in assetKeys, or -1.
func assetKey(key string) int {
	switch key {
	case "file":
		return 0
	case "url":
		return 1
	case "hash":
		return 2
	case "size":
		return 3
	case "integrity":
		return 4
	case "encodings":
		return 5
	}
	return -1
}

// encodings reads an array of strings, the value of a key "encodings".
func (d *decoder) encodings() ([]string, error) {
	if err := d.expect('[', `"encodings"`, "an array of strings"); err != nil {
		return nil, err
	}
	encs := []string{} // not nil, as from encoding/json
	if d.open() {
		return encs, nil
	}
	for more := true; more; {
		e, err := d.stringValue(fmt.Sprintf(`"encodings" item %d`, len(encs)+1))
		if err != nil {
			return nil, err
		}
		encs = append(encs, e)
		if more, err = d.next(']'); err != nil {
			return nil, err
		}
	}
	return encs, nil
}

// generations reads an array of generations, the value of a key
// "generations".
func (d *decoder) generations() ([]Generation, error) {
	if err := d.expect('[', `"generations"`, "an array of generations"); err != nil {
		return nil, err
	}
	gens := []Generation{} // not nil, as from encoding/json
	if d.open() {
		return gens, nil
	}
	defer func() { d.gen = 0 }()
	for more := true; more; {
		d.gen = len(gens) + 1
		g, err := d.generation()
		if err != nil {
			return nil, within(err, fmt.Sprintf("generation %d", len(gens)+1))
		}
		gens = append(gens, g)
		if more, err = d.next(']'); err != nil {
			return nil, err
		}
	}
	return gens, nil
}

// generation reads one generation object.
func (d *decoder) generation() (Generation, error) {
	var g Generation
	if err := d.expect('{', "the value", `an object with "assets"`); err != nil {
		return g, err
	}
	if d.open() {
		return g, nil
	}
	seen := false
	for more := true; more; {
		key, at, err := d.key()
		if err != nil {
			return g, err
		}
		switch {
		case key == "assets" && seen, key != "assets" && foldsTo(key, generationKeys[:]):
			return g, errFallback
		case key != "assets":
			return g, newPosError(d.s, at, unknownKey(key, generationKeys[:]))
		}
		seen = true
		if g.Assets, err = d.assets(); err != nil {
			return g, err
		}
		if more, err = d.next('}'); err != nil {
			return g, err
		}
	}
	return g, nil
}

// jsonError returns err, from encoding/json decoding the document s, in
// the terms of the format: a syntax error as checkSyntax finds it, with its
// line and column, and a value of the wrong kind with the key it is under
// and the shape it must have. With member set, such as "chunk", a problem
// in the value of a top-level key names that key first, as in
// `chunk "src/main.ts": "file" must be a string, got a number`.
func jsonError(s string, err error, member string) error {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		if err := checkSyntax(s); err != nil {
			return err
		}
	}
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	msg := mustBe(shape(typeErr.Type), valueKind(typeErr.Value))
	field := typeErr.Field[strings.LastIndexByte(typeErr.Field, '.')+1:]
	switch {
	case arrayKeys[field] && typeErr.Type.Kind() == reflect.String:
		msg = "an item of " + strconv.Quote(typeErr.Field) + " " + msg
	case typeErr.Field != "":
		msg = strconv.Quote(typeErr.Field) + " " + msg
	}
	if member != "" {
		if key, ok := memberAt(s, int(typeErr.Offset)); ok && typeErr.Field != "" {
			return fmt.Errorf("%s %q: %s", member, key, msg)
		} else if ok {
			return fmt.Errorf("%s %q %s", member, key, msg)
		}
	}
	if typeErr.Field == "" {
		return errors.New("the manifest " + msg)
	}
	return errors.New(msg)
}

// arrayKeys are the keys whose values are arrays of strings, in this
// package's format and Vite's: an error of encoding/json about an item
// names the key alone.
var arrayKeys = map[string]bool{"encodings": true, "imports": true, "dynamicImports": true, "css": true, "assets": true}

// memberAt returns the top-level key of the object s whose value holds the
// byte offset at, or ends there.
func memberAt(s string, at int) (string, bool) {
	d := &decoder{s: s}
	d.ws()
	if d.peek() != '{' || d.open() {
		return "", false
	}
	for more := true; more; {
		key, _, err := d.key()
		if err != nil {
			return "", false
		}
		start := d.i
		if err := d.skip(1); err != nil {
			return "", false
		}
		if start < at && at <= d.i {
			return key, true
		}
		if more, err = d.next('}'); err != nil {
			return "", false
		}
	}
	return "", false
}

// shape describes what a value of type t must be in a document.
func shape(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[map[string]Asset]():
		return "an object of assets"
	case reflect.TypeFor[Asset]():
		return "an asset object"
	case reflect.TypeFor[[]Generation]():
		return "an array of generations"
	case reflect.TypeFor[ViteManifest]():
		return "an object of chunks"
	case reflect.TypeFor[ViteChunk]():
		return "a chunk object"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.String {
			return "an array of strings"
		}
		return "an array"
	case reflect.Map, reflect.Struct:
		if t.Kind() == reflect.Map && t.Elem().Kind() == reflect.String {
			return "an object of strings"
		}
		return "an object"
	}
	return "another kind of value"
}

// valueKind describes a value as encoding/json names it in an
// UnmarshalTypeError: "string", "number", "number 1.5", "bool", "array",
// "object".
func valueKind(v string) string {
	switch {
	case v == "bool":
		return "a boolean"
	case v == "array", v == "object":
		return "an " + v
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	}
	return "a " + v
}

// encoder writes the JSON of a manifest.
type encoder struct{ buf []byte }

// indent is the white space of the deepest line of a manifest.
const indent = "            "

func (e *encoder) manifest(m *Manifest) {
	// Sort first, and size the buffer from what is to be written: every
	// asset takes its strings and at most about 100 bytes of keys,
	// punctuation and indentation.
	type sorted struct {
		assets map[string]Asset
		names  []string
	}
	all := []sorted{{m.Assets, nil}}
	for _, g := range m.Generations {
		all = append(all, sorted{g.Assets, nil})
	}
	size := 256 + len(m.Hash) + len(m.URL)
	for i, s := range all {
		names := make([]string, 0, len(s.assets))
		for name, a := range s.assets {
			names = append(names, name)
			size += 100 + len(name) + len(a.File) + len(a.URL) + len(a.Hash) + len(a.Integrity)
			for _, enc := range a.Encodings {
				size += 16 + len(enc)
			}
		}
		slices.Sort(names)
		all[i].names = names
	}
	e.buf = make([]byte, 0, size)

	e.buf = append(e.buf, "{\n  \"version\": "...)
	e.buf = strconv.AppendInt(e.buf, int64(m.Version), 10)
	e.buf = append(e.buf, ",\n  \"hash\": "...)
	e.str(m.Hash)
	e.buf = append(e.buf, ",\n  \"url\": "...)
	e.str(m.URL)
	if m.Length != 0 {
		e.buf = append(e.buf, ",\n  \"length\": "...)
		e.buf = strconv.AppendInt(e.buf, int64(m.Length), 10)
	}
	if m.Originals {
		e.buf = append(e.buf, ",\n  \"originals\": true"...)
	}
	e.buf = append(e.buf, ",\n  \"assets\": "...)
	e.assets(all[0].assets, all[0].names, 1)
	if len(m.Generations) > 0 {
		e.buf = append(e.buf, ",\n  \"generations\": ["...)
		for i, s := range all[1:] {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, "\n    {\n      \"assets\": "...)
			e.assets(s.assets, s.names, 3)
			e.buf = append(e.buf, "\n    }"...)
		}
		e.buf = append(e.buf, "\n  ]"...)
	}
	e.buf = append(e.buf, "\n}\n"...)
}

// assets writes an object of assets whose key is on a line of the given
// depth, its names sorted.
func (e *encoder) assets(assets map[string]Asset, names []string, depth int) {
	switch {
	case assets == nil:
		e.buf = append(e.buf, "null"...)
		return
	case len(assets) == 0:
		e.buf = append(e.buf, "{}"...)
		return
	}
	in1, in2, in3 := indent[:2*depth+2], indent[:2*depth+4], indent[:2*depth+6]
	e.buf = append(e.buf, '{')
	for i, name := range names {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '\n')
		e.buf = append(e.buf, in1...)
		e.str(name)
		e.buf = append(e.buf, ": {"...)
		a := assets[name]
		sep := "\n"
		field := func(key string) {
			e.buf = append(e.buf, sep...)
			e.buf = append(e.buf, in2...)
			e.buf = append(e.buf, key...)
			sep = ",\n"
		}
		if a.File != "" {
			field(`"file": `)
			e.str(a.File)
		}
		if a.URL != "" {
			field(`"url": `)
			e.str(a.URL)
		}
		field(`"hash": `)
		e.str(a.Hash)
		field(`"size": `)
		e.buf = strconv.AppendInt(e.buf, a.Size, 10)
		if a.Integrity != "" {
			field(`"integrity": `)
			e.str(a.Integrity)
		}
		if len(a.Encodings) > 0 {
			field(`"encodings": [`)
			for j, enc := range a.Encodings {
				if j > 0 {
					e.buf = append(e.buf, ',')
				}
				e.buf = append(e.buf, '\n')
				e.buf = append(e.buf, in3...)
				e.str(enc)
			}
			e.buf = append(e.buf, '\n')
			e.buf = append(e.buf, in2...)
			e.buf = append(e.buf, ']')
		}
		e.buf = append(e.buf, '\n')
		e.buf = append(e.buf, in1...)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, '\n')
	e.buf = append(e.buf, in1[:len(in1)-2]...)
	e.buf = append(e.buf, '}')
}

// str writes s as a JSON string, escaped as encoding/json escapes it
// without HTML escaping: '"', '\\' and control characters, invalid UTF-8
// as U+FFFD, and U+2028 and U+2029.
func (e *encoder) str(s string) {
	const hex = "0123456789abcdef"
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if plain[s[i]] {
			i++
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			e.buf = append(e.buf, s[start:i]...)
			switch c {
			case '"', '\\':
				e.buf = append(e.buf, '\\', c)
			case '\b':
				e.buf = append(e.buf, '\\', 'b')
			case '\f':
				e.buf = append(e.buf, '\\', 'f')
			case '\n':
				e.buf = append(e.buf, '\\', 'n')
			case '\r':
				e.buf = append(e.buf, '\\', 'r')
			case '\t':
				e.buf = append(e.buf, '\\', 't')
			default:
				e.buf = append(e.buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
}
