package gomponents_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	g "maragu.dev/gomponents"
	h "maragu.dev/gomponents/html"

	cbg "github.com/cachebust/cachebust/adapters/gomponents"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

// skipped are the conformance subtests gomponents cannot express, as
// -skip patterns. The nodes are Go functions of a string: the Go compiler
// refuses what the first two lines name. gomponents writes an attribute
// whole and quoted, and has no JavaScript or CSS context: a URL in an
// unquoted attribute, a script, a style or a srcset is a Go string from
// core.Resolver.URL, not one of these nodes.
var skipped = []string{
	"^TestConformance$/./^filter$",
	"^TestConformance$/^(non-string-int|non-string-nil|non-string-struct|named-string|template-url|template-html|undefined-variable|no-arguments|two-arguments|importmap-bare|importmap-arguments|entry-non-string|entry-named-string)$",
	// Render data are Go values: a path in a variable is a Go string, as
	// a literal is, and the hostile names of the graph still run.
	"^TestConformance$/^(entry-hostile-value|entry-vite-dev-hostile|preload-hostile)$",
	"^TestConformance$/./^call$/^(attr-unquoted|script|style|srcset)$",
}

func TestMain(m *testing.M) {
	flag.Parse()
	patterns := slices.Clone(skipped)
	if v := flag.Lookup("test.skip").Value.String(); v != "" {
		patterns = append([]string{v}, patterns...)
	}
	// Of alternatives, go test takes the first that matches a name, even
	// as a prefix of a longer pattern: shorter patterns come first.
	slices.SortStableFunc(patterns, func(a, b string) int {
		return strings.Count(a, "/") - strings.Count(b, "/")
	})
	if err := flag.Set("test.skip", strings.Join(patterns, "|")); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// engine builds, from each page the suite writes, the nodes a gomponents
// page would hold: the markup around the action as g.Raw, and the action
// as this package's node, an attribute where it is an attribute's whole
// value, else text.
type engine struct{ r *core.Resolver }

var _ conformance.UnwrappingEngine = engine{}

func (engine) Literal(s string) string { return strconv.Quote(s) }
func (engine) Var(name string) string  { return name }
func (engine) Bare(fn string) string   { return "[[" + fn + "]]" }
func (engine) ErrorsUnwrap() bool      { return true }

func (engine) Call(fn string, args ...string) string {
	return "[[" + strings.Join(append([]string{fn}, args...), " ") + "]]"
}

// Filter writes a call: Go has no filter syntax.
func (e engine) Filter(fn, arg string, params ...string) string {
	return e.Call(fn, append([]string{arg}, params...)...)
}

var (
	action  = regexp.MustCompile(`( href=")?\[\[(asset_url|asset_integrity|asset_importmap|asset_entry|asset_preload)((?: "(?:[^"\\]|\\.)*")*)\]\](")?`)
	literal = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

func (e engine) Render(src string, _ map[string]any) (string, error) {
	var page g.Group
	for src != "" {
		m := action.FindStringSubmatchIndex(src)
		if m == nil {
			page = append(page, g.Raw(src))
			break
		}
		page = append(page, g.Raw(src[:m[0]]))
		n, err := e.node(src[m[0]:m[1]], src[m[4]:m[5]], src[m[6]:m[7]])
		if err != nil {
			panic(err) // a case the skip list should name
		}
		page = append(page, n)
		src = src[m[1]:]
	}
	var b strings.Builder
	err := page.Render(&b)
	return b.String(), err
}

// node returns the node of one action, matched as a whole by m.
func (e engine) node(m, fn, args string) (g.Node, error) {
	var paths []string
	for _, lit := range literal.FindAllString(args, -1) {
		s, err := strconv.Unquote(lit)
		if err != nil {
			return nil, err
		}
		paths = append(paths, s)
	}
	attr := strings.HasPrefix(m, ` href="`) && strings.HasSuffix(m, `"`)
	switch {
	case fn == "asset_importmap" && len(paths) == 0:
		return cbg.ImportMap(e.r), nil
	case len(paths) != 1:
		return nil, errors.New("not expressible: " + m)
	case fn == "asset_entry":
		return cbg.Entry(e.r, paths[0]), nil
	case fn == "asset_preload":
		return cbg.Preload(e.r, paths[0]), nil
	case fn == "asset_url" && attr:
		// The markup around is raw, not an element, which would put the
		// attribute in its opening tag: render it in place.
		return g.NodeFunc(cbg.Href(e.r, paths[0]).Render), nil
	case fn == "asset_url":
		return g.Group{raw(m, ` href="`), cbg.URL(e.r, paths[0]), raw(m, `"`)}, nil
	default:
		return g.Group{raw(m, ` href="`), cbg.Integrity(e.r, paths[0]), raw(m, `"`)}, nil
	}
}

// raw returns the part s of the markup the action pattern matched, when it
// did.
func raw(m, s string) g.Node {
	if (s == `"` && strings.HasSuffix(m, s)) || strings.HasPrefix(m, s) {
		return g.Raw(s)
	}
	return nil
}

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine { return engine{r} })
}

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

