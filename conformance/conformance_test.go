package conformance_test

import (
	"errors"
	"html/template"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/suitetest"
)

// htmlEngine is the simplest real engine: html/template with the
// htmltemplate adapter. The suite is tested against it the way net.Pipe is
// tested with nettest.
type htmlEngine struct{ funcs template.FuncMap }

var _ conformance.UnwrappingEngine = htmlEngine{}

func (htmlEngine) Literal(s string) string { return strconv.Quote(s) }
func (htmlEngine) Var(name string) string  { return "." + name }
func (htmlEngine) Bare(fn string) string   { return "{{ " + fn + " }}" }
func (htmlEngine) ErrorsUnwrap() bool      { return true }

func (htmlEngine) Call(fn string, args ...string) string {
	return "{{ " + strings.Join(append([]string{fn}, args...), " ") + " }}"
}

func (htmlEngine) Filter(fn, arg string, params ...string) string {
	return "{{ " + arg + " | " + strings.Join(append([]string{fn}, params...), " ") + " }}"
}

func (e htmlEngine) Render(src string, data map[string]any) (string, error) {
	t, err := template.New("t").Funcs(e.funcs).Parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = t.Execute(&b, data)
	return b.String(), err
}

func newHTMLEngine(t *testing.T, r *core.Resolver) conformance.Engine {
	return htmlEngine{htmltemplate.Funcs(r)}
}

func TestHTMLTemplate(t *testing.T) {
	conformance.Run(t, newHTMLEngine)
}

// brokenEngine wraps htmlEngine and breaks one rule, chosen by kind.
type brokenEngine struct {
	htmlEngine
	kind string
}

func (e brokenEngine) ErrorsUnwrap() bool { return e.kind == "no-unwrap" }

func (e brokenEngine) Bare(fn string) string {
	if e.kind == "bare-address" {
		return `{{ "0x6ecba0" }}` // as Jet printed a function named alone
	}
	return e.htmlEngine.Bare(fn)
}

func (e brokenEngine) Call(fn string, args ...string) string {
	if e.kind == "extra-args-dropped" && len(args) > 1 {
		args = args[:1]
	}
	return e.htmlEngine.Call(fn, args...)
}

func (e brokenEngine) Filter(fn, arg string, params ...string) string {
	if e.kind == "extra-args-dropped" {
		params = nil
	}
	return e.htmlEngine.Filter(fn, arg, params...)
}

func (e brokenEngine) Var(name string) string {
	if e.kind == "undefined-empty" {
		return `""` // as an engine that prints nothing for what it cannot find
	}
	return e.htmlEngine.Var(name)
}

var lowerHex = regexp.MustCompile(`%[0-9A-F]{2}`)

