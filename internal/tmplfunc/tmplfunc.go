// Package tmplfunc holds what every template adapter shares: the names of
// the template functions and the check of their argument, so that all
// engines fail the same way.
package tmplfunc

import (
	"fmt"
	"reflect"
)

// The names under which every adapter installs its functions.
const (
	URLName       = "asset_url"
	IntegrityName = "asset_integrity"
	ImportMapName = "asset_importmap"
	// EntryName prints the tags of an entry (core.Resolver.EntryHTML).
	EntryName = "asset_entry"
	// PreloadName prints the preload of one asset
	// (core.Resolver.PreloadHTML).
	PreloadName = "asset_preload"
)

// Path returns the asset path held by v, the argument of a template
// function: a string, or a value whose underlying type is string. Any
// other value is an error naming its type. The error does not name the
// function, which every engine's own message does.
func Path(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case nil:
		return "", fmt.Errorf("asset path is nil, not a string")
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String(), nil
	}
	return "", fmt.Errorf("asset path is %T, not a string", v)
}
