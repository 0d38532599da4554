// Package templ gives templ components (github.com/a-h/templ) cachebust's
// URLs, integrity values and import map, from a resolver the request's
// context carries.
//
// Middleware, or WithResolver, puts a *core.Resolver in the context; templ
// passes the context to every component as ctx, so a .templ file, with
// this package imported as cbtempl, writes:
//
//	<link rel="stylesheet" href={ cbtempl.URL(ctx, "css/app.css") }>
//	<img src={ cbtempl.URL(ctx, "img/logo.svg") } alt="">
//	@cbtempl.ImportMap()
//	@cbtempl.Stylesheet("css/app.css")
//	@cbtempl.Script("js/app.js")
//	@cbtempl.Module("js/main.js")
//	@cbtempl.Entry("js/main.js")
//	@cbtempl.Preload("fonts/inter.woff2")
//
// URL and Integrity return a string and an error, which templ accepts in
// text and attributes: a failure, such as a missing asset in strict mode,
// fails the component's Render with a templ.Error that unwraps to the
// resolver's, so errors.Is(err, core.ErrNotFound) holds. templ escapes the
// URLs as it escapes any string; they need none.
//
// The components write whole elements: Stylesheet a <link>, Script and
// Module a <script src>, each with the asset's integrity value and
// crossorigin="anonymous" where the manifest records one (an asset
// recorded without one is no error, in strict mode too, as in the import
// map), and ImportMap
// the resolver's <script type="importmap"> element, with the nonce of
// templ.WithNonce if the context carries one. Unlike templ.Raw, which
// prints any string unescaped, they escape every value they write, and
// the import map's JSON escapes what could end its element.
//
// Entry writes the elements of core.Resolver.EntryHTML: for a module, its
// <script type="module"> and a <link rel="modulepreload"> for each module
// of its static import closure, for a stylesheet its <link>, for a Vite
// entry the tags of Vite's backend integration guide, or with a Vite dev
// server the dev tags. Preload writes the one <link rel="preload"> or
// "modulepreload" of core.Resolver.PreloadHTML, for a font or a hero
// image. The resolver escapes their attribute values, so nothing a
// manifest says can leave its attribute. Both carry the nonce of
// templ.WithNonce, as ImportMap does.
//
// Nothing is global: a context without a resolver is an error naming the
// asset and ErrNoResolver.
//
// templ compiles its templates, so what it cannot express is refused when
// a .templ file is compiled, not when it renders: a call with another
// number of arguments, an argument that is not a string (a named string
// type needs a conversion), an undefined variable, and a function named
// without a call, which is a Go function value.
package templ

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"github.com/cachebust/cachebust/core"
)

// ErrNoResolver is the error of a lookup in a context that carries no
// resolver: Middleware or WithResolver was not on the request's way.
var ErrNoResolver = errors.New("no cachebust resolver in the context; add cbtempl.Middleware or WithResolver")

type resolverKey struct{}

// WithResolver returns a copy of ctx carrying r.
func WithResolver(ctx context.Context, r *core.Resolver) context.Context {
	return context.WithValue(ctx, resolverKey{}, r)
}

// Resolver returns the resolver ctx carries, or nil.
func Resolver(ctx context.Context) *core.Resolver {
	r, _ := ctx.Value(resolverKey{}).(*core.Resolver)
	return r
}

// Middleware returns net/http middleware that puts r in the context of
// every request, for the components a handler renders with it, as
// templ.Handler and component.Render(req.Context(), w) do.
func Middleware(r *core.Resolver) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			next.ServeHTTP(w, req.WithContext(WithResolver(req.Context(), r)))
		})
	}
}

// resolver returns ctx's resolver, or an error naming what path asked.
func resolver(ctx context.Context, what string) (*core.Resolver, error) {
	if r := Resolver(ctx); r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("%s: %w", what, ErrNoResolver)
}

// URL returns the fingerprinted URL of the asset path, resolved with the
// resolver of ctx: href={ cbtempl.URL(ctx, "css/app.css") }.
func URL(ctx context.Context, path string) (string, error) {
	r, err := resolver(ctx, fmt.Sprintf("asset %q", path))
	if err != nil {
		return "", err
	}
	return r.URL(path)
}

