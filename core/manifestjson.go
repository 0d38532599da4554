package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// This file holds the JSON of manifests: the decoder ParseManifest reads
// them with, and the encoder of Marshal.
//
// The decoder reads the tokens of jsontext in one pass, checks each asset
// as it is read, takes its strings as slices of the document, and says
// what is wrong in the terms of the format, with a line and column. It
// agrees with encoding/json, value for value and in what it accepts, and
// leaves to it what has subtle meanings there (errFallback);
// FuzzParseManifest compares the two. The encoder writes what
// encoding/json's Encoder writes with SetEscapeHTML(false) and
// SetIndent("", "  "), byte for byte.

// errFallback means that the decoder met something it leaves to
// encoding/json, whose meaning there is subtle: null, a key given twice in
// an object that stands for a struct or a map of assets (encoding/json
// merges the values), a key that differs from a field's name only in case
// (encoding/json takes it for the field), or a document that jsontext
// refuses and encoding/json accepts, such as one with invalid UTF-8.
var errFallback = errors.New("left to encoding/json")

// The keys of this package's format, in the order Marshal writes them.
var (
	manifestKeys   = [...]string{"version", "hash", "url", "length", "originals", "assets", "generations"}
	assetKeys      = [...]string{"file", "url", "hash", "size", "integrity", "encodings", "imports", "refs", "css"}
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

// SyntaxError is a problem at a place in a manifest: a document that is
// not JSON, or a value that is not of the shape the format wants. The
// errors of ParseManifest, ReadManifest and the other parsers and readers
// of manifests match it with errors.As when they know the place.
type SyntaxError struct {
	// File is the manifest file as named to a reader, empty for a
	// document given to a parser.
	File string
	// Line and Column are where the problem is, from 1. Columns count
	// characters.
	Line, Column int
	// Err says what is wrong, in the terms of the format, such as
	// `asset "a.css": "size" must be an integer, got a string`.
	Err error
}

func (e *SyntaxError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// As sets target, a **SyntaxError, to the place and problem of e, if it
// has a place.
func (e *corruptError) As(target any) bool {
	t, ok := target.(**SyntaxError)
	p, at := e.err.(*posError)
	if !ok || !at {
		return false
	}
	line, col := p.position()
	*t = &SyntaxError{File: e.name, Line: line, Column: col, Err: p.err}
	return true
}

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

// syntaxError returns the error of jsontext about the document s, with its
// line and column. strict tells that the document was read as jsontext
// reads it by default, refusing what encoding/json accepts, such as
// invalid UTF-8: the error of such a document is errFallback.
func syntaxError(s string, err error, strict bool) error {
	var serr *jsontext.SyntacticError
	if !errors.As(err, &serr) {
		return err // not from the document: cannot happen with a strings.Reader
	}
	if strict && json.Valid([]byte(s)) {
		return errFallback
	}
	msg := "unexpected end of the file"
	if !errors.Is(serr.Err, io.ErrUnexpectedEOF) {
		msg = serr.Err.Error()
	}
	// jsontext quotes a piece of the document in backquotes where it
	// needs no escapes; the messages of this package quote as %q does.
	if i, j := strings.IndexByte(msg, '`'), strings.LastIndexByte(msg, '`'); i < j {
		msg = msg[:i] + strconv.Quote(msg[i+1:j]) + msg[j+1:]
	}
	return newPosError(s, int(serr.ByteOffset), errors.New("invalid JSON: "+msg))
}

// A decoder reads a manifest, the JSON document s, with jsontext.
type decoder struct {
	s   string
	dec *jsontext.Decoder

	// check, if set, checks each asset as it is read, while its strings
	// are in the cache, rather than in the random order of a map
	// afterwards; checkErr is its first error, and gen the number of the
	// generation read, 0 for the current assets.
	check    func(name string, a Asset) error
	checkErr error
	gen      int

	edges bool // whether an asset of the current build has edges

	syntaxErr error // the error of a document that is not JSON
	lenient   bool  // whether it is read with the options lenient
}

// newDecoder returns a decoder of s, strict but for keys given twice.
func newDecoder(s string) *decoder {
	return &decoder{s: s, dec: jsontext.NewDecoder(strings.NewReader(s), jsontext.AllowDuplicateNames(true))}
}

// fail returns the error err of jsontext with its line and column.
func (d *decoder) fail(err error) error {
	d.syntaxErr = syntaxError(d.s, err, !d.lenient)
	return d.syntaxErr
}

// next returns the byte offset of the next token, which PeekKind has
// read.
func (d *decoder) next() int {
	at := int(d.dec.InputOffset())
	for at < len(d.s) && strings.IndexByte(" \t\r\n:,", d.s[at]) >= 0 {
		at++
	}
	return at
}

// errorAt returns an error at the byte offset at.
func (d *decoder) errorAt(at int, format string, args ...any) error {
	return newPosError(d.s, at, fmt.Errorf(format, args...))
}

// value reads the next value whole and returns its text, a slice of the
// document, and its byte offset.
func (d *decoder) value() (string, int, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return "", 0, d.fail(err)
	}
	end := int(d.dec.InputOffset())
	return d.s[end-len(v) : end], end - len(v), nil
}

// str returns the string of the JSON string v: a slice of the document
// unless it holds escapes.
func str(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v[1 : len(v)-1]
	}
	b, _ := jsontext.AppendUnquote(nil, v) // checked as it was read
	return string(b)
}

