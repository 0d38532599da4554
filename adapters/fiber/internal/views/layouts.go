package views

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	core "github.com/gofiber/template"
)

// Layouts renders the views of a gofiber engine built on html/template
// (html, pug, ace, amber) so that a view that fails inside a layout fails
// the render.
//
// Those engines render a view inside a layout by giving the layout, under
// the engine's layout name (embed), a function of the type func() error
// that executes the view. html/template prints a function's only result as
// a value: the view's error goes into the page, escaped, and the render
// succeeds. Layouts executes the view first, into a buffer, and returns
// its error; then each layout, from the first to the last, with the
// layout function writing what the one inside it gave.
type Layouts struct {
	// Engine is the engine's core: its lock and Loaded mark.
	Engine *core.Engine
	// Name is the name of the layout function, as Bind returned it.
	Name string
	// Load loads the engine's templates, as its Render does when they have
	// not loaded or are to reload.
	Load func() error
	// Lookup returns the loaded template of a name, or nil.
	Lookup func(name string) *template.Template
}

// Render renders the template name with binding, inside layout if it names
// any, as the engine's Render does, but returns the error of the view
// whether or not a layout surrounds it.
func (l Layouts) Render(out io.Writer, name string, binding any, layout ...string) error {
	if l.Engine.PreRenderCheck() {
		if err := l.Load(); err != nil {
			return err
		}
	}
	var view bytes.Buffer
	if err := l.execute(&view, name, binding); err != nil {
		return err
	}
	if len(layout) == 0 || layout[0] == "" {
		_, err := out.Write(view.Bytes())
		return err
	}
	l.Engine.Mutex.Lock()
	defer l.Engine.Mutex.Unlock()
	inner := view.Bytes()
	for _, layoutName := range layout {
		if layoutName == "" {
			break
		}
		lay := l.Lookup(layoutName)
		if lay == nil {
			return fmt.Errorf("render: layout %s does not exist", layoutName)
		}
		var b bytes.Buffer
		// The function writes in place, as the engine's does; bytes.Buffer
		// never fails a write, so it returns nil, which prints as nothing.
		lay.Funcs(template.FuncMap{l.Name: func() error {
			_, err := b.Write(inner)
			return err
		}})
		if err := lay.Execute(&b, binding); err != nil {
			return err
		}
		inner = b.Bytes()
	}
	_, err := out.Write(inner)
	return err
}

// execute executes the view name alone. The read lock keeps out layouts,
// whose functions change while they render, and loads.
func (l Layouts) execute(out io.Writer, name string, binding any) error {
	l.Engine.Mutex.RLock()
	defer l.Engine.Mutex.RUnlock()
	tmpl := l.Lookup(name)
	if tmpl == nil {
		return fmt.Errorf("render: template %s does not exist", name)
	}
	return tmpl.Execute(out, binding)
}

// unbound prefixes the layout name of an engine that Bind bound: the
// engine's own Render gives its layout function under that name, which no
// layout calls.
const unbound = "cachebust_unbound_"

// Bind makes the engine whose core is e, built on html/template, render
// layouts only through Layouts, and returns the name of its layout
// function (embed) for Layouts.Name. The engine's own Render would print a
// failing view's error into the layout and succeed: after Bind, a layout
// rendered by it calls a function that fails the render with an error
// naming the engine and saying to give Fiber the Views. Bind the engine
// before it loads, or load it again.
func Bind(engine string, e *core.Engine) string {
	e.Mutex.Lock()
	defer e.Mutex.Unlock()
	name, bound := strings.CutPrefix(e.LayoutName, unbound)
	if !bound {
		e.LayoutName = unbound + name
	}
	e.Funcmap[name] = func() (string, error) {
		return "", fmt.Errorf("cachebust: gofiber %s engine: a layout renders only through the Views that Register returned; give those to fiber.New, not the engine", engine)
	}
	return name
}
