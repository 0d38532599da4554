// Package views holds what the cachebust packages for the
// github.com/gofiber/template engines share: adding template functions to
// an engine, loaded or not, the checks every Register makes, and rendering
// layouts so that a failing view fails the render (Layouts).
package views

import (
	"errors"
	"fmt"

	"github.com/gofiber/template"

	"github.com/cachebust/cachebust/core"
)

// Check returns an error naming the engine if it is nil, as noEngine
// says, or if r is nil.
func Check(engine string, noEngine bool, r *core.Resolver) error {
	switch {
	case noEngine:
		return fmt.Errorf("cachebust: gofiber %s engine: engine is nil", engine)
	case r == nil:
		return fmt.Errorf("cachebust: gofiber %s engine: resolver is nil", engine)
	}
	return nil
}

// Add adds every function of funcs under its name to the engine whose
// core is e and whose Load method is load. The engines copy their
// functions when they load, and fiber.New loads them: if e has loaded, Add
// loads it again, so that its templates are parsed with the functions, and
// returns an error naming the engine if that fails.
func Add[F any](engine string, e *template.Engine, load func() error, funcs map[string]F) error {
	e.Mutex.Lock()
	for name, fn := range funcs {
		e.Funcmap[name] = fn
	}
	loaded := e.Loaded
	e.Loaded = false
	e.Mutex.Unlock()
	if !loaded {
		return nil
	}
	if err := load(); err != nil {
		return fmt.Errorf("cachebust: gofiber %s engine: loading the templates again with the functions: %w", engine, err)
	}
	return nil
}

// Unsupported returns the error of an engine that cannot call template
// functions, saying why; it wraps errors.ErrUnsupported.
func Unsupported(engine, why string) error {
	return fmt.Errorf("cachebust: gofiber %s engine: %w: %s", engine, errors.ErrUnsupported, why)
}
