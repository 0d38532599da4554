// Package pongo2 installs cachebust's template functions in pongo2
// (github.com/flosch/pongo2/v6), the Django-like engine.
//
// Templates can call them as functions or apply them as filters:
//
//	{{ asset_url("css/app.css") }}        {{ "css/app.css"|asset_url }}
//	{{ asset_integrity("css/app.css") }}  {{ "css/app.css"|asset_integrity }}
//	{{ asset_importmap() }}
//	{{ asset_entry("js/main.js") }}       {{ "js/main.js"|asset_entry }}
//	{{ asset_preload("fonts/inter.woff2") }}
//
// asset_importmap is a function only, without arguments: it gives the
// resolver's whole <script type="importmap"> element
// (core.Resolver.ImportMap) as a safe value, which autoescape leaves as it
// is. pongo2 calls a function named without parentheses too, so
// {{ asset_importmap }} prints the same. asset_entry and asset_preload give
// the elements of core.Resolver.EntryHTML and PreloadHTML (an entry's
// module script, modulepreload and stylesheet tags; one asset's preload)
// as safe values too: the resolver escapes their attribute values, so
// nothing a manifest says can leave its attribute.
//
// # What is global
//
// pongo2 keeps filters in one process-wide table, without a lock, and a
// filter never sees the template set or the render context it runs in. So:
//
//   - The filters asset_url, asset_integrity, asset_entry and
//     asset_preload are process-wide. They are
//     registered once, by the first call of RegisterFilters, SetDefault or
//     Register; later calls do nothing. Make that first call before any
//     template is parsed, in main or TestMain: pongo2 resolves filters when
//     it parses, and writing its table while another goroutine parses is a
//     data race no lock of ours can prevent.
//   - The filters resolve with the default resolver, one per process, set
//     by SetDefault and replaceable at any time; the Register of
//     github.com/cachebust/cachebust/adapters/fiber/django sets it too.
//     Without one they fail.
//   - The function syntax is per TemplateSet: Register puts functions into
//     the set's Globals that resolve with the resolver given, and Funcs
//     returns them for a render Context, where they override the set's.
//     Two resolvers in one process are each reachable this way.
//
// pongo2's process-wide autoescape (on by default) escapes the URLs the
// functions return, as it escapes any string.
//
// # Errors
//
// A filter fails with a *pongo2.Error whose Sender is "filter:" and its
// name, such as "filter:asset_url", and whose OrigError is the resolver's error; a
// function fails with an error pongo2 rebuilds from the message. pongo2's
// errors do not unwrap, so errors.Is(err, core.ErrNotFound) does not hold on
// what Execute returns; the message names the asset and the cause. Neither
// panics.
package pongo2

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/flosch/pongo2/v6"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

var (
	registerOnce sync.Once
	registerErr  error
	// defaultResolver is the resolver of the filters.
	defaultResolver atomic.Pointer[core.Resolver]
)

// RegisterFilters registers the filters asset_url, asset_integrity,
// asset_entry and asset_preload in pongo2's process-wide table. Only the first call registers; every call
// returns its result, and calls may come from several goroutines. It fails
// if another package registered a filter of the same name.
func RegisterFilters() error {
	registerOnce.Do(func() {
		registerErr = errors.Join(
			register(tmplfunc.URLName, (*core.Resolver).URL, pongo2.AsValue),
			register(tmplfunc.IntegrityName, (*core.Resolver).Integrity, pongo2.AsValue),
			register(tmplfunc.EntryName, (*core.Resolver).EntryHTML, pongo2.AsSafeValue),
			register(tmplfunc.PreloadName, (*core.Resolver).PreloadHTML, pongo2.AsSafeValue),
		)
	})
	return registerErr
}

// register registers the filter name, which resolves its input and makes
// a value of the result with value: pongo2.AsSafeValue for HTML that
// autoescape leaves as it is.
func register(name string, resolve func(*core.Resolver, string) (string, error), value func(any) *pongo2.Value) error {
	sender := "filter:" + name
	err := pongo2.RegisterFilter(name, func(in, param *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
		if !param.IsNil() {
			return nil, &pongo2.Error{Sender: sender, OrigError: fmt.Errorf("%s takes no argument", name)}
		}
		r := defaultResolver.Load()
		if r == nil {
			return nil, &pongo2.Error{Sender: sender, OrigError: errors.New("no default resolver: call cachebust's pongo2.SetDefault first")}
		}
		s, err := tmplfunc.Path(in.Interface())
		if err == nil {
			s, err = resolve(r, s)
		}
		if err != nil {
			return nil, &pongo2.Error{Sender: sender, OrigError: err}
		}
		return value(s), nil
	})
	if err != nil {
		return fmt.Errorf("cachebust: registering pongo2 filter %s: %w", name, err)
	}
	return nil
}

// SetDefault registers the filters, if no call has yet, and makes r the
// resolver they use, in every template set of the process.
func SetDefault(r *core.Resolver) error {
	if err := RegisterFilters(); err != nil {
		return err
	}
	defaultResolver.Store(r)
	return nil
}

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to the Globals of set, for the
// function syntax, and registers the filters, if no call has yet. It does not change the filters' default resolver. It
// fails if set or r is nil.
func Register(set *pongo2.TemplateSet, r *core.Resolver) error {
	switch {
	case set == nil:
		return errors.New("cachebust: registering in pongo2: template set is nil")
	case r == nil:
		return errors.New("cachebust: registering in pongo2: resolver is nil")
	}
	set.Globals.Update(Funcs(r))
	return RegisterFilters()
}

// Funcs returns asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r, as a Context to merge into a set's Globals or a render Context.
func Funcs(r *core.Resolver) pongo2.Context {
	return pongo2.Context{
		tmplfunc.URLName: func(v *pongo2.Value) (string, error) {
			s, err := tmplfunc.Path(v.Interface())
			if err != nil {
				return "", err
			}
			return r.URL(s)
		},
		tmplfunc.IntegrityName: func(v *pongo2.Value) (string, error) {
			s, err := tmplfunc.Path(v.Interface())
			if err != nil {
				return "", err
			}
			return r.Integrity(s)
		},
		tmplfunc.ImportMapName: func() (*pongo2.Value, error) {
			s, err := r.ImportMap()
			if err != nil {
				return nil, err
			}
			return pongo2.AsSafeValue(s), nil
		},
		tmplfunc.EntryName:   htmlFunc(r.EntryHTML),
		tmplfunc.PreloadName: htmlFunc(r.PreloadHTML),
	}
}

// htmlFunc returns a function of one path giving the elements tags gives
// for it as a safe value.
func htmlFunc(tags func(string) (string, error)) func(v *pongo2.Value) (*pongo2.Value, error) {
	return func(v *pongo2.Value) (*pongo2.Value, error) {
		s, err := tmplfunc.Path(v.Interface())
		if err == nil {
			s, err = tags(s)
		}
		if err != nil {
			return nil, err
		}
		return pongo2.AsSafeValue(s), nil
	}
}
