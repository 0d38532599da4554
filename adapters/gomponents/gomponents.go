// Package gomponents gives gomponents (maragu.dev/gomponents) nodes of
// cachebust's URLs, integrity values, tags and import map. With this
// package imported as cbg, g as gomponents and h as its html package:
//
//	h.Head(
//		cbg.ImportMap(r),
//		cbg.Stylesheet(r, "css/app.css"),
//		cbg.Module(r, "js/app.js"),
//		cbg.Entry(r, "js/main.js"),
//		cbg.Preload(r, "fonts/inter.woff2"),
//	)
//	h.Img(cbg.Src(r, "img/logo.svg"), h.Alt(""))
//	h.A(cbg.Href(r, "docs/guide.pdf"), g.Text("Guide"))
//	h.P(cbg.URL(r, "css/app.css"))
//
// Every node resolves when it renders, with the resolver given, so a
// swapped manifest (core.Resolver.Swap) applies to nodes made before, and
// a failure, such as a missing asset in strict mode, fails Render with an
// error wrapping the resolver's: errors.Is(err, core.ErrNotFound) holds.
// Nothing is global.
//
// Href, Src and Attr are attributes, URL and Integrity text, escaped as
// gomponents escapes any; the URLs need none. Stylesheet, Script and
// Module write whole elements, with the asset's integrity value and
// crossorigin="anonymous" where the manifest records one (an asset
// recorded without one is no error, in strict mode too, as in the import
// map), and ImportMap
// the resolver's <script type="importmap"> element, unescaped as it must
// be and safe as it is (its JSON escapes what could end the element),
// unlike g.Raw of any string.
//
// Entry writes the elements of core.Resolver.EntryHTML: for a module, its
// <script type="module"> and a <link rel="modulepreload"> for each module
// of its static import closure, for a stylesheet its <link>, for a Vite
// entry the tags of Vite's backend integration guide, or with a Vite dev
// server the dev tags. Preload writes the one <link rel="preload"> or
// "modulepreload" of core.Resolver.PreloadHTML, for a font or a hero
// image. Both are written unescaped, as they must be, and are safe as they
// are: the resolver escapes their attribute values, so nothing a manifest
// says can leave its attribute.
//
// The paths are Go strings: a path of a named string type needs a
// conversion, and the Go compiler refuses any other argument.
package gomponents

import (
	"errors"
	"fmt"
	"html/template"
	"io"

	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"

	"github.com/cachebust/cachebust/core"
)

// URL returns a text node of the fingerprinted URL of the asset path.
func URL(r *core.Resolver, path string) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		u, err := r.URL(path)
		if err != nil {
			return err
		}
		return g.Text(u).Render(w)
	})
}

// Integrity returns a text node of the Subresource Integrity value of the
// asset path: "" where the manifest records none, or in strict mode an
// error wrapping core.ErrNoIntegrity.
func Integrity(r *core.Resolver, path string) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		v, err := r.Integrity(path)
		if err != nil {
			return err
		}
		return g.Text(v).Render(w)
	})
}

// Attr returns the attribute name="URL" of the asset path, for an
// attribute other than href and src, such as h.Poster's.
func Attr(name string, r *core.Resolver, path string) g.Node {
	return attr(func(w io.Writer) error {
		u, err := r.URL(path)
		if err != nil {
			return err
		}
		return g.Attr(name, u).Render(w)
	})
}

// Href returns the attribute href="URL" of the asset path.
func Href(r *core.Resolver, path string) g.Node { return Attr("href", r, path) }

// Src returns the attribute src="URL" of the asset path.
func Src(r *core.Resolver, path string) g.Node { return Attr("src", r, path) }

// attr is a render function that is an attribute node.
type attr func(io.Writer) error

func (a attr) Render(w io.Writer) error { return a(w) }

// Type reports that a is an attribute, which an element renders in its
// opening tag.
func (a attr) Type() g.NodeType { return g.AttributeType }

// Stylesheet returns the element
// <link rel="stylesheet" href="URL" integrity="…" crossorigin="anonymous">
// of the asset path, the last two only where the manifest records an
// integrity value.
func Stylesheet(r *core.Resolver, path string) g.Node {
	return element(r, path, func(url string, sri g.Node) g.Node {
		return h.Link(h.Rel("stylesheet"), h.Href(url), sri)
	})
}

// Script returns the element
// <script src="URL" integrity="…" crossorigin="anonymous"></script> of
// the asset path, the last two only where the manifest records an
// integrity value.
func Script(r *core.Resolver, path string) g.Node {
	return element(r, path, func(url string, sri g.Node) g.Node {
		return h.Script(h.Src(url), sri)
	})
}

// Module is Script for a JavaScript module: <script type="module" src=…>.
func Module(r *core.Resolver, path string) g.Node {
	return element(r, path, func(url string, sri g.Node) g.Node {
		return h.Script(h.Type("module"), h.Src(url), sri)
	})
}

// element resolves path when it renders, and renders what el makes of its
// URL and integrity attributes.
func element(r *core.Resolver, path string, el func(url string, sri g.Node) g.Node) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		u, err := r.URL(path)
		if err != nil {
			return err
		}
		v, err := r.Integrity(path)
		if errors.Is(err, core.ErrNoIntegrity) {
			// Recorded without one, in strict mode: none to check.
			err = nil
		}
		if err != nil {
			return err
		}
		var sri g.Node
		if v != "" {
			sri = g.Group{h.Integrity(v), h.CrossOrigin("anonymous")}
		}
		return el(u, sri).Render(w)
	})
}

// ImportMap returns the resolver's <script type="importmap"> element
// (core.Resolver.ImportMap). Put it in the page's head, before the first
// module script.
func ImportMap(r *core.Resolver) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		s, err := r.ImportMap()
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, s)
		return err
	})
}

// ImportMapNonce is ImportMap with the attribute nonce="nonce", for a
// Content-Security-Policy that requires one on inline scripts.
func ImportMapNonce(r *core.Resolver, nonce string) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		j, err := r.ImportMapJSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, `<script type="importmap" nonce="%s">%s</script>`, template.HTMLEscapeString(nonce), j)
		return err
	})
}

// Entry returns the elements of the entry path, one a line, as
// core.Resolver.EntryHTML gives them. Put it in the page's head, after the
// import map if any.
func Entry(r *core.Resolver, path string) g.Node {
	return elements(r.EntryHTML, path)
}

// Preload returns the one preload element of the asset path, as
// core.Resolver.PreloadHTML gives it, such as
// <link rel="preload" href="…" as="font" type="font/woff2" crossorigin>.
func Preload(r *core.Resolver, path string) g.Node {
	return elements(r.PreloadHTML, path)
}

// elements writes what tags gives for path when it renders.
func elements(tags func(string) (string, error), path string) g.Node {
	return g.NodeFunc(func(w io.Writer) error {
		s, err := tags(path)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, s)
		return err
	})
}
