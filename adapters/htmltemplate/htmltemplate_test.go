package htmltemplate_test

import (
	"context"
	htmltemplate "html/template"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	texttemplate "text/template"

	adapter "github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
)

// goEngine is the syntax of Go templates, rendered by parse.
type goEngine struct {
	parse func(src string) (interface {
		Execute(io.Writer, any) error
	}, error)
}

var _ conformance.UnwrappingEngine = goEngine{}

func (goEngine) Literal(s string) string      { return strconv.Quote(s) }
func (goEngine) Var(name string) string       { return "." + name }
func (goEngine) Call(fn, arg string) string   { return "{{ " + fn + " " + arg + " }}" }
func (goEngine) Filter(fn, arg string) string { return "{{ " + arg + " | " + fn + " }}" }
func (goEngine) ErrorsUnwrap() bool           { return true }

func (e goEngine) Render(src string, data map[string]any) (string, error) {
	t, err := e.parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = t.Execute(&b, data)
	return b.String(), err
}

func TestConformance(t *testing.T) {
	t.Run("html", func(t *testing.T) {
		conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
			return goEngine{func(src string) (interface{ Execute(io.Writer, any) error }, error) {
				return htmltemplate.New("t").Funcs(adapter.Funcs(r)).Parse(src)
			}}
		})
	})
	t.Run("text", func(t *testing.T) {
		conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
			return goEngine{func(src string) (interface{ Execute(io.Writer, any) error }, error) {
				return texttemplate.New("t").Funcs(adapter.Funcs(r)).Parse(src)
			}}
		})
	})
}

// A named string type is a path too.
func TestNamedString(t *testing.T) {
	type assetPath string
	r := newResolver(t)
	tmpl := texttemplate.Must(texttemplate.New("t").Funcs(adapter.Funcs(r)).Parse(`{{ asset_url .p }}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, map[string]any{"p": assetPath("css/app.css")}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "/static/css/app-7cf8afb02638.css"; got != want {
		t.Errorf("asset_url of a named string = %q, want %q", got, want)
	}
}

func newResolver(tb testing.TB) *core.Resolver {
	tb.Helper()
	fsys := fstest.MapFS{"css/app.css": {Data: []byte("body{color:#c00}\n")}}
	m, err := core.Build(context.Background(), fsys, core.BuildOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	r, err := core.New(m, core.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// page returns a page of 50 stylesheet links, each made by action.
func page(action string) string {
	return "<html><head>\n" + strings.Repeat(`<link rel="stylesheet" href="`+action+`">`+"\n", 50) + "</head></html>\n"
}

// BenchmarkPage renders a page with 50 asset_url calls against the same
// page with the cheapest built-in, print, in their place.
func BenchmarkPage(b *testing.B) {
	funcs := adapter.Funcs(newResolver(b))
	for _, bm := range []struct{ name, action string }{
		{"asset_url", `{{ asset_url "css/app.css" }}`},
		{"builtin", `{{ print "css/app.css" }}`},
	} {
		b.Run("html/"+bm.name, func(b *testing.B) {
			t := htmltemplate.Must(htmltemplate.New("t").Funcs(funcs).Parse(page(bm.action)))
			b.ReportAllocs()
			for b.Loop() {
				if err := t.Execute(io.Discard, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("text/"+bm.name, func(b *testing.B) {
			t := texttemplate.Must(texttemplate.New("t").Funcs(funcs).Parse(page(bm.action)))
			b.ReportAllocs()
			for b.Loop() {
				if err := t.Execute(io.Discard, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
