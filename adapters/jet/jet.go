// Package jet installs cachebust's template functions in Jet
// (github.com/CloudyKit/jet/v6).
//
// Install adds two functions to a *jet.Set, each usable as a call or in a
// pipe:
//
//	{{ asset_url("css/app.css") }}        {{ "css/app.css" | asset_url }}
//	{{ asset_integrity("css/app.css") }}  {{ "css/app.css" | asset_integrity }}
//
// They are jet.Func values, not plain Go functions: Jet silently drops the
// error a plain function returns, and panics out of Execute when a number
// literal (a float64 in Jet) meets a string parameter. These functions
// check their argument themselves, accepting a string or a value whose
// underlying type is string, and report every failure through
// Arguments.Panicf, which Execute turns into its returned error: errors.Is
// works on it, so errors.Is(err, core.ErrNotFound) holds for a missing
// asset in strict mode. Output written before the failure stays in the
// writer.
//
// Jet escapes the URLs with its default escaper, as any string.
package jet

import (
	"reflect"

	"github.com/CloudyKit/jet/v6"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// Install adds asset_url and asset_integrity resolving with r to the
// globals of set. Jet looks globals up when it renders, so templates
// parsed before Install see them too; render variables of the same name
// override them.
func Install(set *jet.Set, r *core.Resolver) {
	for name, fn := range Funcs(r) {
		set.AddGlobalFunc(name, fn)
	}
}

// Funcs returns asset_url and asset_integrity resolving with r, for
// engines that take jet.Func values by name, such as the gofiber jet
// engine's AddFunc.
func Funcs(r *core.Resolver) map[string]jet.Func {
	return map[string]jet.Func{
		tmplfunc.URLName:       newFunc(tmplfunc.URLName, r.URL),
		tmplfunc.IntegrityName: newFunc(tmplfunc.IntegrityName, r.Integrity),
	}
}

func newFunc(name string, resolve func(string) (string, error)) jet.Func {
	return func(a jet.Arguments) reflect.Value {
		if n := a.NumOfArguments(); n != 1 {
			a.Panicf("%s: %d arguments, want 1", name, n)
		}
		s, err := path(a.Get(0))
		if err == nil {
			s, err = resolve(s)
		}
		if err != nil {
			a.Panicf("%s: %w", name, err)
		}
		return reflect.ValueOf(s)
	}
}

// path returns the asset path v holds, without allocating for a string.
func path(v reflect.Value) (string, error) {
	if v.Kind() == reflect.String {
		return v.String(), nil
	}
	if !v.IsValid() {
		return tmplfunc.Path(nil)
	}
	return tmplfunc.Path(v.Interface())
}
