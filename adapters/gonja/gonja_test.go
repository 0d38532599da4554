package gonja_test

import (
	"errors"
	"flag"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nikolalohinski/gonja/v2"
	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"

	cbgonja "github.com/cachebust/cachebust/adapters/gonja"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/adaptertest"
)

// engine renders with one gonja environment, parsing each new source once.
type engine struct {
	env *exec.Environment
	cfg *config.Config

	mu     sync.Mutex
	parsed map[string]*exec.Template
}

var _ conformance.UnwrappingEngine = (*engine)(nil)

func newEngine(autoescape bool) func(t *testing.T, r *core.Resolver) conformance.Engine {
	return func(t *testing.T, r *core.Resolver) conformance.Engine {
		cfg := config.New()
		cfg.AutoEscape = autoescape
		return &engine{env: cbgonja.NewEnvironment(r), cfg: cfg, parsed: map[string]*exec.Template{}}
	}
}

// Literal quotes s as Jinja2 does, in single quotes.
func (*engine) Literal(s string) string { return "'" + s + "'" }
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
	return cbgonja.ExecuteToString(t, exec.NewContext(data))
}

func (e *engine) template(src string) (*exec.Template, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.parsed[src]; ok {
		return t, nil
	}
	name := "/t" + strconv.Itoa(len(e.parsed))
	t, err := exec.NewTemplate(name, e.cfg, loaders.MustNewMemoryLoader(map[string]string{name: src}), e.env)
	if err != nil {
		return nil, err
	}
	e.parsed[src] = t
	return t, nil
}

