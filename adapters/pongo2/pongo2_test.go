package pongo2_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/flosch/pongo2/v6"

	adapter "github.com/cachebust/cachebust/adapters/pongo2"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
	"github.com/cachebust/cachebust/internal/benchpage"
)

// TestMain registers the filters before any test parses a template, as
// the package documentation asks of programs.
func TestMain(m *testing.M) {
	if err := adapter.RegisterFilters(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// engine renders with one template set. pongo2 template sets are not
// safe for concurrent parsing, so parsed templates are kept.
type engine struct {
	set *pongo2.TemplateSet

	mu     sync.Mutex
	parsed map[string]*pongo2.Template
}

func newEngine(t *testing.T, r *core.Resolver) conformance.Engine {
	set := pongo2.NewSet(t.Name(), pongo2.DefaultLoader)
	if err := adapter.Register(set, r); err != nil {
		t.Fatal(err)
	}
	// The filters resolve with the process-wide default; the suite's
	// cases run one at a time.
	if err := adapter.SetDefault(r); err != nil {
		t.Fatal(err)
	}
	return &engine{set: set, parsed: map[string]*pongo2.Template{}}
}

func (*engine) Literal(s string) string { return `"` + s + `"` }
func (*engine) Var(name string) string  { return name }
func (*engine) Bare(fn string) string   { return "{{ " + fn + " }}" }

func (*engine) Call(fn string, args ...string) string {
	return "{{ " + fn + "(" + strings.Join(args, ", ") + ") }}"
}

func (*engine) Filter(fn, arg string, params ...string) string {
	if len(params) > 0 {
		fn += ":" + params[0]
	}
	return "{{ " + arg + "|" + fn + " }}"
}

func (e *engine) Render(src string, data map[string]any) (string, error) {
	e.mu.Lock()
	t, ok := e.parsed[src]
	if !ok {
		var err error
		if t, err = e.set.FromString(src); err != nil {
			e.mu.Unlock()
			return "", err
		}
		e.parsed[src] = t
	}
	e.mu.Unlock()
	return t.Execute(data)
}

func TestConformance(t *testing.T) {
	conformance.Run(t, newEngine)
}

func render(t *testing.T, set *pongo2.TemplateSet, src string) (string, error) {
	t.Helper()
	tpl, err := set.FromString(src)
	if err != nil {
		t.Fatalf("parsing %q: %v", src, err)
	}
	return tpl.Execute(nil)
}

// Two template sets, each with its own resolver, resolve function calls
// each with its own; filters use the one default.
func TestTwoResolvers(t *testing.T) {
	a := pongo2.NewSet("a", pongo2.DefaultLoader)
	b := pongo2.NewSet("b", pongo2.DefaultLoader)
	if err := adapter.Register(a, adaptertest.Resolver(t, core.Options{Prefix: "/a/"})); err != nil {
		t.Fatal(err)
	}
	if err := adapter.Register(b, adaptertest.Resolver(t, core.Options{Prefix: "https://cdn.example.com/b/"})); err != nil {
		t.Fatal(err)
	}
	if err := adapter.SetDefault(adaptertest.Resolver(t, core.Options{Prefix: "/default/"})); err != nil {
		t.Fatal(err)
	}
	const src = `{{ asset_url("css/app.css") }} {{ "css/app.css"|asset_url }}`
	for _, tt := range []struct {
		name string
		set  *pongo2.TemplateSet
		want string
	}{
		{"a", a, "/a/css/app-7cf8afb02638.css /default/css/app-7cf8afb02638.css"},
		{"b", b, "https://cdn.example.com/b/css/app-7cf8afb02638.css /default/css/app-7cf8afb02638.css"},
	} {
		got, err := render(t, tt.set, src)
		if err != nil || got != tt.want {
			t.Errorf("set %s: %q = %q, %v; want %q", tt.name, src, got, err, tt.want)
		}
	}
}

// RegisterFilters, SetDefault and Register may be called many times, from
// many goroutines.
func TestRegisterRepeated(t *testing.T) {
	r := adaptertest.Resolver(t, core.Options{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := adapter.RegisterFilters(); err != nil {
				t.Error(err)
			}
			if err := adapter.Register(pongo2.NewSet("x", pongo2.DefaultLoader), r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if !pongo2.FilterExists("asset_url") || !pongo2.FilterExists("asset_integrity") {
		t.Error("filters not registered")
	}
}

// A filter's error is a *pongo2.Error from the filter that keeps the
// resolver's error.
func TestFilterError(t *testing.T) {
	if err := adapter.SetDefault(adaptertest.Resolver(t, core.Options{Strict: true})); err != nil {
		t.Fatal(err)
	}
	_, perr := pongo2.ApplyFilter("asset_url", pongo2.AsValue("js/missing.js"), nil)
	if perr == nil {
		t.Fatal("ApplyFilter(asset_url, js/missing.js) in strict mode succeeded")
	}
	if perr.Sender != "filter:asset_url" || !errors.Is(perr.OrigError, core.ErrNotFound) {
		t.Errorf("error = %#v; want Sender filter:asset_url and OrigError wrapping ErrNotFound", perr)
	}

	_, perr = pongo2.ApplyFilter("asset_url", pongo2.AsValue("css/app.css"), pongo2.AsValue("x"))
	if perr == nil || !strings.Contains(perr.Error(), "takes no argument") {
		t.Errorf("asset_url with an argument: error = %v, want one saying it takes none", perr)
	}
}

// Without a default resolver the filters fail rather than panic.
func TestNoDefault(t *testing.T) {
	if err := adapter.SetDefault(nil); err != nil {
		t.Fatal(err)
	}
	set := pongo2.NewSet("none", pongo2.DefaultLoader)
	out, err := render(t, set, `{{ "css/app.css"|asset_url }}`)
	if err == nil || !strings.Contains(err.Error(), "no default resolver") {
		t.Errorf("filter without a default resolver = %q, %v; want an error saying so", out, err)
	}
}

// BenchmarkPage renders a page with 50 asset_url filters, and one with 50
// asset_url calls, against the same page with the built-in filter lower in
// their place: the cheapest built-in whose result is autoescaped, as
// asset_url's is (safe skips escaping, and would compare unlike work).
// pongo2 has no built-in functions, and calls every Go function through
// reflection, so "func-vs-noop" also compares the call syntax with a Go
// function that returns its argument: that is the floor of the syntax.
func BenchmarkPage(b *testing.B) {
	r := adaptertest.Resolver(b, core.Options{})
	if err := adapter.SetDefault(r); err != nil {
		b.Fatal(err)
	}
	set := pongo2.NewSet("bench", pongo2.DefaultLoader)
	if err := adapter.Register(set, r); err != nil {
		b.Fatal(err)
	}
	set.Globals["noop"] = func(v *pongo2.Value) (string, error) { return v.String(), nil }
	for _, bm := range []struct{ name, action, baseline string }{
		{"filter", `{{ "css/app.css"|asset_url }}`, `{{ "css/app.css"|lower }}`},
		{"func", `{{ asset_url("css/app.css") }}`, `{{ "css/app.css"|lower }}`},
		{"func-vs-noop", `{{ asset_url("css/app.css") }}`, `{{ noop("css/app.css") }}`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			tpl := pongo2.Must(set.FromString(benchpage.Page(bm.action)))
			base := pongo2.Must(set.FromString(benchpage.Page(bm.baseline)))
			benchpage.Compare(b,
				func() error { _, err := tpl.Execute(nil); return err },
				func() error { _, err := base.Execute(nil); return err })
		})
	}
}
