package views

import (
	"bytes"
	"fmt"
	"html/template"
	"io"

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
	// Engine is the engine's core: its lock, layout name and Loaded mark.
	Engine *core.Engine
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
		lay.Funcs(template.FuncMap{l.Engine.LayoutName: func() error {
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