// Integrity returns the Subresource Integrity value of the asset path,
// resolved with the resolver of ctx: "" where the manifest records none,
// or in strict mode an error wrapping core.ErrNoIntegrity.
func Integrity(ctx context.Context, path string) (string, error) {
	r, err := resolver(ctx, fmt.Sprintf("asset %q", path))
	if err != nil {
		return "", err
	}
	return r.Integrity(path)
}

// Stylesheet returns a component writing
// <link rel="stylesheet" href="URL" integrity="…" crossorigin="anonymous">
// for the asset path, the last two only where the manifest records an
// integrity value.
func Stylesheet(path string) templ.Component {
	return element(path, `<link rel="stylesheet" href="`, `>`)
}

// Script returns a component writing
// <script src="URL" integrity="…" crossorigin="anonymous"></script> for
// the asset path, the last two only where the manifest records an
// integrity value.
func Script(path string) templ.Component {
	return element(path, `<script src="`, `></script>`)
}

// Module is Script for a JavaScript module: <script type="module" src=…>.
func Module(path string) templ.Component {
	return element(path, `<script type="module" src="`, `></script>`)
}

// element writes open, the URL of path and its closing quote, its
// integrity attributes and close.
func element(path, open, close string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		r, err := resolver(ctx, fmt.Sprintf("asset %q", path))
		if err != nil {
			return err
		}
		u, err := r.URL(path)
		if err != nil {
			return err
		}
		integrity, err := r.Integrity(path)
		if errors.Is(err, core.ErrNoIntegrity) {
			// Recorded without one, in strict mode: none to check.
			err = nil
		}
		if err != nil {
			return err
		}
		s := open + html.EscapeString(u) + `"`
		if integrity != "" {
			s += ` integrity="` + html.EscapeString(integrity) + `" crossorigin="anonymous"`
		}
		_, err = io.WriteString(w, s+close)
		return err
	})
}

// ImportMap returns a component writing the resolver's
// <script type="importmap"> element (core.Resolver.ImportMap), or, if ctx
// carries a nonce set with templ.WithNonce, the same element with
// nonce="…", for a Content-Security-Policy that requires one. Put it in
// the page's head, before the first module script.
func ImportMap() templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		r, err := resolver(ctx, "import map")
		if err != nil {
			return err
		}
		nonce := templ.GetNonce(ctx)
		if nonce == "" {
			s, err := r.ImportMap()
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, s)
			return err
		}
		j, err := r.ImportMapJSON()
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, `<script type="importmap" nonce="`+html.EscapeString(nonce)+`">`+j+`</script>`)
		return err
	})
}

// Entry returns a component writing the elements of the entry path, one a
// line, as core.Resolver.EntryHTML gives them: put it in the page's head,
// after the import map if any. If ctx carries a nonce set with
// templ.WithNonce, every element has nonce="…" too, for a
// Content-Security-Policy that requires one on scripts, module preloads
// and stylesheets.
func Entry(path string) templ.Component {
	return elements(path, (*core.Resolver).Entry)
}

// Preload returns a component writing the one preload element of the asset
// path, as core.Resolver.PreloadHTML gives it, such as
// <link rel="preload" href="…" as="font" type="font/woff2" crossorigin>,
// with the nonce of templ.WithNonce as Entry.
func Preload(path string) templ.Component {
	return elements(path, func(r *core.Resolver, path string) ([]core.Tag, error) {
		t, err := r.Preload(path)
		return []core.Tag{t}, err
	})
}

// elements writes the elements of the tags that tags gives for path with
// the resolver of the context, one a line.
func elements(path string, tags func(*core.Resolver, string) ([]core.Tag, error)) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		r, err := resolver(ctx, fmt.Sprintf("asset %q", path))
		if err != nil {
			return err
		}
		ts, err := tags(r, path)
		if err != nil {
			return err
		}
		nonce := templ.GetNonce(ctx)
		var b strings.Builder
		for i, t := range ts {
			if i > 0 {
				b.WriteByte('\n')
			}
			el := t.HTML()
			if nonce != "" {
				// After the element's name: "<script" or "<link".
				name, rest, _ := strings.Cut(el, " ")
				el = name + ` nonce="` + html.EscapeString(nonce) + `" ` + rest
			}
			b.WriteString(el)
		}
		_, err = io.WriteString(w, b.String())
		return err
	})
}
