// Package gonja installs cachebust's template functions in gonja
// (github.com/nikolalohinski/gonja/v2), the Jinja2 engine for Go.
//
// Register adds five names to a gonja environment; all but asset_importmap
// are usable as a filter or as a call, in Jinja2's own syntax:
//
//	{{ 'css/app.css' | asset_url }}        {{ asset_url('css/app.css') }}
//	{{ 'css/app.css' | asset_integrity }}  {{ asset_integrity('css/app.css') }}
//	{{ asset_importmap() }}
//	{{ 'js/main.js' | asset_entry }}       {{ asset_entry('js/main.js') }}
//	{{ asset_preload('fonts/inter.woff2') }}
//
// asset_importmap is a function only, without arguments: it gives the
// resolver's whole <script type="importmap"> element
// (core.Resolver.ImportMap) as a safe value, which autoescape leaves as it
// is. asset_entry and asset_preload give the elements of
// core.Resolver.EntryHTML and PreloadHTML (an entry's module script,
// modulepreload and stylesheet tags; one asset's preload) as safe values
// too: the resolver escapes their attribute values, so nothing a manifest
// says can leave its attribute.
//
// # What is global
//
// Nothing. gonja's DefaultEnvironment shares its filters and globals with
// every template of the process (gonja.FromString, gonja.FromFile), so
// Register refuses it; NewEnvironment returns an environment of gonja's
// built-ins and these functions, of its own, to parse templates with
// exec.NewTemplate. Two environments with two resolvers live side by side.
// Render data of the same name overrides the call syntax, as in Jinja2.
//
// # Errors
//
// A function that fails, such as asset_url of a missing asset in strict
// mode, fails Execute with an error naming the function, the asset and the
// cause. A non-string argument, a call with no or two arguments, and a
// keyword argument are errors too; an undefined variable reaches the
// function as None, an error. gonja keeps only the text of the errors of
// filters and functions, so what a template's own Execute returns does not
// unwrap; render with this package's Execute, whose error also unwraps to
// the resolver's: errors.Is(err, core.ErrNotFound) holds.
//
// gonja prints a function named without a call, {{ asset_url }}, and
// cannot be made to fail on it: it prints an empty string for asset_url,
// asset_integrity, asset_entry and asset_preload named alone. {{ asset_importmap }} prints the
// element, or nothing when the resolver fails to give one.
package gonja

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nikolalohinski/gonja/v2"
	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/tmplfunc"
)

// NewEnvironment returns a gonja environment of gonja's built-in filters,
// tests, control structures, methods and global functions, copied, and
// asset_url, asset_integrity and asset_importmap resolving with r. Parse
// templates with it through exec.NewTemplate.
func NewEnvironment(r *core.Resolver) *exec.Environment {
	env := &exec.Environment{
		Context:           exec.EmptyContext().Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables),
		Filters:           exec.NewFilterSet(map[string]exec.FilterFunction{}).Update(builtins.Filters),
		Tests:             builtins.Tests,
		ControlStructures: builtins.ControlStructures,
		Methods:           builtins.Methods,
	}
	// The filter set is new and holds no asset_url: Register fails only
	// for a nil r, and then env has no asset functions.
	_ = Register(env, r)
	return env
}

// Register adds the filters asset_url, asset_integrity, asset_entry and
// asset_preload to the filters of env, and the functions of these names
// and asset_importmap to its context, all resolving with r. It fails if env shares its filters or
// context with gonja's DefaultEnvironment, whose are process-wide, or if
// env already has a filter of one of these names, or if env or r is nil.
func Register(env *exec.Environment, r *core.Resolver) error {
	switch {
	case env == nil:
		return errors.New("cachebust: registering in gonja: environment is nil")
	case r == nil:
		return errors.New("cachebust: registering in gonja: resolver is nil")
	}
	if env.Filters == builtins.Filters || env.Filters == gonja.DefaultEnvironment.Filters ||
		env.Context == gonja.DefaultContext || env.Context == builtins.GlobalFunctions {
		return errors.New("cachebust: registering in gonja: the environment shares gonja's process-wide filters or globals; use NewEnvironment")
	}
	for name, f := range map[string]struct {
		resolve func(string) (string, error)
		value   func(any) *exec.Value
	}{
		tmplfunc.URLName:       {r.URL, exec.AsValue},
		tmplfunc.IntegrityName: {r.Integrity, exec.AsValue},
		tmplfunc.EntryName:     {r.EntryHTML, exec.AsSafeValue},
		tmplfunc.PreloadName:   {r.PreloadHTML, exec.AsSafeValue},
	} {
		if err := env.Filters.Register(name, filter(name, f.resolve, f.value)); err != nil {
			return fmt.Errorf("cachebust: installing gonja filter %s: %w", name, err)
		}
		env.Context.Set(name, function(name, f.resolve, f.value))
	}
	env.Context.Set(tmplfunc.ImportMapName, importMap(r))
	return nil
}

