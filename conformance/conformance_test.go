package conformance_test

import (
	"errors"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/adapters/htmltemplate"
	"github.com/cachebust/cachebust/conformance"
	"github.com/cachebust/cachebust/core"
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
		}
		return brokenEngine{htmlEngine{funcs}, kind}
	})
}

func mustResolver(t *testing.T) *core.Resolver {
	m := &core.Manifest{Version: core.ManifestVersion, URL: "rename", Assets: map[string]core.Asset{}}
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
	tests := []struct {
		kind string
		// fail lists cases that must fail, with text their failure prints.
		fail map[string]string
		// pass lists cases that must still pass.
		pass []string
	}{
		{
			kind: "swallow",
			fail: map[string]string{
				"strict-missing":           "want an error",
				"non-string-int":           "rule: An int argument is an error naming its type",
				"escape-root":              "rule: A path escaping the asset root",
				"empty-path":               "Render succeeded with output \"\"",
				"integrity-strict-none":    "rule: In strict mode asset_integrity of an asset recorded without one",
				"importmap-strict-missing": "rule: In strict mode a bare name whose asset is missing",
			},
			pass: []string{"sha256-rename", "fallback-missing", "concurrent"},
		},
		{
			kind: "panic",
			fail: map[string]string{
				"strict-missing": "Render panicked",
				"non-string-nil": "rule: A nil argument is an error",
			},
			pass: []string{"special-space", "integrity"},
		},
		{
			kind: "no-unwrap",
			fail: map[string]string{
				"strict-missing": "errors.Is",
				"escape-root":    "errors.Is",
			},
			pass: []string{"non-string-struct", "md5-query"},
		},
		{
			kind: "lower-hex",
			fail: map[string]string{
				"special-non-ascii": "rule: Non-ASCII is percent-encoded as UTF-8 bytes in upper-case hex",
				"special-question":  "%3f",
				"special-fallback":  "%c3%bc",
			},
			pass: []string{"special-space", "special-hash", "crc32-query"},
		},
		{
			kind: "bare-address",
			fail: map[string]string{
				"no-arguments": `"0x6ecba0"`,
			},
			pass: []string{"two-arguments", "sha256-rename"},
		},
		{
			kind: "extra-args-dropped",
			fail: map[string]string{
				"two-arguments": "rule: A call or filter with two arguments is an error",
			},
			pass: []string{"no-arguments", "sha256-rename"},
		},
		{
			kind: "undefined-empty",
			fail: map[string]string{
				"undefined-variable": "rule: An undefined variable as the argument is an error",
			},
			pass: []string{"sha256-rename", "escape-root"},
		},
		{
			kind: "string-param",
			fail: map[string]string{
				"named-string": "rule: A value of a named string type",
				"template-url": "rule: A template.URL is a path like a string",
			},
			pass: []string{"sha256-rename", "strict-missing"},
		},
		{
			kind: "entities-in-script",
			fail: map[string]string{
				"sha256-rename":  "in a JavaScript string in a <script> element",
				"base-url":       `"https:&#x2F;&#x2F;cdn.example.com`,
				"prefix-escaped": `&#x2F;my%20static`,
				"foreign-url":    "rule: A URL of another host from a foreign manifest",
			},
			pass: []string{"strict-missing", "escape-root", "integrity"},
		},
		{
			kind: "own-resolver",
			fail: map[string]string{
				"prefix":        "/assets/v2/",
				"base-url":      "https://cdn.example.com/assets/",
				"strict-found":  "rule: Strict mode changes nothing",
				"sha256-rename": "/elsewhere/",
				"concurrent":    "rule: Renders run concurrently",
				"importmap":     `missing "app"`,
			},
			pass: []string{"escape-root", "non-string-int"},
		},
		{
			kind: "importmap-string",
			fail: map[string]string{
				"importmap":           "no entity decoding in a script element",
				"importmap-integrity": "rule: Where the manifest records integrity values of modules",
				"importmap-bare":      "is neither an error nor what a call prints",
			},
			pass: []string{"sha256-rename", "importmap-strict-missing", "importmap-arguments"},
		},
		{
			kind: "json-unescaped",
			fail: map[string]string{
				"importmap-escaping": `holds "</script"`,
			},
			pass: []string{"importmap", "importmap-integrity", "sha256-rename"},
		},
		{
			kind: "importmap-args",
			fail: map[string]string{
				"importmap-arguments": "rule: asset_importmap takes no argument",
			},
			pass: []string{"importmap", "importmap-bare"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenEngine$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "CONFORMANCE_BROKEN="+tt.kind)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("suite against the %s engine: err = %v, want a failing exit\n%s", tt.kind, err, out)
			}
			for name, text := range tt.fail {
				block := failure(string(out), name)
				if block == "" {
					t.Errorf("case %s passed against the %s engine; want a failure", name, tt.kind)
					continue
				}
				if !strings.Contains(block, text) {
					t.Errorf("failure of case %s against the %s engine does not say %q:\n%s", name, tt.kind, text, block)
				}
			}
			for _, name := range tt.pass {
				if !strings.Contains(string(out), fmt.Sprintf("--- PASS: TestBrokenEngine/%s ", name)) {
					t.Errorf("case %s did not pass against the %s engine, which breaks another rule", name, tt.kind)
				}
			}
		})
	}
}

// failure returns the output of the subtests of case name, from its
// "=== RUN" line to its "--- FAIL" line, or "" if it did not fail.
func failure(out, name string) string {
	start := strings.Index(out, "=== RUN   TestBrokenEngine/"+name+"\n")
	end := strings.Index(out, "--- FAIL: TestBrokenEngine/"+name+" ")
	if start < 0 || end < start {
		return ""
	}
	return out[start:end]
}
