package core

import (
	"html"
	"path"
	"slices"
	"strings"

	"github.com/cachebust/cachebust/internal/urlpath"
)

// Tag is one element a page's head needs for an asset: a module script, a
// stylesheet or a preload. Resolver.Entry and Resolver.Preload make them;
// HTML prints the element and Link the value of a Link header for it, as
// 103 Early Hints send.
//
// A preload is used only if it matches the request the page makes later
// for the same URL in its crossorigin mode and integrity, or the browser
// fetches the asset twice. Tags follow these rules:
//
//   - A module script and a modulepreload carry the manifest's integrity
//     value and no crossorigin: a module is always fetched in CORS mode
//     with credentials for the same origin only, which is what both do
//     without the attribute, and a preloaded module is found again by its
//     URL alone.
//   - A stylesheet and its preload (as "style") carry the manifest's
//     integrity value, and crossorigin when they have one and the URL is
//     absolute (a prefix or an asset on another host): a stylesheet of
//     another origin can be checked only if fetched with CORS. A preload
//     of a stylesheet a stylesheet @imports carries neither, as the
//     @import's own request.
//   - A font preload always carries crossorigin and no integrity, as the
//     request of a stylesheet's @font-face: fonts are fetched in CORS
//     mode, even from the page's origin.
//   - An image preload carries neither, as an <img> or a url() image.
//   - Any other preload (as "fetch") carries crossorigin and no integrity,
//     as a fetch() call with its defaults.
type Tag struct {
	// Rel is "script" (a <script type="module">), "stylesheet",
	// "modulepreload" or "preload".
	Rel string
	// URL is the asset's URL, as Resolver.URL gives it.
	URL string
	// As is, for "preload", the destination: "style", "font", "image",
	// "script" or "fetch"; else "".
	As string
	// Type is the MIME type of a font preload, such as "font/woff2";
	// else "".
	Type string
	// Integrity is the manifest's integrity value, if any and if the tag
	// may carry one (see above).
	Integrity string
	// CrossOrigin prints the crossorigin attribute (anonymous).
	CrossOrigin bool
}

// HTML returns the element of t, its attribute values escaped, such as
//
//	<script type="module" src="/static/app.3f2a.js" integrity="sha384-…"></script>
//	<link rel="modulepreload" href="/static/b.3f2a.js">
//	<link rel="preload" href="/static/f.9c1d.woff2" as="font" type="font/woff2" crossorigin>
//
// It returns "" for a Tag whose Rel is none of those Tag names.
func (t Tag) HTML() string {
	var b strings.Builder
	attr := func(name, value string) {
		if value != "" {
			b.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
		}
	}
	switch t.Rel {
	case "script":
		b.WriteString(`<script type="module"`)
		attr("src", t.URL)
	case "stylesheet", "modulepreload", "preload":
		b.WriteString(`<link rel="` + t.Rel + `"`)
		attr("href", t.URL)
		if t.Rel == "preload" {
			attr("as", t.As)
			attr("type", t.Type)
		}
	default:
		return ""
	}
	attr("integrity", t.Integrity)
	if t.CrossOrigin {
		b.WriteString(" crossorigin")
	}
	b.WriteString(">")
	if t.Rel == "script" {
		b.WriteString("</script>")
	}
	return b.String()
}

// Link returns the value of a Link header that preloads what t loads, for
// 103 Early Hints and for the response that follows them, such as
//
//	</static/b.3f2a.js>; rel=modulepreload
//	</static/app.css>; rel=preload; as=style
//	</static/f.9c1d.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin
//
// A module script is preloaded as a modulepreload and a stylesheet as a
// preload of a style, with the same integrity and crossorigin, so that
// the element that follows uses what the hint fetched. It returns "" for a
// Tag whose Rel is none of those Tag names.
func (t Tag) Link() string {
	rel, as := t.Rel, t.As
	switch t.Rel {
	case "script":
		rel, as = "modulepreload", ""
	case "stylesheet":
		rel, as = "preload", "style"
	case "modulepreload":
		as = ""
	case "preload":
	default:
		return ""
	}
	var b strings.Builder
	b.WriteString("<" + linkURL(t.URL) + ">; rel=" + rel)
	if as != "" {
		b.WriteString("; as=" + linkToken(as))
	}
	if t.Type != "" && rel == "preload" {
		b.WriteString(`; type="` + linkQuoted(t.Type) + `"`)
	}
	if t.Integrity != "" {
		b.WriteString(`; integrity="` + linkQuoted(t.Integrity) + `"`)
	}
	if t.CrossOrigin {
		b.WriteString("; crossorigin")
	}
	return b.String()
}

