package templ_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/a-h/templ"

	cbtempl "github.com/cachebust/cachebust/adapters/templ"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// resolver returns a strict resolver of a stylesheet and a module, with
// integrity values, and of a script without.
func resolver(t *testing.T) *core.Resolver {
	t.Helper()
	fsys := fstest.MapFS{
		"css/app.css": {Data: []byte("body{color:#c00}\n")},
		"js/app.js":   {Data: []byte("console.log(\"app\");\n")},
	}
	built, err := fingerprint.FS(context.Background(), fsys, fingerprint.Options{Integrity: "sha384"})
	if err != nil {
		t.Fatal(err)
	}
	m := built.Manifest()
	m.Assets["js/plain.js"] = core.Asset{File: "js/plain.js", Hash: strings.Repeat("ab", 32)} // no integrity recorded
	r, err := core.New(m, core.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render(ctx context.Context, c templ.Component) (string, error) {
	var b strings.Builder
	err := c.Render(ctx, &b)
	return b.String(), err
}

func TestComponents(t *testing.T) {
	ctx := cbtempl.WithResolver(context.Background(), resolver(t))
	// printf 'body{color:#c00}\n' | openssl dgst -sha384 -binary | base64
	const cssSRI = "sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7+lj5DbwUBduHl"
	tests := []struct {
		name string
		c    templ.Component
		want string
	}{
		{"Stylesheet", cbtempl.Stylesheet("css/app.css"),
			`<link rel="stylesheet" href="/static/css/app-7cf8afb02638.css" integrity="` + cssSRI + `" crossorigin="anonymous">`},
		{"Script", cbtempl.Script("js/app.js"),
			`<script src="/static/js/app-6f4c113f5974.js" integrity="sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418" crossorigin="anonymous"></script>`},
		{"Module", cbtempl.Module("js/app.js"),
			`<script type="module" src="/static/js/app-6f4c113f5974.js" integrity="sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418" crossorigin="anonymous"></script>`},
		{"Script without integrity", cbtempl.Script("js/plain.js"), `<script src="/static/js/plain.js"></script>`},
		{"ImportMap", cbtempl.ImportMap(),
			`<script type="importmap">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","/static/js/plain.js":"/static/js/plain.js"},"integrity":{"/static/js/app-6f4c113f5974.js":"sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"}}</script>`},
		{"ImportMapNonce", templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			return cbtempl.ImportMap().Render(templ.WithNonce(ctx, `n"1`), w)
		}),
			`<script type="importmap" nonce="n&#34;1">{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","/static/js/plain.js":"/static/js/plain.js"},"integrity":{"/static/js/app-6f4c113f5974.js":"sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"}}</script>`},
	}
	for _, tt := range tests {
		got, err := render(ctx, tt.c)
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// Entry and Preload write the resolver's elements, and with a nonce in
// the context put it on every element.
func TestEntryNonce(t *testing.T) {
	r := resolver(t)
	m := r.Manifest()
	a := m.Assets["js/app.js"]
	a.Imports = []string{"js/plain.js"}
	m.Assets["js/app.js"] = a
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	ctx := cbtempl.WithResolver(context.Background(), r)
	const sri = "sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"
	tests := []struct {
		name  string
		c     templ.Component
		nonce string
		want  string
	}{
		{"Entry", cbtempl.Entry("js/app.js"), "",
			`<script type="module" src="/static/js/app-6f4c113f5974.js" integrity="` + sri + `"></script>` + "\n" +
				`<link rel="modulepreload" href="/static/js/plain.js">`},
		{"EntryNonce", cbtempl.Entry("js/app.js"), `n"1`,
			`<script nonce="n&#34;1" type="module" src="/static/js/app-6f4c113f5974.js" integrity="` + sri + `"></script>` + "\n" +
				`<link nonce="n&#34;1" rel="modulepreload" href="/static/js/plain.js">`},
		{"Preload", cbtempl.Preload("css/app.css"), "",
			`<link rel="preload" href="/static/css/app-7cf8afb02638.css" as="style" integrity="sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7+lj5DbwUBduHl">`},
		{"PreloadNonce", cbtempl.Preload("css/app.css"), "n1",
			`<link nonce="n1" rel="preload" href="/static/css/app-7cf8afb02638.css" as="style" integrity="sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7+lj5DbwUBduHl">`},
	}
	for _, tt := range tests {
		c := ctx
		if tt.nonce != "" {
			c = templ.WithNonce(ctx, tt.nonce)
		}
		got, err := render(c, tt.c)
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// A component fails with the resolver's error: a missing asset in strict
// mode, and a context without a resolver.
func TestComponentErrors(t *testing.T) {
	ctx := cbtempl.WithResolver(context.Background(), resolver(t))
	tests := []struct {
		name string
		ctx  context.Context
		c    templ.Component
		want error
	}{
		{"missing", ctx, cbtempl.Stylesheet("css/missing.css"), core.ErrNotFound},
		{"no resolver", context.Background(), cbtempl.Module("js/app.js"), cbtempl.ErrNoResolver},
		{"no resolver, import map", context.Background(), cbtempl.ImportMap(), cbtempl.ErrNoResolver},
	}
	for _, tt := range tests {
		got, err := render(tt.ctx, tt.c)
		if !errors.Is(err, tt.want) || got != "" {
			t.Errorf("%s: %q, %v; want nothing written and an error wrapping %v", tt.name, got, err, tt.want)
		}
	}
	if _, err := cbtempl.URL(context.Background(), "css/app.css"); !errors.Is(err, cbtempl.ErrNoResolver) || !strings.Contains(err.Error(), `"css/app.css"`) {
		t.Errorf("URL without a resolver: %v; want ErrNoResolver naming the asset", err)
	}
}

// Middleware puts the resolver in every request's context.
func TestMiddleware(t *testing.T) {
	page := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		u, err := cbtempl.URL(ctx, "css/app.css")
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, u)
		return err
	})
	h := cbtempl.Middleware(resolver(t))(templ.Handler(page))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if got, want := rec.Body.String(), "/static/css/app-7cf8afb02638.css"; rec.Code != http.StatusOK || got != want {
		t.Errorf("GET / = %d %q, want 200 %q", rec.Code, got, want)
	}
}
