package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cachebust/cachebust/internal/urlpath"
)

// The tags around the import map's JSON in the element ImportMap returns.
const (
	importMapOpen  = `<script type="importmap">`
	importMapClose = `</script>`
)

// importMap is the JSON of an import map. encoding/json writes map keys
// sorted, so the same manifest always gives the same bytes.
type importMap struct {
	Imports   map[string]string `json:"imports"`
	Integrity map[string]string `json:"integrity,omitempty"`
}

// ImportMap returns a <script type="importmap"> element for the current
// manifest, for a page of JavaScript modules loaded without a bundler:
//
//	<script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js",…},"integrity":{…}}</script>
//
// Its "imports" map the plain URL of every JavaScript module in the
// manifest (every asset whose name ends in .js or .mjs, in any case)
// under the prefix, such as "/static/js/app.js", to the URL that URL
// gives for it, so that a module imported by a specifier the build did not
// rewrite still loads its fingerprinted copy; and every bare name of
// Options.Imports, such as "app", to the URL of its asset. A key is
// spelled as a browser's URL parser serializes the URL of an import, so
// that the browser matches it: "/static/@scope/pkg/index.js" and
// "/static/js/a+b.js" as written, only spaces, quotes, "#", "?", "%",
// "<", ">", "`", "{", "}", controls and non-ASCII characters
// percent-encoded ("/static/js/my%20mod.js"). With a relative
// prefix ("static/"), the URLs start with "./", as an import map wants.
//
// Its "integrity" holds the integrity value recorded for each of those
// URLs, keyed by the URL, and is left out when none is: browsers that
// support it (Chromium) then check every module they load by that URL,
// imported or not. A module recorded without an integrity value is left
// out of it, in strict mode too: an import map checks what it lists and
// nothing else.
//
// The JSON escapes "<", ">", "&", U+2028 and U+2029 as \uXXXX, so no asset
// path or bare name can end the element early ("</script>") or put the
// HTML parser into another state ("<!--", "<script"), and the element is
// the same bytes in every template engine, which must print it unescaped.
//
// A bare name whose asset is missing from the manifest maps to its plain
// URL, logged as URL logs it, or, in strict mode, makes ImportMap fail
// with an error naming the name and wrapping a *LookupError for ErrNotFound.
//
// The element is built once per manifest, on first use after New or Swap;
// later calls cost no allocation. An HTML page may hold only one import
// map, before the first module it maps.
func (r *Resolver) ImportMap() (string, error) {
	return r.current().importMap()
}

// ImportMapJSON returns the JSON of the element ImportMap returns, for a
// page that writes the element itself, for example to give it the nonce of
// a Content-Security-Policy. It is safe as it is between the element's
// tags, with the same escaping; it fails when ImportMap does.
func (r *Resolver) ImportMapJSON() (string, error) {
	s, err := r.ImportMap()
	if err != nil {
		return "", err
	}
	return s[len(importMapOpen) : len(s)-len(importMapClose)], nil
}

// buildImportMap returns the element of ImportMap for t.
func (r *Resolver) buildImportMap(t *table) (string, error) {
	im := importMap{Imports: map[string]string{}, Integrity: map[string]string{}}
	add := func(key, url, integrity string) {
		url = importURL(url)
		im.Imports[key] = url
		if integrity != "" {
			im.Integrity[url] = integrity
		}
	}
	for name, a := range t.manifest.Assets {
		if isModule(name) {
			add(importURL(r.prefix+importKeyPath(name)), t.urls[name], a.Integrity)
		}
	}
	// Bare names in sorted order, so that strict mode always reports the
	// same missing one.
	for _, bare := range slices.Sorted(maps.Keys(r.imports)) {
		name := r.imports[bare]
		u, ok := t.urls[name]
		switch {
		case ok:
		case r.strict:
			return "", fmt.Errorf("import map: import %q: %w", bare, &LookupError{Name: name, Err: ErrNotFound})
		default:
			u = r.fallback(name)
		}
		add(bare, u, t.manifest.Assets[name].Integrity)
	}
	if len(im.Integrity) == 0 {
		im.Integrity = nil
	}
	// Marshal escapes <, >, & and U+2028/9 (json.HTMLEscape); nothing else
	// in JSON can end or change the state of a script element.
	data, err := json.Marshal(im)
	if err != nil {
		return "", fmt.Errorf("import map: %w", err)
	}
	return importMapOpen + string(data) + importMapClose, nil
}

// importKeyPath returns the asset path name as a browser's URL parser
// (WHATWG URL, path state) serializes it, for the key of an import map,
// which the browser compares with the URL of an import as serialized:
// "@", "+" and the other printable ASCII characters stay as written, and
// only the path percent-encode set is escaped, with upper-case hex digits:
// C0 controls, space, '"', "#", "<", ">", "?", "`", "{", "}", DEL and
// every byte of a non-ASCII character. A "%" is escaped too, since a file
// name's "%" is a character, not the start of an escape.
func importKeyPath(name string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !inPathEncodeSet(c) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(name)+8), name[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return name
	}
	return string(b)
}

// inPathEncodeSet reports whether importKeyPath escapes c.
func inPathEncodeSet(c byte) bool {
	return c <= 0x20 || c >= 0x7F || strings.IndexByte("\"#<>?`{}%", c) >= 0
}

// isModule reports whether the asset name is a JavaScript module: its
// extension is .js or .mjs, in any case.
func isModule(name string) bool {
	ext := path.Ext(name)
	return strings.EqualFold(ext, ".js") || strings.EqualFold(ext, ".mjs")
}

// importURL returns u as an import map takes it: an absolute URL, or a
// path starting with "/", "./" or "../". A relative path, as a relative
// prefix gives, gets "./" before it; an import map would read it as a bare
// name.
func importURL(u string) string {
	if isAbsURL(u) || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "./") || strings.HasPrefix(u, "../") {
		return u
	}
	return "./" + u
}

// cleanImports checks the bare names of Options.Imports and returns them
// with their asset paths cleaned.
func cleanImports(imports map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(imports))
	for _, bare := range slices.Sorted(maps.Keys(imports)) {
		if err := checkBare(bare); err != nil {
			return nil, fmt.Errorf("import %q: %w", bare, err)
		}
		name, err := cleanName(imports[bare])
		if err != nil {
			return nil, fmt.Errorf("import %q: asset path %q: %w", bare, imports[bare], err)
		}
		out[bare] = name
	}
	return out, nil
}

// checkBare checks that s is a bare module specifier an import map can
// map to one asset.
func checkBare(s string) error {
	switch {
	case s == "":
		return errors.New("empty name")
	case !utf8.ValidString(s):
		return errors.New("name is not valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		return errors.New("name holds a control character")
	case strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || urlpath.HasScheme(s):
		// The import map already maps the plain URL of every module.
		return errors.New("not a bare name: a URL or a path starting with /, ./ or ../")
	case strings.HasSuffix(s, "/"):
		return errors.New("a name ending in / maps a URL prefix, which fingerprinted files do not share; name each module")
	}
	return nil
}