func TestNodes(t *testing.T) {
	r := resolver(t)
	// printf 'body{color:#c00}\n' | openssl dgst -sha384 -binary | base64
	const cssSRI = "sha384-Gj4RrJEc3Y/db37OvVWPc7CBvQDQVxU41sqKFJpgi2dtdLV37A7+lj5DbwUBduHl"
	const jsSRI = "sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"
	const importMap = `{"imports":{"/static/js/app.js":"/static/js/app-6f4c113f5974.js","/static/js/plain.js":"/static/js/plain.js"},"integrity":{"/static/js/app-6f4c113f5974.js":"` + jsSRI + `"}}`
	tests := []struct {
		name string
		n    g.Node
		want string
	}{
		{"Stylesheet", cbg.Stylesheet(r, "css/app.css"),
			`<link rel="stylesheet" href="/static/css/app-7cf8afb02638.css" integrity="` + cssSRI + `" crossorigin="anonymous">`},
		{"Script", cbg.Script(r, "js/app.js"),
			`<script src="/static/js/app-6f4c113f5974.js" integrity="` + jsSRI + `" crossorigin="anonymous"></script>`},
		{"Module", cbg.Module(r, "js/app.js"),
			`<script type="module" src="/static/js/app-6f4c113f5974.js" integrity="` + jsSRI + `" crossorigin="anonymous"></script>`},
		{"Script without integrity", cbg.Script(r, "js/plain.js"), `<script src="/static/js/plain.js"></script>`},
		{"ImportMap", cbg.ImportMap(r), `<script type="importmap">` + importMap + `</script>`},
		{"ImportMapNonce", cbg.ImportMapNonce(r, `n"1`), `<script type="importmap" nonce="n&#34;1">` + importMap + `</script>`},
		{"attributes", h.Img(cbg.Src(r, "css/app.css"), cbg.Attr("data-css", r, "css/app.css"), h.Alt("")),
			`<img src="/static/css/app-7cf8afb02638.css" data-css="/static/css/app-7cf8afb02638.css" alt="">`},
		{"href and text", h.A(cbg.Href(r, "js/app.js"), cbg.URL(r, "js/app.js")),
			`<a href="/static/js/app-6f4c113f5974.js">/static/js/app-6f4c113f5974.js</a>`},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := tt.n.Render(&b); err != nil || b.String() != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.name, b.String(), err, tt.want)
		}
	}
}

// A node fails with the resolver's error when it renders: a missing
// asset in strict mode, and, for asset_integrity's text, an asset recorded
// without an integrity value in strict mode.
func TestNodeErrors(t *testing.T) {
	r := resolver(t)
	tests := []struct {
		name string
		n    g.Node
		want error
	}{
		{"Stylesheet", cbg.Stylesheet(r, "css/missing.css"), core.ErrNotFound},
		{"Href", h.Link(cbg.Href(r, "css/missing.css")), core.ErrNotFound},
		{"Integrity", cbg.Integrity(r, "js/plain.js"), core.ErrNoIntegrity},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := tt.n.Render(&b); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v; want an error wrapping %v", tt.name, err, tt.want)
		}
	}
}
