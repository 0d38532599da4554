package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// importMap is the JSON of an import map, as the suite reads it.
type importMap struct {
	Imports   map[string]string `json:"imports"`
	Integrity map[string]string `json:"integrity,omitempty"`
}

// Names of the import map cases' fixture.
const (
	// evilModule is a module whose path holds what would end a script
	// element or open a comment in it.
	evilModule = "js/</script><!--<script>.mjs"
	// evilBare is a bare name holding the same, an ampersand and a line
	// separator, which older JavaScript parsers took for a line break.
	evilBare = "</script><!--<script>&\u2028"
)

// importMapPage is the page around asset_importmap in its cases.
const importMapPage = "<head>%s</head>"

// The tags around the element's JSON.
const (
	importMapOpen  = `<script type="importmap">`
	importMapClose = `</script>`
)

// scriptBreakers are what ends a script element's text early or puts the
// HTML parser into a state where "</script>" does not end it, in any case.
var scriptBreakers = regexp.MustCompile(`(?i)</script|<!--|<script`)

// runImportMap calls asset_importmap without arguments and checks the
// element it prints, or the error it must fail with.
func runImportMap(t *testing.T, e Engine, c *testCase) {
	src := fmt.Sprintf(importMapPage, e.Call(importMapFunc))
	got, err := render(e, src, nil)
	if c.wantErr != nil || c.errText != "" {
		checkErr(t, e, c, src, got, err)
		return
	}
	checkImportMap(t, c, src, got, err)
}

// runImportMapBare names asset_importmap without a call: the render fails,
// or prints what a call prints.
func runImportMapBare(t *testing.T, e Engine, c *testCase) {
	src := fmt.Sprintf(importMapPage, e.Bare(importMapFunc))
	got, err := render(e, src, nil)
	var p *panicError
	switch {
	case errors.As(err, &p):
		fail(t, c, src, "%v; want an error returned", err)
	case err != nil:
		// Failing is one of the two right answers.
	default:
		r := c.setup.resolver(t)
		want, err := r.ImportMap()
		if err != nil {
			t.Fatalf("the resolver's import map: %v", err)
		}
		if want = fmt.Sprintf(importMapPage, want); got != want {
			fail(t, c, src, "output\n\t%q\nis neither an error nor what a call prints,\n\t%q", got, want)
		}
	}
}

// runImportMapArguments calls asset_importmap with an argument and applies
// it as a filter; both must fail.
func runImportMapArguments(t *testing.T, e Engine, c *testCase) {
	arg := e.Literal("js/app.js")
	for _, call := range []struct {
		name, src string
		c         *testCase
	}{
		{"call", e.Call(importMapFunc, arg), c},
		// An engine may refuse the filter for not knowing it, or for its
		// argument: the message need not speak of arguments.
		{"filter", e.Filter(importMapFunc, arg), &testCase{explanation: c.explanation}},
	} {
		t.Run(call.name, func(t *testing.T) {
			src := fmt.Sprintf(importMapPage, call.src)
			got, err := render(e, src, nil)
			checkErr(t, e, call.c, src, got, err)
		})
	}
}

// checkImportMap checks a render of importMapPage that must print the
// element of c.importMap, as the resolver gives it, raw.
func checkImportMap(t *testing.T, c *testCase, src, got string, err error) {
	t.Helper()
	if err != nil {
		fail(t, c, src, "Render failed: %v", err)
		return
	}
	raw, ok := action(t, c, importMapPage, src, got)
	if !ok {
		return
	}
	inner, ok := strings.CutPrefix(raw, importMapOpen)
	if ok {
		inner, ok = strings.CutSuffix(inner, importMapClose)
	}
	if !ok {
		fail(t, c, src, "output\n\t%q\nis not one %s…%s element, as the browser reads it (no entity decoding in a script element)", raw, importMapOpen, importMapClose)
		return
	}
	if loc := scriptBreakers.FindStringIndex(inner); loc != nil {
		fail(t, c, src, "the import map's text holds %q, which ends the script element early or changes how it ends:\n\t%q", inner[loc[0]:loc[1]], inner)
	}
	if i := strings.IndexAny(inner, "\u2028\u2029"); i >= 0 {
		fail(t, c, src, "the import map's text holds a raw line or paragraph separator:\n\t%q", inner)
	}
	var im importMap
	dec := json.NewDecoder(strings.NewReader(inner))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&im); err != nil {
		fail(t, c, src, "the import map's JSON does not parse: %v\n\t%q", err, inner)
		return
	}
	checkMap(t, c, src, "imports", im.Imports, c.importMap.Imports)
	checkMap(t, c, src, "integrity", im.Integrity, c.importMap.Integrity)

	// Every engine prints the very bytes of the resolver.
	want, err := c.setup.resolver(t).ImportMap()
	if err != nil {
		t.Fatalf("the resolver's import map: %v", err)
	}
	if raw != want {
		fail(t, c, src, "element\n\t%q\nis not the resolver's, unchanged:\n\t%q", raw, want)
	}
}

// checkMap reports the differences between one section of an import map
// and the one expected.
func checkMap(t *testing.T, c *testCase, src, section string, got, want map[string]string) {
	t.Helper()
	if maps.Equal(got, want) {
		return
	}
	var b bytes.Buffer
	for _, k := range slices.Sorted(maps.Keys(want)) {
		switch g, ok := got[k]; {
		case !ok:
			fmt.Fprintf(&b, "\n\tmissing %q: %q", k, want[k])
		case g != want[k]:
			fmt.Fprintf(&b, "\n\t%q: %q, want %q", k, g, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			fmt.Fprintf(&b, "\n\tunexpected %q: %q", k, got[k])
		}
	}
	fail(t, c, src, "the import map's %s differ:%s", section, b.String())
}
