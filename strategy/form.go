package strategy

import (
	"fmt"
	"path"
	"strings"

	"github.com/cachebust/cachebust/internal/hexdigest"
)

// Form puts a hash into the name an asset is requested by.
//
// Names are slash-separated paths relative to the asset root, not yet
// URL-escaped. Implementations must be pure: Format and Parse depend only on
// their arguments, and Parse(Format(name, hash)) returns name, hash and true
// for every clean name and every non-empty lowercase hex hash.
type Form interface {
	// Name identifies the form in manifests and on the command line.
	Name() string
	// Format returns the name by which the content of name with the given
	// hash is requested, relative to the asset root.
	Format(name, hash string) string
	// Parse undoes Format. It reports false if s was not made by Format.
	Parse(s string) (name, hash string, ok bool)
	// File returns the file, relative to the asset root, that serves
	// Format(name, hash): name itself, or a copy with a new name.
	File(name, hash string) string
}

// FormByName returns a built-in form: "rename", "query" (with parameter v)
// or "query:" followed by a parameter name, where an empty parameter name is
// the bare form css/main.css?3f2a9c1b.
func FormByName(name string) (Form, error) {
	switch {
	case name == "rename":
		return Rename{}, nil
	case name == "query":
		return Query{Param: "v"}, nil
	case strings.HasPrefix(name, "query:"):
		q := Query{Param: strings.TrimPrefix(name, "query:")}
		if strings.ContainsAny(q.Param, "?&=#/ ") {
			return nil, fmt.Errorf("invalid query parameter name %q", q.Param)
		}
		return q, nil
	}
	return nil, fmt.Errorf("unknown URL form %q (want query or rename)", name)
}

// Query appends the hash as a query string and leaves the file alone:
// css/main.css?v=3f2a9c1b. With an empty Param the hash is the whole query,
// css/main.css?3f2a9c1b, the form of a template filter that appends the
// file's CRC-32 as ?<crc>.
type Query struct {
	// Param is the query parameter name, usually "v".
	Param string
}

// Name returns "query", or "query:" and the parameter name when it is not "v".
func (q Query) Name() string {
	if q.Param == "v" {
		return "query"
	}
	return "query:" + q.Param
}

func (q Query) sep() string {
	if q.Param == "" {
		return "?"
	}
	return "?" + q.Param + "="
}

// Format returns name?Param=hash.
func (q Query) Format(name, hash string) string {
	return name + q.sep() + hash
}

// Parse splits s at its last query separator.
func (q Query) Parse(s string) (name, hash string, ok bool) {
	i := strings.LastIndex(s, q.sep())
	if i < 0 {
		return "", "", false
	}
	name, hash = s[:i], s[i+len(q.sep()):]
	if !hexdigest.Valid(hash) {
		return "", "", false
	}
	return name, hash, true
}

// File returns name: the query form serves the original file.
func (q Query) File(name, hash string) string { return name }

// Rename puts the hash before the last extension of the file name:
// css/main.css becomes css/main-3f2a9c1b.css, LICENSE becomes LICENSE-3f2a9c1b
// and js/app.min.js becomes js/app.min-3f2a9c1b.js. Dots in directory names
// do not count as extensions.
type Rename struct{}

// Name returns "rename".
func (Rename) Name() string { return "rename" }

// Format returns name with "-" and hash inserted before its extension.
func (Rename) Format(name, hash string) string {
	stem, ext := splitExt(name)
	return stem + "-" + hash + ext
}

// Parse undoes Format: it finds the last "-" before the extension and
// requires a non-empty lowercase hex hash after it.
func (Rename) Parse(s string) (name, hash string, ok bool) {
	stem, ext := splitExt(s)
	i := strings.LastIndexByte(stem, '-')
	if i < 0 || i < strings.LastIndexByte(stem, '/') {
		return "", "", false
	}
	hash = stem[i+1:]
	if !hexdigest.Valid(hash) {
		return "", "", false
	}
	return stem[:i] + ext, hash, true
}

// File returns Format(name, hash): the renamed copy.
func (r Rename) File(name, hash string) string { return r.Format(name, hash) }

// splitExt splits name before the extension of its last element.
func splitExt(name string) (stem, ext string) {
	ext = path.Ext(name)
	return name[:len(name)-len(ext)], ext
}
