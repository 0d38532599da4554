// Package jet installs cachebust's template functions in Jet
// (github.com/CloudyKit/jet/v6).
//
// Register adds five functions to a *jet.Set; all but asset_importmap are
// usable as a call or in a pipe:
//
//	{{ asset_url("css/app.css") }}        {{ "css/app.css" | asset_url }}
//	{{ asset_integrity("css/app.css") }}  {{ "css/app.css" | asset_integrity }}
//	{{ asset_importmap() }}
//	{{ asset_entry("js/main.js") }}       {{ "js/main.js" | asset_entry }}
//	{{ asset_preload("fonts/inter.woff2") }}
//
// They are AssetFunc values: Go functions of one argument of any type,
// which Jet calls through reflection, and which check the argument
// themselves (a string or a value whose underlying type is string). Jet
// refuses a call with another number of arguments, or with nil. An
// AssetFunc is also a jet.Renderer, so that a template naming it without
// calling it, {{ asset_url }}, fails rather than print the function's
// address. Every failure is a panic with an error, as with Jet's own
// Arguments.Panicf, which Execute recovers and returns: errors.Is works on
// it, so errors.Is(err, core.ErrNotFound) holds for a missing asset in
// strict mode. Output written before the failure stays in the writer.
//
// Jet escapes the URLs with its default escaper, as any string; they need
// none.
//
// asset_importmap, an ImportMapFunc, takes no argument and gives the
// resolver's whole <script type="importmap"> element
// (core.Resolver.ImportMap) as a Raw, which Jet prints as it is, without
// its escaper; named without a call, {{ asset_importmap }}, it prints the
// same. A failure, such as a bare name whose asset is missing in strict
// mode, is a panic with an error, as for the other two.
//
// asset_entry and asset_preload, HTMLFunc values, give the elements of
// core.Resolver.EntryHTML and PreloadHTML (an entry's module script,
// modulepreload and stylesheet tags; one asset's preload) as a Raw too:
// the resolver escapes their attribute values, so nothing a manifest says
// can leave its attribute. They take one argument and fail as AssetFunc
// values do, named without a call too.
package jet

import (
	"errors"
	"fmt"
	"io"

	"github.com/CloudyKit/jet/v6"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to the globals of set. Jet looks
// globals up when it renders, so templates parsed before Register see them
// too; render variables of the same name override them. It fails if set or r is nil.
func Register(set *jet.Set, r *core.Resolver) error {
	switch {
	case set == nil:
		return errors.New("cachebust: registering in jet: set is nil")
	case r == nil:
		return errors.New("cachebust: registering in jet: resolver is nil")
	}
	for name, fn := range Funcs(r) {
		set.AddGlobal(name, fn)
	}
	return nil
}

// Funcs returns asset_url and asset_integrity, AssetFunc values,
// asset_importmap, an ImportMapFunc, and asset_entry and asset_preload,
// HTMLFunc values, resolving with r, for engines that take functions by
// name, such as the gofiber jet engine's AddFunc.
func Funcs(r *core.Resolver) map[string]any {
	return map[string]any{
		tmplfunc.URLName:       newFunc(tmplfunc.URLName, r.URL),
		tmplfunc.IntegrityName: newFunc(tmplfunc.IntegrityName, r.Integrity),
		tmplfunc.ImportMapName: newImportMap(r),
		tmplfunc.EntryName:     newHTMLFunc(tmplfunc.EntryName, r.EntryHTML),
		tmplfunc.PreloadName:   newHTMLFunc(tmplfunc.PreloadName, r.PreloadHTML),
	}
}

// An AssetFunc is a cachebust template function as Jet calls it. It
// returns the result for its argument v, and panics with an error, which
// Jet's Execute returns, when v is not a path or does not resolve.
type AssetFunc func(v any) string

var _ jet.Renderer = AssetFunc(nil)

// Render is what Jet does with an AssetFunc that a template names without
// calling it, {{ asset_url }}: it fails the render with an error saying
// that the function was called without arguments.
func (f AssetFunc) Render(*jet.Runtime) { f(uncalled{}) }

// uncalled is the argument of the call Render makes.
type uncalled struct{}

func newFunc(name string, resolve func(string) (string, error)) AssetFunc {
	return func(v any) string {
		if _, ok := v.(uncalled); ok {
			panic(fmt.Errorf("%s: 0 arguments, want 1", name))
		}
		s, err := tmplfunc.Path(v)
		if err == nil {
			s, err = resolve(s)
		}
		if err != nil {
			panic(fmt.Errorf("%s: %w", name, err))
		}
		return s
	}
}

// An HTMLFunc is asset_entry or asset_preload as Jet calls it. It returns
// the elements for its argument v as a Raw, and panics with an error, which
// Jet's Execute returns, when v is not a path or does not resolve.
type HTMLFunc func(v any) Raw

var _ jet.Renderer = HTMLFunc(nil)

// Render is what Jet does with an HTMLFunc that a template names without
// calling it, {{ asset_entry }}: it fails the render with an error saying
// that the function was called without arguments.
func (f HTMLFunc) Render(*jet.Runtime) { f(uncalled{}) }

func newHTMLFunc(name string, tags func(string) (string, error)) HTMLFunc {
	f := newFunc(name, tags)
	return func(v any) Raw { return Raw(f(v)) }
}

// An ImportMapFunc is asset_importmap as Jet calls it, without arguments.
// It returns the import map element, and panics with an error, which
// Jet's Execute returns, when the resolver fails to give one.
type ImportMapFunc func() Raw

var _ jet.Renderer = ImportMapFunc(nil)

// Render is what Jet does with an ImportMapFunc that a template names
// without calling it, {{ asset_importmap }}: it prints what a call does.
func (f ImportMapFunc) Render(rt *jet.Runtime) { f().Render(rt) }

func newImportMap(r *core.Resolver) ImportMapFunc {
	return func() Raw {
		s, err := r.ImportMap()
		if err != nil {
			panic(fmt.Errorf("%s: %w", tmplfunc.ImportMapName, err))
		}
		return Raw(s)
	}
}

// Raw is text that Jet prints as it is, bypassing the set's escaper: the
// import map element, whose JSON escapes what could end it early, and the
// elements of an entry or a preload, whose attribute values the resolver
// escapes.
type Raw string

var _ jet.Renderer = Raw("")

// Render writes s to the render output unchanged.
func (s Raw) Render(rt *jet.Runtime) {
	if _, err := io.WriteString(rt.Writer, string(s)); err != nil {
		panic(err)
	}
}