// filter returns the filter name, resolving its input with resolve and
// making a value of the result with value: exec.AsSafeValue for HTML that
// autoescape leaves as it is.
func filter(name string, resolve func(string) (string, error), value func(any) *exec.Value) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if n := len(params.Args) + len(params.KwArgs); n > 0 {
			return exec.AsValue(fmt.Errorf("%s: %d arguments, want 1", name, n+1))
		}
		s, err := call(e, name, resolve, in)
		if err != nil {
			return exec.AsValue(err)
		}
		return value(s)
	}
}

// An AssetFunc is asset_url, asset_integrity, asset_entry or asset_preload
// as gonja calls it, with the arguments of the call, which it checks
// itself; its value is a string, or for the last two safe HTML. It prints
// as nothing when a template names it without calling it.
type AssetFunc func(e *exec.Evaluator, args *exec.VarArgs) (*exec.Value, error)

// String is what gonja prints for an AssetFunc named without a call: "".
func (AssetFunc) String() string { return "" }

// function returns the function name, resolving its argument with resolve
// and making a value of the result with value.
func function(name string, resolve func(string) (string, error), value func(any) *exec.Value) AssetFunc {
	return func(e *exec.Evaluator, args *exec.VarArgs) (*exec.Value, error) {
		switch {
		case len(args.KwArgs) > 0:
			return nil, fmt.Errorf("%s: keyword arguments, want one path", name)
		case len(args.Args) != 1:
			return nil, fmt.Errorf("%s: %d arguments, want 1", name, len(args.Args))
		}
		s, err := call(e, name, resolve, args.Args[0])
		if err != nil {
			return nil, err
		}
		return value(s), nil
	}
}

// call resolves the path v holds, and records a failure for Execute.
func call(e *exec.Evaluator, name string, resolve func(string) (string, error), v *exec.Value) (string, error) {
	s, err := tmplfunc.Path(v.Interface())
	if err == nil {
		s, err = resolve(s)
	}
	if err != nil {
		return "", record(e, fmt.Errorf("%s: %w", name, err))
	}
	return s, nil
}

// An ImportMapFunc is asset_importmap as gonja calls it, without
// arguments. Named without a call, it prints the element too.
type ImportMapFunc func(e *exec.Evaluator, args *exec.VarArgs) (*exec.Value, error)

// String is what gonja prints for an ImportMapFunc named without a call:
// the element, as a call prints it, or "" when the resolver fails to give
// one.
func (f ImportMapFunc) String() string {
	v, err := f(nil, exec.NewVarArgs())
	if err != nil {
		return ""
	}
	return v.String()
}

func importMap(r *core.Resolver) ImportMapFunc {
	return func(e *exec.Evaluator, args *exec.VarArgs) (*exec.Value, error) {
		if n := len(args.Args) + len(args.KwArgs); n > 0 {
			return nil, fmt.Errorf("%s: %d arguments, want none", tmplfunc.ImportMapName, n)
		}
		s, err := r.ImportMap()
		if err != nil {
			return nil, record(e, fmt.Errorf("%s: %w", tmplfunc.ImportMapName, err))
		}
		return exec.AsSafeValue(s), nil
	}
}

// failureKey names the render's failure in the context Execute renders
// with; no template can name it, as it holds a space.
const failureKey = "cachebust failure"

// A failure holds the first error of a function in one render.
type failure struct{ err error }

// record keeps err as the failure of the render e evaluates, if Execute
// runs it, and returns err.
func record(e *exec.Evaluator, err error) error {
	if e == nil || e.Environment == nil || e.Environment.Context == nil {
		return err
	}
	if v, ok := e.Environment.Context.Get(failureKey); ok {
		if f, ok := v.(*failure); ok && f.err == nil {
			f.err = err
		}
	}
	return err
}

// Execute executes t with data (which may be nil) into w, as t.Execute
// does, and returns its error. Where asset_url, asset_integrity or
// asset_importmap failed the render, the error also unwraps to theirs, and
// so to the resolver's: errors.Is(err, core.ErrNotFound) holds for a
// missing asset in strict mode. gonja itself keeps only the text of an
// error of a filter or function.
func Execute(t *exec.Template, w io.Writer, data *exec.Context) error {
	f := &failure{}
	ctx := exec.EmptyContext().Update(data)
	ctx.Set(failureKey, f)
	err := t.Execute(w, ctx)
	if err == nil || f.err == nil || !strings.Contains(err.Error(), f.err.Error()) {
		return err
	}
	return &renderError{err: err, cause: f.err}
}

// ExecuteToString is Execute into a string.
func ExecuteToString(t *exec.Template, data *exec.Context) (string, error) {
	var b strings.Builder
	err := Execute(t, &b, data)
	return b.String(), err
}

// renderError is gonja's error of a render, unwrapping to the error of the
// function that failed it too.
type renderError struct {
	err, cause error
}

func (e *renderError) Error() string   { return e.err.Error() }
func (e *renderError) Unwrap() []error { return []error{e.err, e.cause} }