// key reads an object's key, and returns it with its offset.
func (d *decoder) key() (string, int, error) {
	v, at, err := d.value()
	if err != nil {
		return "", at, err
	}
	return str(v), at, nil
}

// more reports whether the object or array read has another member or
// element, and reads its end if not.
func (d *decoder) more() (bool, error) {
	switch d.dec.PeekKind() {
	case '}', ']':
		_, err := d.dec.ReadToken()
		return false, err
	case 0:
		_, err := d.dec.ReadToken()
		return false, d.fail(err)
	}
	return true, nil
}

// end checks that nothing but white space follows the value read.
func (d *decoder) end() error {
	rest := strings.TrimLeft(d.s[d.dec.InputOffset():], " \t\r\n")
	if rest == "" {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return d.errorAt(len(d.s)-len(rest), "invalid JSON: want the end of the file, got %q", string(r))
}

// scalar reads a value that must be of the kind want (a string, a number,
// true or false), the value of subject described as shape, and returns its
// text and offset. For null it returns errFallback.
func (d *decoder) scalar(want jsontext.Kind, subject, shape string) (string, int, error) {
	v, at, err := d.value()
	if err != nil {
		return "", at, err
	}
	switch k := jsontext.Value(v).Kind(); {
	case k == 'n':
		return "", at, errFallback
	case k != want && !(want == 't' && k == 'f'):
		return "", at, d.errorAt(at, "%s %s", subject, mustBe(shape, kindOf(v)))
	}
	return v, at, nil
}

// open reads the '{' or '[', want, of the value of subject, described as
// shape. For null it returns errFallback.
func (d *decoder) open(want jsontext.Kind, subject, shape string) error {
	if d.dec.PeekKind() == want {
		_, err := d.dec.ReadToken()
		return err
	}
	_, _, err := d.scalar(want, subject, shape)
	return err
}

// stringValue reads a string, the value of subject.
func (d *decoder) stringValue(subject string) (string, error) {
	v, _, err := d.scalar('"', subject, "a string")
	if err != nil {
		return "", err
	}
	return str(v), nil
}

// integer reads an integer of the given bit size, the value of subject.
func (d *decoder) integer(subject string, bits int) (int64, error) {
	v, at, err := d.scalar('0', subject, "an integer")
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, bits)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, d.errorAt(at, "%s %s", subject, mustBe(fmt.Sprintf("an integer of at most %d bits", bits), v))
	case err != nil:
		return 0, d.errorAt(at, "%s %s", subject, mustBe("an integer", v))
	}
	return n, nil
}

// boolean reads true or false, the value of subject.
func (d *decoder) boolean(subject string) (bool, error) {
	v, _, err := d.scalar('t', subject, "true or false")
	return v == "true", err
}

