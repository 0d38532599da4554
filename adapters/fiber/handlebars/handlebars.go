// Package handlebars installs cachebust's template functions in the
// handlebars engine of github.com/gofiber/template (handlebars/v2,
// github.com/mailgun/raymond/v2), for Fiber v2 and v3 apps alike.
//
// After Register, templates call the helpers asset_url, asset_integrity,
// asset_entry and asset_preload with one argument, a string or a variable,
// and asset_importmap with none:
//
//	{{asset_importmap}}
//	{{asset_entry "js/main.js"}}
//	{{asset_preload "fonts/inter.woff2"}}
//	<link rel="stylesheet" href="{{asset_url "css/app.css"}}"
//	      integrity="{{asset_integrity "css/app.css"}}">
//	<script src="{{asset_url script}}"></script>
//
// Handlebars has no filter or pipe syntax. raymond escapes what asset_url
// and asset_integrity return, as any string; asset_importmap returns the
// resolver's whole <script type="importmap"> element
// (core.Resolver.ImportMap) as a raymond.SafeString, which it prints as it
// is, and so do asset_entry and asset_preload with the elements of
// core.Resolver.EntryHTML and PreloadHTML (an entry's module script,
// modulepreload and stylesheet tags; one asset's preload): the resolver
// escapes their attribute values, so nothing a manifest says can leave its
// attribute.
//
// # What is global
//
// raymond keeps helpers in one process-wide table, locked, and panics when
// a name is registered twice; the gofiber engine registers the functions
// given to its AddFunc there at its first Load, so a second engine with
// the same function names would panic in fiber.New. Register therefore
// does not go through AddFunc:
//
//   - The helpers asset_url, asset_integrity, asset_importmap, asset_entry
//     and asset_preload are raymond's, process-wide, registered by the
//     first Register.
//   - They resolve with one resolver per process: the first Register's.
//     Register with that resolver again, for another engine, succeeds;
//     Register with another resolver fails with an error wrapping
//     ErrOtherResolver, rather than switching the resolver of every engine
//     of the process. To follow new manifests, Swap them into the one
//     resolver (core.Resolver.Swap).
//
// Since the helpers are not copied when the engine loads, Register may
// come before or after fiber.New.
//
// # Errors
//
// A missing asset in strict mode, a path that is not a string and the like
// fail the engine's Render with an error naming the asset and the cause,
// which wraps the resolver's, so errors.Is(err, core.ErrNotFound) holds. A
// raymond helper has no error result: the helpers panic with the error,
// and raymond's Exec recovers it and returns it. Nothing escapes Render.
package handlebars

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gofiber/template/handlebars/v2"
	"github.com/mailgun/raymond/v2"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

var (
	registerOnce sync.Once
	registerErr  error
	// defaultResolver is the resolver of the helpers, set once.
	defaultResolver atomic.Pointer[core.Resolver]
)

// ErrOtherResolver is the error, wrapped, of a Register with a resolver
// other than the one raymond's process-wide helpers already resolve with.
var ErrOtherResolver = errors.New("raymond's helpers are process-wide and already resolve with another resolver")

// Register registers the process-wide helpers asset_url, asset_integrity,
// asset_importmap, asset_entry and asset_preload, if no call has yet, resolving with r in every
// handlebars template of the process. It fails if engine or r is nil, if
// an earlier Register gave another resolver (ErrOtherResolver), if engine
// has a function of one of their names, which would make its Load panic,
// or if another package registered a raymond helper of one of their names.
func Register(engine *handlebars.Engine, r *core.Resolver) error {
	if err := views.Check("handlebars", engine == nil, r); err != nil {
		return err
	}
	for _, name := range []string{tmplfunc.URLName, tmplfunc.IntegrityName, tmplfunc.ImportMapName, tmplfunc.EntryName, tmplfunc.PreloadName} {
		if _, ok := engine.FuncMap()[name]; ok {
			return fmt.Errorf("cachebust: gofiber handlebars engine: it has a function named %s, and raymond would panic at Load registering the helper twice", name)
		}
	}
	registerOnce.Do(func() {
		registerErr = errors.Join(
			registerHelper(tmplfunc.URLName, helper(tmplfunc.URLName, (*core.Resolver).URL)),
			registerHelper(tmplfunc.IntegrityName, helper(tmplfunc.IntegrityName, (*core.Resolver).Integrity)),
			registerHelper(tmplfunc.EntryName, safeHelper(tmplfunc.EntryName, (*core.Resolver).EntryHTML)),
			registerHelper(tmplfunc.PreloadName, safeHelper(tmplfunc.PreloadName, (*core.Resolver).PreloadHTML)),
			registerHelper(tmplfunc.ImportMapName, func() raymond.SafeString {
				s, err := defaultResolver.Load().ImportMap()
				if err != nil {
					panic(fmt.Errorf("%s: %w", tmplfunc.ImportMapName, err))
				}
				return raymond.SafeString(s)
			}),
		)
	})
	if registerErr != nil {
		return registerErr
	}
	if !defaultResolver.CompareAndSwap(nil, r) && defaultResolver.Load() != r {
		return fmt.Errorf("cachebust: gofiber handlebars engine: %w; Swap new manifests into that resolver instead", ErrOtherResolver)
	}
	return nil
}

// helper returns the helper name of one argument, which resolves it.
func helper(name string, resolve func(*core.Resolver, string) (string, error)) func(v any) string {
	return func(v any) string {
		if _, ok := v.(*raymond.Options); ok {
			// raymond passes its options in place of a missing argument.
			panic(fmt.Errorf("%s: 0 arguments, want 1", name))
		}
		s, err := tmplfunc.Path(v)
		if err == nil {
			s, err = resolve(defaultResolver.Load(), s)
		}
		if err != nil {
			panic(fmt.Errorf("%s: %w", name, err))
		}
		return s
	}
}

// safeHelper is helper for a helper giving HTML, which raymond prints as
// it is.
func safeHelper(name string, resolve func(*core.Resolver, string) (string, error)) func(v any) raymond.SafeString {
	h := helper(name, resolve)
	return func(v any) raymond.SafeString { return raymond.SafeString(h(v)) }
}

// registerHelper registers one helper, turning raymond's panic on a name
// already taken into an error.
func registerHelper(name string, helper any) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("cachebust: registering handlebars helper %s: %v", name, v)
		}
	}()
	raymond.RegisterHelper(name, helper)
	return nil
}
