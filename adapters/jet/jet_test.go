package jet_test

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/CloudyKit/jet/v6"

	adapter "github.com/cachebust/cachebust/adapters/jet"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
	"github.com/cachebust/cachebust/internal/benchpage"
)

// engine renders with one Jet set, naming each new source in its loader.
type engine struct {
	set    *jet.Set
	loader *jet.InMemLoader

	mu     sync.Mutex
	parsed map[string]*jet.Template
}

var _ conformance.UnwrappingEngine = (*engine)(nil)

func newEngine(t *testing.T, r *core.Resolver) conformance.Engine {
	loader := jet.NewInMemLoader()
	set := jet.NewSet(loader)
	if err := adapter.Register(set, r); err != nil {
		t.Fatal(err)
	}
	return &engine{set: set, loader: loader, parsed: map[string]*jet.Template{}}
}

func (*engine) Literal(s string) string { return strconv.Quote(s) }
func (*engine) Var(name string) string  { return name }
func (*engine) Bare(fn string) string   { return "{{ " + fn + " }}" }
func (*engine) ErrorsUnwrap() bool      { return true }

func (*engine) Call(fn string, args ...string) string {
	return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}"
}

func (*engine) Filter(fn, arg string, params ...string) string {
	if len(params) > 0 {
		fn += "(" + strings.Join(params, ", ") + ")"
	}
	return "{{ " + arg + " | " + fn + " }}"
}

func (e *engine) Render(src string, data map[string]any) (string, error) {
	t, err := e.template(src)
	if err != nil {
		return "", err
	}
	vars := make(jet.VarMap, len(data))
	for k, v := range data {
		vars.Set(k, v)
	}
	var b strings.Builder
	err = t.Execute(&b, vars, nil)
	return b.String(), err
}

func (e *engine) template(src string) (*jet.Template, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.parsed[src]; ok {
		return t, nil
	}
	name := "/t" + strconv.Itoa(len(e.parsed)) + ".jet"
	e.loader.Set(name, src)
	t, err := e.set.GetTemplate(name)
	if err != nil {
		return nil, err
	}
	e.parsed[src] = t
	return t, nil
}

func TestConformance(t *testing.T) {
	conformance.Run(t, newEngine)
}

// Jet-specific arguments: number literals are float64, a call may pass a
// wrong number of arguments, and a template may name a function without
// calling it, which Jet would print as an address. Each is an error, not a
// panic.
func TestArguments(t *testing.T) {
	e := newEngine(t, adaptertest.Resolver(t, core.Options{}))
	tests := []struct {
		src, want string
	}{
		{`{{ asset_url(42) }}`, "asset path is float64, not a string"},
		{`{{ 4.2 | asset_url }}`, "asset path is float64, not a string"},
		{`{{ asset_url }}`, "asset_url: 0 arguments, want 1"},
		{`{{ asset_integrity }}`, "asset_integrity: 0 arguments, want 1"},
		{`{{ asset_url() }}`, "needs 1 arguments, but have 0"},
		{`{{ asset_url("css/app.css", "x") }}`, "needs 1 arguments, but have 2"},
		{`{{ "css/app.css" | asset_url("x") }}`, "needs 1 arguments, but have 2"},
		{`{{ asset_url(nil) }}`, "not a valid value"},
	}
	for _, tt := range tests {
		out, err := e.Render(tt.src, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s = %q, %v; want an error saying %q", tt.src, out, err, tt.want)
		}
	}
}

// Functions are found when rendering: a template parsed before Register
// works after it.
func TestInstallAfterParse(t *testing.T) {
	loader := jet.NewInMemLoader()
	loader.Set("/t.jet", `{{ "css/app.css" | asset_url }}`)
	set := jet.NewSet(loader)
	tpl, err := set.GetTemplate("/t.jet")
	if err != nil {
		t.Fatal(err)
	}
	if err := adapter.Register(set, adaptertest.Resolver(t, core.Options{Strict: true})); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "/static/css/app-7cf8afb02638.css"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	loader.Set("/missing.jet", `{{ asset_url("js/missing.js") }}`)
	tpl, err = set.GetTemplate("/missing.jet")
	if err != nil {
		t.Fatal(err)
	}
	err = tpl.Execute(io.Discard, nil, nil)
	var lerr *core.LookupError
	if !errors.As(err, &lerr) || lerr.Name != "js/missing.js" {
		t.Errorf("missing asset: error %v; want a *core.LookupError for js/missing.js", err)
	}
}

// BenchmarkPage renders a page with 50 asset_url pipes against the same
// page with Jet's built-in lower in their place.
func BenchmarkPage(b *testing.B) {
	loader := jet.NewInMemLoader()
	loader.Set("/asset.jet", benchpage.Page(`{{ "css/app.css" | asset_url }}`))
	loader.Set("/builtin.jet", benchpage.Page(`{{ "css/app.css" | lower }}`))
	set := jet.NewSet(loader)
	if err := adapter.Register(set, adaptertest.Resolver(b, core.Options{})); err != nil {
		b.Fatal(err)
	}
	asset, err := set.GetTemplate("/asset.jet")
	if err != nil {
		b.Fatal(err)
	}
	base, err := set.GetTemplate("/builtin.jet")
	if err != nil {
		b.Fatal(err)
	}
	benchpage.Compare(b,
		func() error { return asset.Execute(io.Discard, nil, nil) },
		func() error { return base.Execute(io.Discard, nil, nil) })
}

// Register refuses a nil set or resolver with an error naming it, as every
// adapter's Register does.
func TestRegisterNil(t *testing.T) {
	r := adaptertest.Resolver(t, core.Options{})
	for _, tc := range []struct {
		name string
		set  *jet.Set
		r    *core.Resolver
		want string
	}{
		{"NilSet", nil, r, "set is nil"},
		{"NilResolver", jet.NewSet(jet.NewInMemLoader()), nil, "resolver is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := adapter.Register(tc.set, tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Register: %v; want an error saying %q", err, tc.want)
			}
		})
	}
}
