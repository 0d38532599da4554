// Package tmplfunc holds what every template adapter shares: the names of
// the template functions, the check of their argument and the wording of
// their errors, so that all engines fail the same way.
package tmplfunc

import (
	"fmt"
	"reflect"

	"github.com/cachebust/cachebust/core"
)

// The names under which every adapter installs its functions.
const (
	URLName       = "asset_url"
	IntegrityName = "asset_integrity"
)

// Path returns the asset path held by v, the argument of the template
// function fn: a string, or a value whose underlying type is string. Any
// other value is an error naming its type.
func Path(fn string, v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case nil:
		return "", fmt.Errorf("%s: argument is nil, want a string asset path", fn)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String(), nil
	}
	return "", fmt.Errorf("%s: argument is %T, want a string asset path", fn, v)
}

// URL returns r's URL for the asset path name, with errors prefixed by
// the function name.
func URL(r *core.Resolver, name string) (string, error) {
	u, err := r.URL(name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", URLName, err)
	}
	return u, nil
}

// Integrity returns r's integrity value for the asset path name, with
// errors prefixed by the function name.
func Integrity(r *core.Resolver, name string) (string, error) {
	v, err := r.Integrity(name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", IntegrityName, err)
	}
	return v, nil
}