// decodeManifest parses a manifest as parseManifestJSON does, or returns
// errFallback. It reads the document once: the value of a top-level key of
// this package's format is decoded as such, and a string value is kept as
// an entry of a flat map too; which of the two the document is, is decided
// at its end, by whether it has the keys "version" and "assets". Until
// then a problem in a value is only noted: in a flat map a later value for
// the same key would replace it.
func decodeManifest(s string) (*Manifest, error) {
	d := newDecoder(s)
	switch d.dec.PeekKind() {
	case '{':
		d.dec.ReadToken()
	case 'n':
		return nil, errFallback
	default:
		if strings.TrimLeft(s, " \t\r\n") == "" {
			return nil, errors.New("the file is empty, want a JSON object")
		}
		v, at, err := d.value()
		if err == nil {
			err = d.end()
		}
		if err != nil {
			return nil, err
		}
		return nil, d.errorAt(at, "the manifest %s", mustBe("a JSON object", kindOf(v)))
	}
	r := &topLevel{d: d}
	for {
		more, err := d.more()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		key, at, err := d.key()
		if err == nil {
			err = r.member(key, at)
		}
		if err != nil {
			return nil, err
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
	if d.dec.PeekKind() == '"' || f < 0 {
		v, valueAt, err := d.value()
		if err != nil {
			return err
		}
		if f < 0 {
			r.unknown(key, at)
		}
		if v[0] != '"' {
			if r.nonString == nil {
				r.nonString = make(map[string]int)
			}
			r.nonString[key] = valueAt
			return nil
		}
		value := str(v)
		delete(r.nonString, key)
		r.entries = append(r.entries, flatEntry{key, value})
		switch f {
		case keyHash:
			r.m.Hash = value
		case keyURL:
			r.m.Form = value
		case -1:
		default:
			if r.ownErr == nil {
				r.ownErr = d.errorAt(valueAt, "%q %s", key, mustBe(manifestShapes[f], "a string"))
			}
		}
		return nil
	}
	valueAt := d.next()
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
	depth := d.dec.StackDepth()
	err := d.manifestField(&r.m, f)
	if err == nil || errors.Is(err, errFallback) {
		return err
	}
	if d.syntaxErr != nil {
		return d.syntaxErr
	}
	// A problem of shape, unless the rest of the value is not JSON.
	for d.dec.StackDepth() > depth {
		if _, err := d.dec.ReadToken(); err != nil {
			return d.fail(err)
		}
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
	} else if r.d.edges {
		if err := checkGraph(r.m.Assets); err != nil {
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
	if err := d.open('{', `"assets"`, "an object of assets"); err != nil {
		return nil, err
	}
	start := int(d.dec.InputOffset())
	assets := make(map[string]Asset, sampleAssets)
	for {
		more, err := d.more()
		if err != nil || !more {
			return assets, err
		}
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
		n := len(assets)
		if assets[name] = a; len(assets) == n {
			return nil, errFallback // a name given twice: the last wins, unchecked
		}
		d.edges = d.edges || d.gen == 0 && hasEdges(a)
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
			read := int(d.dec.InputOffset()) - start
			if guess := (len(d.s) - start) / max(1, read/sampleAssets); guess > 2*sampleAssets {
				grown := make(map[string]Asset, guess)
				maps.Copy(grown, assets)
				assets = grown
			}
		}
	}
}

// asset reads an asset object.
func (d *decoder) asset() (Asset, error) {
	var a Asset
	if err := d.open('{', "the value", "an asset object"); err != nil {
		return a, err
	}
	var seen [len(assetKeys)]bool
	for {
		more, err := d.more()
		if err != nil || !more {
			return a, err
		}
		key, at, err := d.key()
		if err != nil {
			return a, err
		}
		f := slices.Index(assetKeys[:], key)
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
			a.ExternalURL, err = d.stringValue(`"url"`)
		case 2:
			a.Hash, err = d.stringValue(`"hash"`)
		case 3:
			a.Size, err = d.integer(`"size"`, 64)
		case 4:
			a.Integrity, err = d.stringValue(`"integrity"`)
		case 5:
			a.Encodings, err = d.strings(`"encodings"`)
		case 6:
			a.Imports, err = d.strings(`"imports"`)
		case 7:
			a.Refs, err = d.strings(`"refs"`)
		case 8:
			a.CSS, err = d.strings(`"css"`)
		}
		if err != nil {
			return a, err
		}
	}
}

// strings reads an array of strings, the value of key, such as
// `"encodings"`.
func (d *decoder) strings(key string) ([]string, error) {
	if err := d.open('[', key, "an array of strings"); err != nil {
		return nil, err
	}
	list := []string{} // not nil, as from encoding/json
	for {
		more, err := d.more()
		if err != nil || !more {
			return list, err
		}
		e, err := d.stringValue(fmt.Sprintf(`%s item %d`, key, len(list)+1))
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
}

// generations reads an array of generations, the value of a key
// "generations".
func (d *decoder) generations() ([]Generation, error) {
	if err := d.open('[', `"generations"`, "an array of generations"); err != nil {
		return nil, err
	}
	gens := []Generation{} // not nil, as from encoding/json
	defer func() { d.gen = 0 }()
	for {
		more, err := d.more()
		if err != nil || !more {
			return gens, err
		}
		d.gen = len(gens) + 1
		g, err := d.generation()
		if err != nil {
			return nil, within(err, fmt.Sprintf("generation %d", len(gens)+1))
		}
		gens = append(gens, g)
	}
}

// generation reads one generation object.
func (d *decoder) generation() (Generation, error) {
	var g Generation
	if err := d.open('{', "the value", `an object with "assets"`); err != nil {
		return g, err
	}
	for {
		more, err := d.more()
		if err != nil || !more {
			return g, err
		}
		key, at, err := d.key()
		if err != nil {
			return g, err
		}
		switch {
		case key == "assets" && g.Assets != nil, key != "assets" && foldsTo(key, generationKeys[:]):
			return g, errFallback
		case key != "assets":
			return g, newPosError(d.s, at, unknownKey(key, generationKeys[:]))
		}
		if g.Assets, err = d.assets(); err != nil {
			return g, err
		}
	}
}

// jsonError returns err, from encoding/json decoding the document s, in
// the terms of the format: a syntax error as jsontext finds it, with its
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
var arrayKeys = map[string]bool{"encodings": true, "imports": true, "refs": true, "dynamicImports": true, "css": true, "assets": true}

// lenient are the options of jsontext that accept what encoding/json
// accepts.
var lenient = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// checkSyntax returns the error of the first place where s is not one JSON
// value, or nil.
func checkSyntax(s string) error {
	d := &decoder{s: s, dec: jsontext.NewDecoder(strings.NewReader(s), lenient...), lenient: true}
	if err := d.dec.SkipValue(); err != nil {
		return d.fail(err)
	}
	return d.end()
}

// memberAt returns the top-level key of the object s whose value holds the
// byte offset at, or ends there.
func memberAt(s string, at int) (string, bool) {
	dec := jsontext.NewDecoder(strings.NewReader(s), lenient...)
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return "", false
	}
	for dec.PeekKind() == '"' {
		tok, _ := dec.ReadToken()
		key, start := tok.String(), dec.InputOffset()
		if err := dec.SkipValue(); err != nil {
			return "", false
		}
		if start < int64(at) && int64(at) <= dec.InputOffset() {
			return key, true
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

// plain[c] reports whether c stands for itself in a JSON string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

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
	size := 256 + len(m.Hash) + len(m.Form)
	for i, s := range all {
		names := make([]string, 0, len(s.assets))
		for name, a := range s.assets {
			names = append(names, name)
			size += 100 + len(name) + len(a.File) + len(a.ExternalURL) + len(a.Hash) + len(a.Integrity)
			for _, list := range edges(a) {
				for _, n := range list {
					size += 16 + len(n)
				}
			}
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
	e.str(m.Form)
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
		if a.ExternalURL != "" {
			field(`"url": `)
			e.str(a.ExternalURL)
		}
		field(`"hash": `)
		e.str(a.Hash)
		field(`"size": `)
		e.buf = strconv.AppendInt(e.buf, a.Size, 10)
		if a.Integrity != "" {
			field(`"integrity": `)
			e.str(a.Integrity)
		}
		list := func(key string, items []string) {
			if len(items) == 0 {
				return
			}
			field(key)
			for j, item := range items {
				if j > 0 {
					e.buf = append(e.buf, ',')
				}
				e.buf = append(e.buf, '\n')
				e.buf = append(e.buf, in3...)
				e.str(item)
			}
			e.buf = append(e.buf, '\n')
			e.buf = append(e.buf, in2...)
			e.buf = append(e.buf, ']')
		}
		list(`"encodings": [`, a.Encodings)
		list(`"imports": [`, a.Imports)
		list(`"refs": [`, a.Refs)
		list(`"css": [`, a.CSS)
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
