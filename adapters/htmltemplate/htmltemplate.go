// Package htmltemplate installs cachebust's template functions in
// html/template and text/template.
//
// Funcs returns a FuncMap with five functions, to be added before the
// templates are parsed:
//
//	{{ "css/app.css" | asset_url }}    or  {{ asset_url "css/app.css" }}
//	{{ "css/app.css" | asset_integrity }}
//	{{ asset_importmap }}
//	{{ asset_entry "js/main.js" }}     or  {{ "js/main.js" | asset_entry }}
//	{{ asset_preload "fonts/inter.woff2" }}
//
// asset_url gives the busted URL of an asset and asset_integrity its
// Subresource Integrity value, both from one core.Resolver. asset_importmap
// takes no argument and gives the resolver's whole
// <script type="importmap"> element (core.Resolver.ImportMap), as an
// html/template.HTML, which html/template prints as it is in HTML text
// and text/template prints like any string; put it in the page's head,
// before the first module script. asset_entry and asset_preload give the
// elements of core.Resolver.EntryHTML and PreloadHTML, also as an
// html/template.HTML: the module script, modulepreload and stylesheet tags
// of an entry, and the preload of one asset (a font, an image), for the
// page's head. Their attribute values are escaped by the resolver, so
// nothing a manifest says can leave its attribute. Errors, such as a
// missing asset in strict mode, fail the template's Execute with an error
// that wraps the resolver's *core.LookupError, so
// errors.Is(err, core.ErrNotFound) holds.
//
// The functions of a path take their argument as any rather than
// string, so that a number, nil or a struct passed by mistake gives an
// error naming its type, worded as in every other cachebust adapter,
// instead of text/template's own conversion error. A value whose
// underlying type is string is accepted.
package htmltemplate

import (
	htmltemplate "html/template"
	"text/template"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// Funcs returns asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r. The map suits both html/template and text/template, whose
// FuncMap is the same type.
func Funcs(r *core.Resolver) template.FuncMap {
	return template.FuncMap{
		tmplfunc.URLName: func(v any) (string, error) {
			s, err := tmplfunc.Path(v)
			if err != nil {
				return "", err
			}
			return r.URL(s)
		},
		tmplfunc.IntegrityName: func(v any) (string, error) {
			s, err := tmplfunc.Path(v)
			if err != nil {
				return "", err
			}
			return r.Integrity(s)
		},
		tmplfunc.ImportMapName: func() (htmltemplate.HTML, error) {
			s, err := r.ImportMap()
			return htmltemplate.HTML(s), err
		},
		tmplfunc.EntryName:   htmlFunc(r.EntryHTML),
		tmplfunc.PreloadName: htmlFunc(r.PreloadHTML),
	}
}

// htmlFunc returns a template function of one path giving the elements
// tags gives for it, as HTML that html/template prints as it is.
func htmlFunc(tags func(string) (string, error)) func(v any) (htmltemplate.HTML, error) {
	return func(v any) (htmltemplate.HTML, error) {
		s, err := tmplfunc.Path(v)
		if err != nil {
			return "", err
		}
		s, err = tags(s)
		return htmltemplate.HTML(s), err
	}
}
