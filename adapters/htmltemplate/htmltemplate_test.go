package htmltemplate_test

import (
	htmltemplate "html/template"
	"io"
	"strconv"
	"strings"
	"testing"
	texttemplate "text/template"

	adapter "github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
	"github.com/cachebust/cachebust/internal/benchpage"
)

// goEngine is the syntax of Go templates, rendered by parse.
type goEngine struct {
	parse func(src string) (interface {
		Execute(io.Writer, any) error
	}, error)
}

var _ conformance.UnwrappingEngine = goEngine{}

func (goEngine) Literal(s string) string { return strconv.Quote(s) }
func (goEngine) Var(name string) string  { return "." + name }
func (goEngine) Bare(fn string) string   { return "{{ " + fn + " }}" }
func (goEngine) ErrorsUnwrap() bool      { return true }

func (goEngine) Call(fn string, args ...string) string {
	return "{{ " + strings.Join(append([]string{fn}, args...), " ") + " }}"
}

func (goEngine) Filter(fn, arg string, params ...string) string {
	return "{{ " + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + " }}"
}

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

// BenchmarkPage renders a page with 50 asset_url calls against the same
// page with the cheapest built-in string function, print, in their place.
func BenchmarkPage(b *testing.B) {
	funcs := adapter.Funcs(adaptertest.Resolver(b, core.Options{}))
	asset, builtin := benchpage.Page(`{{ asset_url "css/app.css" }}`), benchpage.Page(`{{ print "css/app.css" }}`)
	b.Run("html", func(b *testing.B) {
		t := htmltemplate.Must(htmltemplate.New("t").Funcs(funcs).Parse(asset))
		base := htmltemplate.Must(htmltemplate.New("t").Funcs(funcs).Parse(builtin))
		benchpage.Compare(b,
			func() error { return t.Execute(io.Discard, nil) },
			func() error { return base.Execute(io.Discard, nil) })
	})
	b.Run("text", func(b *testing.B) {
		t := texttemplate.Must(texttemplate.New("t").Funcs(funcs).Parse(asset))
		base := texttemplate.Must(texttemplate.New("t").Funcs(funcs).Parse(builtin))
		benchpage.Compare(b,
			func() error { return t.Execute(io.Discard, nil) },
			func() error { return base.Execute(io.Discard, nil) })
	})
}