func TestMain(m *testing.M) {
	// gonja prints a function named without a call, {{ asset_url }}, and
	// no function can fail that: it prints "" (see the package doc).
	skip := "^TestConformance$/./^no-arguments$/./^bare$"
	flag.Parse()
	if v := flag.Lookup("test.skip").Value.String(); v != "" {
		skip = v + "|" + skip
	}
	if err := flag.Set("test.skip", skip); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// The suite runs with autoescape on, as HTML templates use gonja, and off,
// gonja's default.
func TestConformance(t *testing.T) {
	t.Run("autoescape", func(t *testing.T) { conformance.Run(t, newEngine(true)) })
	t.Run("plain", func(t *testing.T) { conformance.Run(t, newEngine(false)) })
}

// render parses src in env and renders it with data through Execute.
func render(t *testing.T, env *exec.Environment, src string, data map[string]any) (string, error) {
	t.Helper()
	tpl, err := exec.NewTemplate("/t", config.New(), loaders.MustNewMemoryLoader(map[string]string{"/t": src}), env)
	if err != nil {
		t.Fatalf("parsing %s: %v", src, err)
	}
	return cbgonja.ExecuteToString(tpl, exec.NewContext(data))
}

// Each environment resolves with its own resolver, and gonja's default
// environment, shared by the whole process, gets nothing.
func TestPerEnvironment(t *testing.T) {
	a := cbgonja.NewEnvironment(adaptertest.Resolver(t, core.Options{Prefix: "/a/"}))
	b := cbgonja.NewEnvironment(adaptertest.Resolver(t, core.Options{Prefix: "https://cdn.example.com/b/"}))
	for _, tt := range []struct {
		env  *exec.Environment
		want string
	}{
		{a, "/a/css/app-7cf8afb02638.css /a/css/app-7cf8afb02638.css"},
		{b, "https://cdn.example.com/b/css/app-7cf8afb02638.css https://cdn.example.com/b/css/app-7cf8afb02638.css"},
	} {
		got, err := render(t, tt.env, `{{ 'css/app.css' | asset_url }} {{ asset_url('css/app.css') }}`, nil)
		if err != nil || got != tt.want {
			t.Errorf("got %q, %v; want %q", got, err, tt.want)
		}
	}
	if builtins.Filters.Exists("asset_url") {
		t.Error("gonja's process-wide filters hold asset_url")
	}
	if gonja.DefaultContext.Has("asset_url") {
		t.Error("gonja's default context holds asset_url")
	}
	tpl, err := gonja.FromString(`{{ 'css/app.css' | asset_url }}`)
	if err == nil {
		_, err = tpl.ExecuteToString(nil)
	}
	if err == nil || !strings.Contains(err.Error(), "filter 'asset_url' not found") {
		t.Errorf("gonja.FromString rendered asset_url: error %v; want filter 'asset_url' not found", err)
	}
}

// Register refuses the process-wide filters and globals of gonja's default
// environment, and a filter already there.
func TestInstallRefuses(t *testing.T) {
	r := adaptertest.Resolver(t, core.Options{})
	envs := map[string]*exec.Environment{
		"DefaultEnvironment": gonja.DefaultEnvironment,
		"builtin filters": {
			Context: exec.EmptyContext(),
			Filters: builtins.Filters,
		},
		"default context": {
			Context: gonja.DefaultContext,
			Filters: exec.NewFilterSet(map[string]exec.FilterFunction{}),
		},
		"installed twice": cbgonja.NewEnvironment(r),
	}
	for name, env := range envs {
		if err := cbgonja.Register(env, r); err == nil {
			t.Errorf("%s: Register succeeded; want an error", name)
		}
	}
	if builtins.Filters.Exists("asset_url") || gonja.DefaultContext.Has("asset_url") {
		t.Error("Register wrote gonja's process-wide filters or globals")
	}
}

// Jinja2's own arguments: keyword arguments and numbers are errors, and
// render data of a function's name overrides the call syntax.
func TestArguments(t *testing.T) {
	env := cbgonja.NewEnvironment(adaptertest.Resolver(t, core.Options{}))
	tests := []struct {
		src, want string
	}{
		{`{{ asset_url(path='css/app.css') }}`, "asset_url: keyword arguments, want one path"},
		{`{{ 'css/app.css' | asset_url(strict=true) }}`, "asset_url: 2 arguments, want 1"},
		{`{{ asset_url(42) }}`, "asset path is int, not a string"},
		{`{{ 4.2 | asset_integrity }}`, "asset path is float64, not a string"},
		{`{{ asset_url(none) }}`, "asset path is nil, not a string"},
		{`{{ asset_importmap(strict=true) }}`, "asset_importmap: 1 arguments, want none"},
	}
	for _, tt := range tests {
		out, err := render(t, env, tt.src, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s = %q, %v; want an error saying %q", tt.src, out, err, tt.want)
		}
	}
	got, err := render(t, env, `{{ asset_url }}|{{ asset_integrity }}`, nil)
	if err != nil || got != "|" {
		t.Errorf("functions named alone = %q, %v; want %q, as the package doc says", got, err, "|")
	}
	got, err = render(t, env, `{{ asset_url('css/app.css') }}`, map[string]any{
		"asset_url": func(string) string { return "mine" },
	})
	if err != nil || got != "mine" {
		t.Errorf("render data overriding asset_url = %q, %v; want %q", got, err, "mine")
	}
}

// Execute's error unwraps to the resolver's; what gonja's own Execute
// returns keeps only its text.
func TestExecuteUnwraps(t *testing.T) {
	env := cbgonja.NewEnvironment(adaptertest.Resolver(t, core.Options{Strict: true}))
	src := `<p>{% if true %}{{ 'js/missing.js' | asset_url }}{% endif %}</p>`
	_, err := render(t, env, src, nil)
	var lerr *core.LookupError
	if !errors.Is(err, core.ErrNotFound) || !errors.As(err, &lerr) || lerr.Name != "js/missing.js" {
		t.Errorf("Execute error %v; want a *core.LookupError for js/missing.js", err)
	}

	tpl, err := exec.NewTemplate("/t", config.New(), loaders.MustNewMemoryLoader(map[string]string{"/t": src}), env)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.ExecuteToString(nil)
	if err == nil || !strings.Contains(err.Error(), `asset_url: asset "js/missing.js": not in manifest`) {
		t.Errorf("gonja's Execute error %v; want one naming the asset and the cause", err)
	}
	if errors.Is(err, core.ErrNotFound) {
		t.Log("gonja's own errors unwrap now: the package doc can say so")
	}
}
