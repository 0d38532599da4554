// Package htmltemplate installs cachebust's template functions in
// html/template and text/template.
//
// Funcs returns a FuncMap with two functions, to be added before the
// templates are parsed:
//
//	{{ "css/app.css" | asset_url }}    or  {{ asset_url "css/app.css" }}
//	{{ "css/app.css" | asset_integrity }}
//
// asset_url gives the busted URL of an asset and asset_integrity its
// Subresource Integrity value, both from one core.Resolver. Errors, such as
// a missing asset in strict mode, fail the template's Execute with an error
// that wraps the resolver's *core.LookupError, so
// errors.Is(err, core.ErrNotFound) holds.
//
// The functions take their argument as any rather than string, so that a
// number, nil or a struct passed by mistake gives an error naming its type,
// worded as in every other cachebust adapter, instead of text/template's own
// conversion error. A value whose underlying type is string is accepted.
package htmltemplate

import (
	"text/template"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// Funcs returns asset_url and asset_integrity resolving with r. The map
// suits both html/template and text/template, whose FuncMap is the same
// type.
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
	}
}
