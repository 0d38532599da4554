// Package slim installs cachebust's template functions in the slim engine
// of github.com/gofiber/template (slim/v2, github.com/mattn/go-slim), for
// Fiber v2 and v3 apps alike.
//
// Slim calls functions with parentheses, in code lines, in element text and
// in quoted attribute values:
//
//	link rel="stylesheet" href="#{asset_url("css/app.css")}"
//	p #{asset_url("css/app.css")}
//	p = asset_url(script)
//	head #{asset_importmap()}
//	head #{asset_entry("js/main.js")}
//	head == asset_preload("fonts/inter.woff2")
//
// asset_importmap takes no argument and gives the resolver's whole
// <script type="importmap"> element (core.Resolver.ImportMap). go-slim
// prints what #{...} and "==" give as it is, and escapes what "=" gives:
// write it as #{asset_importmap()} or == asset_importmap(), never
// = asset_importmap(). The same goes for asset_entry and asset_preload,
// which give the elements of core.Resolver.EntryHTML and PreloadHTML (an
// entry's module script, modulepreload and stylesheet tags; one asset's
// preload): the resolver escapes their attribute values, so nothing a
// manifest says can leave its attribute.
//
// Slim has no filter or pipe syntax. The engine takes only functions of
// the type func(...slim.Value) (slim.Value, error), and panics at Load on
// any other; Register adds asset_url, asset_integrity, asset_importmap,
// asset_entry and asset_preload in that type,
// resolving with the resolver given to Register; nothing is global. They
// check their argument, and fail the render with an error that wraps the
// resolver's, so errors.Is(err, core.ErrNotFound) holds.
//
// Limits of go-slim itself, whatever the function:
//
//   - A nil value passed to any function, as asset_url(v) with v nil,
//     panics inside go-slim (reflect.Value.Call with a zero Value) before
//     the function runs, and the panic escapes the engine's Render. Give
//     Fiber the Views that Register returns instead of the engine: it
//     returns that panic as an error, so the request fails with 500.
//   - A function named without a call, as #{asset_url}, is printed as its
//     address (0x...), with no error: go-slim looks names of functions and
//     of the render data up in one table and prints what it finds. No
//     function runs, so none can fail: always write the parentheses.
//   - The "| text" lines of Slim are dropped from the output.
//
// The engine copies its functions when it loads. Register comes before
// fiber.New, which takes the Views it returns and loads them; on an engine
// that has loaded, Register loads it again.
package slim

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/template/slim/v2"
	goslim "github.com/mattn/go-slim"

	"github.com/cachebust/cachebust/adapters/fiber/internal/views"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// Register adds asset_url, asset_integrity, asset_importmap, asset_entry
// and asset_preload resolving with r to engine, and loads it again if it has loaded, and returns the
// Views to give Fiber in place of the engine. It fails if engine or r is
// nil, or if that load fails.
func Register(engine *slim.Engine, r *core.Resolver) (*Views, error) {
	if err := views.Check("slim", engine == nil, r); err != nil {
		return nil, err
	}
	err := views.Add("slim", &engine.Engine, engine.Load, map[string]func(...goslim.Value) (goslim.Value, error){
		tmplfunc.URLName:       newFunc(tmplfunc.URLName, r.URL),
		tmplfunc.IntegrityName: newFunc(tmplfunc.IntegrityName, r.Integrity),
		tmplfunc.EntryName:     newFunc(tmplfunc.EntryName, r.EntryHTML),
		tmplfunc.PreloadName:   newFunc(tmplfunc.PreloadName, r.PreloadHTML),
		tmplfunc.ImportMapName: func(args ...goslim.Value) (goslim.Value, error) {
			if len(args) != 0 {
				return nil, fmt.Errorf("%s: %d arguments, want 0", tmplfunc.ImportMapName, len(args))
			}
			s, err := r.ImportMap()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", tmplfunc.ImportMapName, err)
			}
			return s, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &Views{engine: engine}, nil
}

// newFunc returns a function of the type the engine takes, which is not
// the named type goslim.Func.
func newFunc(name string, resolve func(string) (string, error)) func(...goslim.Value) (goslim.Value, error) {
	return func(args ...goslim.Value) (goslim.Value, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("%s: %d arguments, want 1", name, len(args))
		}
		s, err := tmplfunc.Path(args[0])
		if err == nil {
			s, err = resolve(s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return s, nil
	}
}

// Views is a slim engine as the Views of a Fiber app, rendering each
// template as the engine does, except that a panic inside go-slim, such
// as that of a nil value passed to a function, is returned as an error
// rather than escaping Render:
//
//	views, err := cbslim.Register(engine, r)
//	...
//	app := fiber.New(fiber.Config{Views: views})
type Views struct {
	engine *slim.Engine
}

// Load loads the engine's templates, as fiber.New does.
func (v *Views) Load() error { return v.engine.Load() }

// Render renders the template name with binding, inside the layout named
// by layout, if any, as the engine does, and returns a panic inside
// go-slim as an error naming the template.
func (v *Views) Render(out io.Writer, name string, binding any, layout ...string) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		err = fmt.Errorf("cachebust: gofiber slim engine: rendering %s: go-slim panicked: %v", name, p)
		if strings.Contains(fmt.Sprint(p), "zero Value") {
			err = fmt.Errorf("cachebust: gofiber slim engine: rendering %s: go-slim panicked calling a function with a nil value: %v", name, p)
		}
	}()
	return v.engine.Render(out, name, binding, layout...)
}