// linkURL returns u fit to stand between "<" and ">" in a header: the
// URLs a Resolver gives out are, and any other byte a header cannot
// hold, or ">", is percent-encoded.
func linkURL(u string) string {
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f || c == '>' || c == '<' || c == '"' {
			return escapeBytes(u, func(c byte) bool { return c <= ' ' || c >= 0x7f || c == '>' || c == '<' || c == '"' })
		}
	}
	return u
}

// linkToken returns s if it is a token of a header parameter, else s with
// every other byte dropped.
func linkToken(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.' || r == '_' {
			return r
		}
		return -1
	}, s)
}

// linkQuoted returns s fit to stand in a quoted string of a header: quotes,
// backslashes and bytes a header cannot hold are dropped.
func linkQuoted(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r >= 0x7f || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, s)
}

// escapeBytes percent-encodes the bytes of s for which bad is true.
func escapeBytes(s string, bad func(byte) bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; bad(c) {
			b.WriteString("%" + string(hex[c>>4]) + string(hex[c&15]))
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// assetKind is what a page does with an asset, known from its extension.
type assetKind int

const (
	kindOther assetKind = iota
	kindModule
	kindStyle
	kindFont
	kindImage
)

// fontTypes are the MIME types of the fonts a preload names.
var fontTypes = map[string]string{".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}

// imageExts are the extensions of images, preloaded as "image".
var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true, ".svg": true, ".ico": true, ".bmp": true}

// kindOf returns the kind of the asset at the path p, from its extension
// in any case, and the MIME type of a font.
func kindOfPath(p string) (assetKind, string) {
	ext := strings.ToLower(path.Ext(p))
	switch {
	case ext == ".js" || ext == ".mjs":
		return kindModule, ""
	case ext == ".css":
		return kindStyle, ""
	case fontTypes[ext] != "":
		return kindFont, fontTypes[ext]
	case imageExts[ext]:
		return kindImage, ""
	}
	return kindOther, ""
}

// kind returns the kind of the asset name, a, which ok tells is in the
// manifest: that of the file that serves it (a Vite chunk "src/main.ts"
// is served by a .js file), else of its name.
func kind(name string, a Asset, ok bool) (assetKind, string) {
	switch {
	case ok && a.File != "":
		return kindOfPath(a.File)
	case ok && a.ExternalURL != "":
		u := a.ExternalURL
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		return kindOfPath(u)
	}
	return kindOfPath(name)
}

// kindOfAsset returns the kind of the asset name of the manifest, a.
func kindOfAsset(name string, a Asset) assetKind {
	k, _ := kind(name, a, true)
	return k
}

// isAbsolute reports whether the URL u, as a Resolver gives it, names a
// host: then it may be of another origin than the page.
func isAbsolute(u string) bool { return isAbsURL(u) }

// lookup returns the clean name of name, its asset if the manifest t has
// it, and its URL as URL gives it.
func (r *Resolver) lookup(t *table, name string) (string, Asset, bool, string, error) {
	clean := name
	if _, ok := t.urls[name]; !ok {
		c, err := cleanName(name)
		if err != nil {
			return "", Asset{}, false, "", &LookupError{Name: name, Err: err}
		}
		clean = c
	}
	if u, ok := t.urls[clean]; ok {
		return clean, t.manifest.Assets[clean], true, u, nil
	}
	if r.strict {
		return "", Asset{}, false, "", &LookupError{Name: name, Err: ErrNotFound}
	}
	return clean, Asset{}, false, r.fallback(clean), nil
}

// Preload returns the tag that preloads the asset name itself, by the
// extension of its file: a modulepreload for a module (.js, .mjs); a
// preload as "style" for a stylesheet (.css); as "font", with its type
// and crossorigin, for a font (.woff2, .woff, .ttf, .otf); as "image"
// for an image (.png, .jpg, .jpeg, .gif, .webp, .avif, .svg, .ico,
// .bmp); and as "fetch", with crossorigin, for anything else. Its
// integrity and crossorigin follow the rules of Tag, so that the page's
// later request for the asset uses it. An asset missing from the
// manifest is handled as URL does: its plain URL, or in strict mode a
// *LookupError. With Options.ViteDevServer set, the URL is the dev
// server's.
func (r *Resolver) Preload(name string) (Tag, error) {
	if r.devServer != "" {
		clean, err := cleanName(name)
		if err != nil {
			return Tag{}, &LookupError{Name: name, Err: err}
		}
		k, typ := kindOfPath(clean)
		return preloadTag(k, typ, r.devServer+urlpath.EscapePath(clean), ""), nil
	}
	_, a, ok, u, err := r.lookup(r.current(), name)
	if err != nil {
		return Tag{}, err
	}
	k, typ := kind(name, a, ok)
	return preloadTag(k, typ, u, a.Integrity), nil
}

// preloadTag returns the preload of an asset of kind k, with the font
// type typ, at the URL u, whose integrity value is integrity.
func preloadTag(k assetKind, typ, u, integrity string) Tag {
	switch k {
	case kindModule:
		return Tag{Rel: "modulepreload", URL: u, Integrity: integrity}
	case kindStyle:
		t := styleTag(u, integrity)
		t.Rel, t.As = "preload", "style"
		return t
	case kindFont:
		return Tag{Rel: "preload", URL: u, As: "font", Type: typ, CrossOrigin: true}
	case kindImage:
		return Tag{Rel: "preload", URL: u, As: "image"}
	}
	return Tag{Rel: "preload", URL: u, As: "fetch", CrossOrigin: true}
}

// styleTag returns the stylesheet at the URL u, whose integrity value is
// integrity.
func styleTag(u, integrity string) Tag {
	return Tag{Rel: "stylesheet", URL: u, Integrity: integrity, CrossOrigin: integrity != "" && isAbsolute(u)}
}

// PreloadHTML returns the element of Preload's tag.
func (r *Resolver) PreloadHTML(name string) (string, error) {
	t, err := r.Preload(name)
	if err != nil {
		return "", err
	}
	return t.HTML(), nil
}

// Entry returns the tags a page's head needs to load the asset name and
// what it needs at once, from the graph of the manifest (Asset.Imports
// and Asset.CSS), with no file read:
//
//   - For a module (a file ending in .js or .mjs, such as a Vite chunk):
//     a stylesheet for each file of the CSS of the entry and then of the
//     modules of its static import closure, each once; the module script
//     of the entry; a modulepreload for each module of the closure. The
//     closure is walked depth first, a module after the modules it
//     imports, each once. Dynamic imports are not in the graph and stay
//     lazy. For a key of a Vite manifest (see ViteManifest.Manifest) these
//     are exactly the tags of Vite's backend integration guide.
//   - For a stylesheet (.css): the stylesheet, and a preload as "style"
//     of each stylesheet of its @import closure, so that they load at once
//     rather than one level after the other.
//   - For any other asset: the tag of Preload.
//
// Integrity and crossorigin follow the rules of Tag. An asset missing
// from the manifest is handled as URL does, with no graph. With
// Options.ViteDevServer set, Entry gives the tags of Vite's dev server
// instead: the module script of its client, DEV/@vite/client, then the
// module script of DEV/name (a stylesheet of DEV/name for a .css name),
// the name unescaped but for percent-encoding, as the dev server serves
// its sources.
//
// The tags of an asset of the manifest are worked out once per manifest,
// on first use; later calls cost a copy of the slice, and EntryHTML none.
func (r *Resolver) Entry(name string) ([]Tag, error) {
	e, err := r.entry(name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(e.tags), nil
}

// entryTags are the tags of Entry for a name, and their HTML.
type entryTags struct {
	tags []Tag
	html string
}

// entry returns the tags of Entry for name, from the current table's
// cache if they are there, and puts those of an asset of the manifest
// there.
func (r *Resolver) entry(name string) (*entryTags, error) {
	if r.devServer != "" {
		tags, err := r.devEntry(name)
		if err != nil {
			return nil, err
		}
		return newEntryTags(tags), nil
	}
	t := r.current()
	if e, ok := t.entries.Load(name); ok {
		return e.(*entryTags), nil
	}
	clean, a, ok, u, err := r.lookup(t, name)
	if err != nil {
		return nil, err
	}
	if e, ok := t.entries.Load(clean); ok {
		return e.(*entryTags), nil
	}
	var tags []Tag
	switch k, typ := kind(name, a, ok); k {
	case kindModule:
		tags = r.moduleEntry(t, clean, a, u)
	case kindStyle:
		tags = []Tag{styleTag(u, a.Integrity)}
		for _, imp := range closure(clean, t.imports) {
			if kindOfAsset(imp, t.manifest.Assets[imp]) == kindStyle {
				tags = append(tags, Tag{Rel: "preload", URL: t.urls[imp], As: "style"})
			}
		}
	default:
		tags = []Tag{preloadTag(k, typ, u, a.Integrity)}
	}
	e := newEntryTags(tags)
	if ok {
		// Only assets of the manifest: their number bounds the cache.
		t.entries.Store(clean, e)
	}
	return e, nil
}

// newEntryTags returns tags with their HTML.
func newEntryTags(tags []Tag) *entryTags {
	var b strings.Builder
	for i, t := range tags {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t.HTML())
	}
	return &entryTags{tags: tags, html: b.String()}
}

// moduleEntry returns the tags of the module entry clean, the asset a at
// the URL u in t.
func (r *Resolver) moduleEntry(t *table, clean string, a Asset, u string) []Tag {
	imported := closure(clean, t.imports)
	var tags []Tag
	for _, css := range attachedCSS(clean, imported, t.css) {
		tags = append(tags, styleTag(t.urls[css], t.manifest.Assets[css].Integrity))
	}
	tags = append(tags, Tag{Rel: "script", URL: u, Integrity: a.Integrity})
	for _, imp := range imported {
		// A module may import what is no script, such as a JSON module:
		// it is not preloaded as a module.
		if b := t.manifest.Assets[imp]; kindOfAsset(imp, b) == kindModule {
			tags = append(tags, Tag{Rel: "modulepreload", URL: t.urls[imp], Integrity: b.Integrity})
		}
	}
	return tags
}

// devEntry returns the tags of Entry with a Vite dev server.
func (r *Resolver) devEntry(name string) ([]Tag, error) {
	clean, err := cleanName(name)
	if err != nil {
		return nil, &LookupError{Name: name, Err: err}
	}
	tags := []Tag{{Rel: "script", URL: r.devServer + "@vite/client"}}
	u := r.devServer + urlpath.EscapePath(clean)
	if k, _ := kindOfPath(clean); k == kindStyle {
		return append(tags, Tag{Rel: "stylesheet", URL: u}), nil
	}
	return append(tags, Tag{Rel: "script", URL: u}), nil
}

// EntryHTML returns the elements of Entry's tags, one a line ("\n" between
// them, none after the last).
func (r *Resolver) EntryHTML(name string) (string, error) {
	e, err := r.entry(name)
	if err != nil {
		return "", err
	}
	return e.html, nil
}

// closure returns the names start imports, directly or not, following
// next, each once and never start itself: depth first, a name after the
// names it imports, in the order next gives them. It is the order of
// Vite's backend integration guide.
func closure(start string, next func(string) []string) []string {
	var out []string
	seen := map[string]bool{start: true}
	var walk func(name string)
	walk = func(name string) {
		for _, imp := range next(name) {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			walk(imp)
			out = append(out, imp)
		}
	}
	walk(start)
	return out
}

// attachedCSS returns the stylesheets of entry and then of each of
// modules, in order, each once, following css.
func attachedCSS(entry string, modules []string, css func(string) []string) []string {
	var files []string
	seen := make(map[string]bool)
	for _, name := range append([]string{entry}, modules...) {
		for _, f := range css(name) {
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	return files
}

// imports returns the Imports of the asset name in t.
func (t *table) imports(name string) []string { return t.manifest.Assets[name].Imports }

// css returns the CSS of the asset name in t.
func (t *table) css(name string) []string { return t.manifest.Assets[name].CSS }
