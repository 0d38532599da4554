// Package views holds what the cachebust packages for the
// github.com/gofiber/template engines share: the method every engine has
// for adding template functions, and the checks every Register makes.
package views

import (
	"errors"
	"fmt"

	"github.com/gofiber/template"

	"github.com/cachebust/cachebust/core"
)

// Engine is the method every gofiber/template engine has for adding
// template functions. The engines copy the functions when they Load.
type Engine interface {
	AddFunc(name string, fn any) template.IEngineCore
}

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

// Add adds every function of funcs to e under its name.
func Add[F any](e Engine, funcs map[string]F) {
	for name, fn := range funcs {
		e.AddFunc(name, fn)
	}
}

// Unsupported returns the error of an engine that cannot call template
// functions, saying why; it wraps errors.ErrUnsupported.
func Unsupported(engine, why string) error {
	return fmt.Errorf("cachebust: gofiber %s engine: %w: %s", engine, errors.ErrUnsupported, why)
}