func (e brokenEngine) Render(src string, data map[string]any) (string, error) {
	out, err := e.htmlEngine.Render(src, data)
	switch {
	case e.kind == "swallow" && err != nil:
		return "", nil // as Jet does with a Go function's second result
	case e.kind == "panic" && err != nil:
		panic(err)
	case e.kind == "no-unwrap" && err != nil:
		return out, errors.New(err.Error())
	case e.kind == "lower-hex":
		return lowerHex.ReplaceAllStringFunc(out, strings.ToLower), err
	case e.kind == "json-unescaped":
		// As an adapter that writes the import map's JSON with
		// SetEscapeHTML(false).
		return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\u2028`, "\u2028").Replace(out), err
	case e.kind == "entities-in-script":
		// As an engine that escapes for HTML inside <script> too, where
		// html/template escapes for JavaScript.
		return strings.ReplaceAll(out, `\/`, "&#x2F;"), err
	}
	return out, err
}

// TestBrokenEngine runs the suite against an engine broken as
// CONFORMANCE_BROKEN says; it is run only by TestSuiteCatches, in a
// subprocess, and fails there.
func TestBrokenEngine(t *testing.T) {
	kind := os.Getenv("CONFORMANCE_BROKEN")
	if kind == "" {
		t.Skip("run by TestSuiteCatches")
	}
	conformance.Run(t, func(t *testing.T, r *core.Resolver) conformance.Engine {
		if kind == "own-resolver" {
			// Ignores r: a resolver of its own, as a careless global would.
			r = mustResolver(t)
		}
		funcs := htmltemplate.Funcs(r)
		switch kind {
		case "string-param":
			// Takes a string, as a careless adapter would: Go templates then
			// refuse named string types.
			funcs = template.FuncMap{
				"asset_url":       r.URL,
				"asset_integrity": r.Integrity,
				"asset_importmap": r.ImportMap,
			}
		case "importmap-string":
			// Returns the element as a string, which html/template escapes.
			funcs["asset_importmap"] = r.ImportMap
		case "importmap-args":
			// Takes and ignores arguments.
			funcs["asset_importmap"] = func(...any) (template.HTML, error) {
				s, err := r.ImportMap()
				return template.HTML(s), err
			}
		case "entry-string":
			// Returns the elements as a string, which html/template
			// escapes.
			funcs["asset_entry"] = r.EntryHTML
		case "entry-raw-path":
			// Writes the module script itself, around the path as given,
			// as a careless adapter would.
			funcs["asset_entry"] = func(name string) template.HTML {
				return template.HTML(`<script type="module" src="/static/` + name + `"></script>`)
			}
		case "preload-as-entry":
			// Gives an entry's elements for a preload.
			funcs["asset_preload"] = funcs["asset_entry"]
		}
		return brokenEngine{htmlEngine{funcs}, kind}
	})
}

func mustResolver(t *testing.T) *core.Resolver {
	m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}}
	r, err := core.New(m, core.Options{Prefix: "/elsewhere/"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSuiteCatches checks that the suite fails engines that break its
// rules, and says which rule: each broken engine runs in a subprocess.
func TestSuiteCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	broken := []suitetest.Broken{
		{
			Kind: "swallow",
			Fail: map[string]string{
				"strict-missing":           "want an error",
				"non-string-int":           "rule: An int argument is an error naming its type",
				"escape-root":              "rule: A path escaping the asset root",
				"empty-path":               "Render succeeded with output \"\"",
				"integrity-strict-none":    "rule: In strict mode asset_integrity of an asset recorded without one",
				"importmap-strict-missing": "rule: In strict mode a bare name whose asset is missing",
			},
			Pass: []string{"sha256-rename", "fallback-missing", "concurrent"},
		},
		{
			Kind: "panic",
			Fail: map[string]string{
				"strict-missing": "Render panicked",
				"non-string-nil": "rule: A nil argument is an error",
			},
			Pass: []string{"special-space", "integrity"},
		},
		{
			Kind: "no-unwrap",
			Fail: map[string]string{
				"strict-missing": "errors.Is",
				"escape-root":    "errors.Is",
			},
			Pass: []string{"non-string-struct", "md5-query"},
		},
		{
			Kind: "lower-hex",
			Fail: map[string]string{
				"special-non-ascii": "rule: Non-ASCII is percent-encoded as UTF-8 bytes in upper-case hex",
				"special-question":  "%3f",
				"special-fallback":  "%c3%bc",
			},
			Pass: []string{"special-space", "special-hash", "crc32-query"},
		},
		{
			Kind: "bare-address",
			Fail: map[string]string{
				"no-arguments": `"0x6ecba0"`,
			},
			Pass: []string{"two-arguments", "sha256-rename"},
		},
		{
			Kind: "extra-args-dropped",
			Fail: map[string]string{
				"two-arguments": "rule: A call or filter with two arguments is an error",
			},
			Pass: []string{"no-arguments", "sha256-rename"},
		},
		{
			Kind: "undefined-empty",
			Fail: map[string]string{
				"undefined-variable": "rule: An undefined variable as the argument is an error",
			},
			Pass: []string{"sha256-rename", "escape-root"},
		},
		{
			Kind: "string-param",
			Fail: map[string]string{
				"named-string": "rule: A value of a named string type",
				"template-url": "rule: A template.URL is a path like a string",
			},
			Pass: []string{"sha256-rename", "strict-missing"},
		},
		{
			Kind: "entities-in-script",
			Fail: map[string]string{
				"sha256-rename":  "in a JavaScript string in a <script> element",
				"base-url":       `"https:&#x2F;&#x2F;cdn.example.com`,
				"prefix-escaped": `&#x2F;my%20static`,
				"foreign-url":    "rule: A URL of another host from a foreign manifest",
			},
			Pass: []string{"strict-missing", "escape-root", "integrity"},
		},
		{
			Kind: "own-resolver",
			Fail: map[string]string{
				"prefix":        "/assets/v2/",
				"base-url":      "https://cdn.example.com/assets/",
				"strict-found":  "rule: Strict mode changes nothing",
				"sha256-rename": "/elsewhere/",
				"concurrent":    "rule: Renders run concurrently",
				"importmap":     `missing "app"`,
			},
			Pass: []string{"escape-root", "non-string-int"},
		},
		{
			Kind: "importmap-string",
			Fail: map[string]string{
				"importmap":           "no entity decoding in a script element",
				"importmap-integrity": "rule: Where the manifest records integrity values of modules",
				"importmap-bare":      "is neither an error nor what a call prints",
			},
			Pass: []string{"sha256-rename", "importmap-strict-missing", "importmap-arguments"},
		},
		{
			Kind: "json-unescaped",
			Fail: map[string]string{
				"importmap-escaping": `holds "</script"`,
			},
			Pass: []string{"importmap", "importmap-integrity", "sha256-rename"},
		},
		{
			Kind: "entry-string",
			Fail: map[string]string{
				"entry-module":       "as a browser parses it, has the text",
				"entry-vite":         "rule: asset_entry of a Vite manifest's entry",
				"entry-named-string": "rule: asset_entry of a value of a named string type",
			},
			Pass: []string{"entry-strict-missing", "preload-hostile", "importmap"},
		},
		{
			Kind: "entry-raw-path",
			Fail: map[string]string{
				"entry-hostile-value":    "as a browser parses it, has the text",
				"entry-hostile-names":    "rule: Nothing an asset path says",
				"entry-vite-dev-hostile": "rule: With a Vite dev server, a hostile entry name",
				"entry-module":           `missing <link href="/static/js/lib/c-b7defcba5eda.js"`,
			},
			Pass: []string{"preload-hostile", "sha256-rename"},
		},
		{
			Kind: "preload-as-entry",
			Fail: map[string]string{
				"preload-module": `<script integrity=`,
			},
			Pass: []string{"preload-font", "preload-image", "entry-module"},
		},
		{
			Kind: "importmap-args",
			Fail: map[string]string{
				"importmap-arguments": "rule: asset_importmap takes no argument",
			},
			Pass: []string{"importmap", "importmap-bare"},
		},
	}
	suitetest.Check(t, "TestBrokenEngine", "CONFORMANCE_BROKEN", "engine", broken)
}
