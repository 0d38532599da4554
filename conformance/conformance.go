// Package conformance tests that a template engine's cachebust functions,
// asset_url, asset_integrity, asset_importmap, asset_entry and
// asset_preload, behave the same as in every other engine.
//
// An adapter's test calls Run with a function that makes an Engine: a
// template engine with the functions of one core.Resolver installed, which
// knows its own syntax. Run builds a fresh resolver for every case from
// fixed fixture bytes, renders small templates and compares the output
// with URLs worked out from those bytes by other tools (sha256sum, md5sum,
// Python's zlib.crc32), not by cachebust.
//
// # Contexts
//
// Every URL is rendered in every part of a page it can go in: HTML text, a
// quoted and an unquoted attribute, a JavaScript string in a <script>
// element, a CSS url() in a style attribute and a srcset. In each, the
// suite reads the value as a browser would (entity decoding, then
// JavaScript or CSS unescaping) and checks that it is the expected URL and
// that it stays inside its context: an engine may escape what it likes,
// as html/template does, but a page must still get the very URL.
//
// # Cases
//
// Every case is a subtest with a stable name, such as
// "TestConformance/sha256-rename/filter/attr", so that an engine that cannot
// meet one documented case can leave it out with go test -skip rather than
// weaken the suite. A failure prints the rule the case checks. The cases
// cover every hash and URL form, prefixes and base URLs (one that needs
// escaping, and unsafe ones, which core.New refuses), URLs of other hosts
// from a foreign manifest, fallback and strict mode, missing assets, path
// normalisation, percent-encoding of special characters, arguments that
// are not strings, named string types such as template.URL, an undefined
// variable, calls with no or two arguments and a function named without
// a call, paths escaping the root, the empty path, the same asset twice,
// asset_integrity, concurrent renders (run the suite with -race),
// asset_importmap, asset_entry and asset_preload.
//
// # Import maps
//
// asset_importmap takes no argument and prints a whole
// <script type="importmap"> element. The suite reads it as a browser does,
// with no entity decoding (the text of a script element has none): the
// element must be exactly the one core.Resolver.ImportMap gives, its JSON
// must parse and map exactly the URLs worked out from the fixture bytes,
// and nothing in it may end the element early. An engine must therefore
// print it unescaped, as html/template does a template.HTML.
//
// # Entries and preloads
//
// asset_entry and asset_preload take one path and print whole elements
// for a page's head: an entry's module script, modulepreloads and
// stylesheets (core.Resolver.EntryHTML), or one asset's preload
// (core.Resolver.PreloadHTML). The suite builds a module graph three
// levels deep, with a diamond, a dynamic import and attached CSS, a
// stylesheet with an @import closure and a font, from fixed bytes, and a
// Vite manifest as Vite's backend integration guide shows one, and checks
// every kind of entry and preload, the Vite dev server, strict and
// fallback mode, and hostile names in the template, the render data and
// the manifest's graph. It parses the output with an HTML tokenizer, as
// a browser does: it must be exactly the expected elements, with exactly
// the expected attributes, and nothing else, so that nothing a manifest
// says can leave its attribute; and it must be the resolver's bytes, but
// for the line breaks between elements, which engines that indent their
// output may change. An engine must print them unescaped.
//
// # Errors
//
// A function that fails must fail Render with an error: never an empty
// string with a nil error, and never a panic escaping Render. Every such
// error must name the asset and the cause. Engines whose errors also wrap
// the resolver's, so that errors.Is(err, core.ErrNotFound) holds, say so by
// implementing UnwrappingEngine, and the suite then checks that too.
package conformance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// An Engine is a template engine with asset_url, asset_integrity,
// asset_importmap, asset_entry and asset_preload installed, as an
// adapter's test sets it up. The suite writes its
// templates through the syntax methods, so it never needs to know the
// template language.
type Engine interface {
	// Literal returns the expression for the string literal s, such as
	// "css/app.css" quoted. s holds printable characters, possibly
	// non-ASCII, but never a quote or a backslash.
	Literal(s string) string
	// Var returns the expression for the render data's value named name,
	// such as .v in Go templates or v in pongo2 and Jet.
	Var(name string) string
	// Call returns an action that prints the result of calling the
	// function fn with the expressions args, such as {{ asset_url "x" }}
	// or {{ asset_url("x") }}. With no args it is the engine's call without
	// arguments: {{ asset_url }} in Go templates, {{ asset_url() }} in Jet
	// and pongo2.
	Call(fn string, args ...string) string
	// Filter returns an action that prints the result of applying fn as a
	// filter or pipe to the expression arg, such as {{ "x" | asset_url }},
	// with the expressions params, at most one, as the filter's own
	// arguments: {{ "x" | asset_url "y" }}, {{ "x"|asset_url:"y" }}.
	Filter(fn, arg string, params ...string) string
	// Bare returns an action that names the function fn alone, without
	// arguments or parentheses: {{ asset_url }}. Go templates call fn
	// without arguments; Jet and pongo2 evaluate fn to the function itself.
	// Either way the render must fail.
	Bare(fn string) string
	// Render parses src, executes it with data and returns the output.
	// Once a source has been rendered, rendering it again must be safe for
	// concurrent use.
	Render(src string, data map[string]any) (string, error)
}

// An UnwrappingEngine is an Engine that can report whether its render
// errors wrap the errors asset_url and asset_integrity return. When
// ErrorsUnwrap reports true, the suite checks errors.Is(err, core.ErrNotFound)
// and the like on every render error. Engines that keep only an error's
// text, such as pongo2 and the gofiber django engine, do not implement it
// or report false; for every engine the suite checks that the message
// names the asset and the cause.
type UnwrappingEngine interface {
	Engine
	ErrorsUnwrap() bool
}

// Function names, as the adapters install them.
const (
	urlFunc       = "asset_url"
	integrityFunc = "asset_integrity"
	importMapFunc = "asset_importmap"
)

// Fixture bytes, and the digests other tools computed from them:
//
//	printf 'body{color:#c00}\n' | sha256sum
//	printf 'body{color:#c00}\n' | md5sum
//	python3 -c 'import zlib; print("%08x" % zlib.crc32(b"body{color:#c00}\n"))'
const (
	cssData   = "body{color:#c00}\n"
	cssSHA256 = "7cf8afb02638485f69f5144871e987f41be71c93ad7806152e6418409c226178"
	cssMD5    = "03c630a177258828398fd9c64d4a31f6"
	cssCRC32  = "cff2e086"

	jsData   = "console.log(\"app\");\n"
	jsSHA256 = "6f4c113f597494422a7a98c570a40307c74039f30cf5d7cb7bcfa1b5ed50c178"

	specialData   = "special\n"
	specialSHA256 = "ebb1785812e28a7eaad689f5fd0654634934796369b079f73eda3c516b9a23d1"

	// printf 'export const util = 1;\n' | sha256sum
	utilData   = "export const util = 1;\n"
	utilSHA256 = "89a5926f199a40ed3649c6903b0867124e9e37baeb2136ad37bbdc8f3aea3f03"

	// cssIntegrity is set by hand on css/app.css in the integrity cases.
	cssIntegrity = "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
	// jsIntegrity, set on js/app.js in the import map cases, is that of
	// jsData:
	//	printf 'console.log("app");\n' | openssl dgst -sha384 -binary | base64
	jsIntegrity = "sha384-T2hO7zKkY8LxiAArzsPXNjINCGbwMTu1In0Aopy4beZlBxSrGoWPBhGCG2rh7418"
)

// h12 shortens a digest to fingerprint.DefaultLength digits, as URLs carry it.
func h12(h string) string { return h[:12] }

// fixture returns the asset tree every case builds from.
func fixture() fstest.MapFS {
	fsys := fstest.MapFS{
		"css/app.css": {Data: []byte(cssData)},
		"js/app.js":   {Data: []byte(jsData)},
		"js/util.mjs": {Data: []byte(utilData)},
	}
	for _, name := range specialNames {
		fsys[name] = &fstest.MapFile{Data: []byte(specialData)}
	}
	return fsys
}

// specialNames are fixture files whose names need percent-encoding.
var specialNames = []string{
	"img/a b.png", "img/ü.png", "img/a#b.png", "img/a?b.png", "img/a&b.png", "img/a+b.png",
}

// setup says how a case's resolver is built.
type setup struct {
	hash      strategy.Hash
	form      strategy.Form
	prefix    string
	strict    bool
	integrity bool   // record cssIntegrity for css/app.css
	foreign   string // a foreign manifest to parse instead of building the fixture
	// imports are core.Options.Imports.
	imports map[string]string
	// moduleIntegrity records jsIntegrity for js/app.js.
	moduleIntegrity bool
	// evilModule adds evilModule to the fixture, holding specialData.
	evilModule bool
	// graph adds the files of the module graph (graphFiles), built with
	// sha384 integrity values and no rewriting, and records their graph;
	// hostile adds those of the hostile cases too.
	graph, hostile bool
	// built keeps the graph as the build records it from the fixture
	// bytes, without the suite's CSS.
	built bool
	// vite is a Vite manifest to parse instead of building the fixture.
	vite string
	// viteDev is core.Options.ViteDevServer.
	viteDev string
}

// manifest returns the manifest of the fixture built as s says, or s's
// foreign manifest.
func (s setup) manifest() (*core.Manifest, error) {
	switch {
	case s.foreign != "":
		return core.ParseManifest([]byte(s.foreign))
	case s.vite != "":
		v, err := core.ParseViteManifest([]byte(s.vite))
		if err != nil {
			return nil, err
		}
		return v.Manifest(), nil
	}
	fsys := fixture()
	if s.evilModule {
		fsys[evilModule] = &fstest.MapFile{Data: []byte(specialData)}
	}
	opts := fingerprint.Options{Hash: s.hash, Form: s.form}
	if s.graph || s.built {
		graphFixture(fsys, s.hostile)
		opts.Integrity, opts.NoRewrite = "sha384", true
	}
	built, err := fingerprint.FS(context.Background(), fsys, opts)
	if err != nil {
		return nil, err
	}
	m := built.Manifest()
	if s.graph {
		if err := setGraph(m, s.hostile); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (s setup) resolver(t *testing.T) *core.Resolver {
	t.Helper()
	m, err := s.manifest()
	if err != nil {
		t.Fatalf("making the fixture manifest: %v", err)
	}
	setIntegrity := func(name, value string) {
		a := m.Assets[name]
		a.Integrity = value
		m.Assets[name] = a
	}
	if s.integrity {
		setIntegrity("css/app.css", cssIntegrity)
	}
	if s.moduleIntegrity {
		setIntegrity("js/app.js", jsIntegrity)
	}
	r, err := core.New(m, core.Options{
		Prefix:        s.prefix,
		Strict:        s.strict,
		Logger:        slog.New(slog.DiscardHandler),
		Imports:       s.imports,
		ViteDevServer: s.viteDev,
	})
	if err != nil {
		t.Fatalf("making the resolver: %v", err)
	}
	return r
}

// A testCase is one rule every engine follows.
type testCase struct {
	name        string
	explanation string
	setup       setup
	// fn is the function called, urlFunc when empty.
	fn string
	// arg is the literal argument, unless value is set.
	arg string
	// value, when hasValue, is passed as the render data's "v" instead.
	value    any
	hasValue bool
	// want is the expected output of one call, after entity decoding.
	want string
	// wantErr, when set, is the error the render must fail with; errText
	// is what its message must contain besides, a regular expression.
	wantErr error
	errText string
	// run replaces the standard checks for cases of their own shape.
	run func(t *testing.T, e Engine, c *testCase)
	// check, when set, replaces everything: the case checks the library
	// alone, with neither resolver nor engine.
	check func(t *testing.T, c *testCase)
	// importMap is the import map an asset_importmap case expects.
	importMap *importMap
	// tags are the elements an asset_entry or asset_preload case
	// expects, in order.
	tags []wantTag
}

// notAPath is a struct passed where a path belongs.
type notAPath struct{ Path string }

// assetPath is a named string type, such as applications declare for
// paths.
type assetPath string

// URLs of other hosts, as a foreign manifest gives them.
const (
	cdnCSS = "https://cdn.example.com/css/app.0a1b2c3d.css"
	cdnJS  = "//cdn.example.com/js/app.4e5f6a7b.js"
)

// URLs of css/app.css, js/app.js and js/util.mjs in the default setup.
var (
	cssURL  = "/static/css/app-" + h12(cssSHA256) + ".css"
	jsURL   = "/static/js/app-" + h12(jsSHA256) + ".js"
	utilURL = "/static/js/util-" + h12(utilSHA256) + ".mjs"
)

var cases = []testCase{
	{
		name:        "crc32-query",
		explanation: "A CRC32 manifest in the query form appends ?v= and the 8-digit checksum.",
		setup:       setup{hash: strategy.CRC32(), form: strategy.Query{Param: "v"}},
		arg:         "css/app.css",
		want:        "/static/css/app.css?v=" + cssCRC32,
	},
	{
		name:        "crc32-rename",
		explanation: "A CRC32 manifest in the rename form puts the checksum before the extension.",
		setup:       setup{hash: strategy.CRC32(), form: strategy.Rename{}},
		arg:         "css/app.css",
		want:        "/static/css/app-" + cssCRC32 + ".css",
	},
	{
		name:        "md5-query",
		explanation: "An MD5 manifest in the query form appends ?v= and 12 hex digits.",
		setup:       setup{hash: strategy.MD5(), form: strategy.Query{Param: "v"}},
		arg:         "css/app.css",
		want:        "/static/css/app.css?v=" + h12(cssMD5),
	},
	{
		name:        "md5-rename",
		explanation: "An MD5 manifest in the rename form puts 12 hex digits before the extension.",
		setup:       setup{hash: strategy.MD5(), form: strategy.Rename{}},
		arg:         "css/app.css",
		want:        "/static/css/app-" + h12(cssMD5) + ".css",
	},
	{
		name:        "sha256-query",
		explanation: "A SHA-256 manifest in the query form appends ?v= and 12 hex digits.",
		setup:       setup{hash: strategy.SHA256(), form: strategy.Query{Param: "v"}},
		arg:         "css/app.css",
		want:        "/static/css/app.css?v=" + h12(cssSHA256),
	},
	{
		name:        "sha256-rename",
		explanation: "A SHA-256 manifest in the rename form puts 12 hex digits before the extension.",
		setup:       setup{hash: strategy.SHA256(), form: strategy.Rename{}},
		arg:         "css/app.css",
		want:        "/static/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "query-bare",
		explanation: "The query form with no parameter name makes the hash the whole query, as a template filter appending ?<crc> writes it.",
		setup:       setup{hash: strategy.CRC32(), form: strategy.Query{}},
		arg:         "css/app.css",
		want:        "/static/css/app.css?" + cssCRC32,
	},
	{
		name:        "prefix",
		explanation: "The resolver's prefix starts every URL; each engine uses the resolver it was given.",
		setup:       setup{prefix: "/assets/v2/"},
		arg:         "css/app.css",
		want:        "/assets/v2/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "base-url",
		explanation: "A base URL as prefix gives absolute URLs, unchanged by the engine.",
		setup:       setup{prefix: "https://cdn.example.com/assets/"},
		arg:         "css/app.css",
		want:        "https://cdn.example.com/assets/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "fallback-missing",
		explanation: "Outside strict mode an asset missing from the manifest gets its plain URL.",
		arg:         "js/missing.js",
		want:        "/static/js/missing.js",
	},
	{
		name:        "strict-found",
		explanation: "Strict mode changes nothing for an asset in the manifest.",
		setup:       setup{strict: true},
		arg:         "js/app.js",
		want:        "/static/js/app-" + h12(jsSHA256) + ".js",
	},
	{
		name:        "strict-missing",
		explanation: "In strict mode a missing asset fails the render with an error naming it; never an empty URL.",
		setup:       setup{strict: true},
		arg:         "js/missing.js",
		wantErr:     core.ErrNotFound,
		errText:     `js/missing\.js`,
	},
	{
		name:        "normalise-leading-slash",
		explanation: "A leading slash names the same asset: /css/app.css is css/app.css.",
		arg:         "/css/app.css",
		want:        "/static/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "normalise-dot",
		explanation: "A ./ element names the same asset: ./css/app.css is css/app.css.",
		arg:         "./css/app.css",
		want:        "/static/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "normalise-double-slash",
		explanation: "Repeated slashes name the same asset: css//app.css is css/app.css.",
		arg:         "css//app.css",
		want:        "/static/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "special-space",
		explanation: "A space in a path is percent-encoded by the library as %20, the same in every engine.",
		arg:         "img/a b.png",
		want:        "/static/img/a%20b-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-non-ascii",
		explanation: "Non-ASCII is percent-encoded as UTF-8 bytes in upper-case hex: ü is %C3%BC.",
		arg:         "img/ü.png",
		want:        "/static/img/%C3%BC-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-hash",
		explanation: "A # in a path is percent-encoded as %23, so it does not start a fragment.",
		arg:         "img/a#b.png",
		want:        "/static/img/a%23b-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-question",
		explanation: "A ? in a path is percent-encoded as %3F, so it does not start a query.",
		arg:         "img/a?b.png",
		want:        "/static/img/a%3Fb-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-ampersand",
		explanation: "An & in a path is percent-encoded as %26; engines must not leave a raw & in HTML.",
		arg:         "img/a&b.png",
		want:        "/static/img/a%26b-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-plus",
		explanation: "A + in a path is percent-encoded as %2B, so it cannot be read as a space.",
		arg:         "img/a+b.png",
		want:        "/static/img/a%2Bb-" + h12(specialSHA256) + ".png",
	},
	{
		name:        "special-fallback",
		explanation: "The plain URL of a missing asset is percent-encoded the same way as a busted one.",
		arg:         "img/missing ü&.png",
		want:        "/static/img/missing%20%C3%BC%26.png",
	},
	{
		name:        "non-string-int",
		explanation: "An int argument is an error naming its type, not a URL made from a number.",
		value:       42,
		hasValue:    true,
		errText:     `\bint\b`,
	},
	{
		name:        "non-string-nil",
		explanation: "A nil argument is an error saying it is nil (Jet: not a valid value), not the URL of an empty path.",
		value:       nil,
		hasValue:    true,
		errText:     `\bnil\b|not a valid value`,
	},
	{
		name:        "non-string-struct",
		explanation: "A struct argument is an error naming its type, not a URL made from its fields.",
		value:       notAPath{Path: "css/app.css"},
		hasValue:    true,
		errText:     `\bnotAPath\b`,
	},
	{
		name:        "named-string",
		explanation: "A value of a named string type (type assetPath string) is a path like a string.",
		value:       assetPath("css/app.css"),
		hasValue:    true,
		want:        cssURL,
	},
	{
		name:        "template-url",
		explanation: "A template.URL is a path like a string: the function's result, not its argument, goes into the page.",
		value:       template.URL("css/app.css"),
		hasValue:    true,
		want:        cssURL,
	},
	{
		name:        "template-html",
		explanation: "A template.HTML is a path like a string, and the URL is escaped for its context as any other.",
		value:       template.HTML("css/app.css"),
		hasValue:    true,
		want:        cssURL,
	},
	{
		name:        "undefined-variable",
		explanation: "An undefined variable as the argument is an error saying it is nil or naming it, never the URL of an empty path.",
		errText:     `\bnil\b|not a valid value|missing_var`,
		run:         runUndefined,
	},
	{
		name:        "no-arguments",
		explanation: "A call without arguments, and the function named without a call, are errors about the arguments, never the prefix alone or the function's address.",
		errText:     `(?i)\barg`,
		run:         runNoArguments,
	},
	{
		name:        "two-arguments",
		explanation: "A call or filter with two arguments is an error about the arguments; neither is dropped.",
		errText:     `(?i)\barg`,
		run:         runTwoArguments,
	},
	{
		name:        "prefix-escaped",
		explanation: "A prefix path with a space and non-ASCII is percent-encoded as asset paths are, by the library, the same in every engine.",
		setup:       setup{prefix: "/my static/ü"},
		arg:         "css/app.css",
		want:        "/my%20static/%C3%BC/css/app-" + h12(cssSHA256) + ".css",
	},
	{
		name:        "prefix-refused",
		explanation: "A prefix that is neither a path nor an http, https or protocol-relative URL, or that holds what a page would need escaped, is refused by core.New, naming it; no engine ever sees it.",
		check:       checkRefusedPrefixes,
	},
	{
		name:        "foreign-url",
		explanation: "A URL of another host from a foreign manifest is printed as it is in every context.",
		setup:       setup{foreign: `{"css/app.css": "` + cdnCSS + `"}`},
		arg:         "css/app.css",
		want:        cdnCSS,
	},
	{
		name:        "foreign-protocol-relative",
		explanation: "A protocol-relative URL from a foreign manifest is printed as it is in every context.",
		setup:       setup{foreign: `{"js/app.js": "` + cdnJS + `"}`},
		arg:         "js/app.js",
		want:        cdnJS,
	},
	{
		name:        "escape-root",
		explanation: "A path escaping the asset root with .. is an error, even outside strict mode.",
		arg:         "css/../../etc/passwd",
		wantErr:     core.ErrInvalidPath,
		errText:     `etc/passwd`,
	},
	{
		name:        "empty-path",
		explanation: "The empty path is an error, even outside strict mode, not the prefix alone.",
		arg:         "",
		wantErr:     core.ErrInvalidPath,
	},
	{
		name:        "same-asset-twice",
		explanation: "One template may name the same asset more than once, by either syntax; every use gets the same URL.",
		run:         runTwice,
	},
	{
		name:        "integrity",
		explanation: "asset_integrity prints the integrity value the manifest records, unchanged after decoding.",
		setup:       setup{integrity: true},
		fn:          integrityFunc,
		arg:         "css/app.css",
		want:        cssIntegrity,
	},
	{
		name:        "integrity-fallback-missing",
		explanation: "Outside strict mode asset_integrity of a missing asset is empty, which checks nothing.",
		setup:       setup{integrity: true},
		fn:          integrityFunc,
		arg:         "js/missing.js",
		want:        "",
	},
	{
		name:        "integrity-strict-missing",
		explanation: "In strict mode asset_integrity of a missing asset fails the render with an error naming it.",
		setup:       setup{integrity: true, strict: true},
		fn:          integrityFunc,
		arg:         "js/missing.js",
		wantErr:     core.ErrNotFound,
		errText:     `js/missing\.js`,
	},
	{
		name:        "integrity-strict-none",
		explanation: "In strict mode asset_integrity of an asset recorded without one fails the render.",
		setup:       setup{integrity: true, strict: true},
		fn:          integrityFunc,
		arg:         "js/app.js",
		wantErr:     core.ErrNoIntegrity,
		errText:     `js/app\.js`,
	},
	{
		name:        "concurrent",
		explanation: "Renders run concurrently with one resolver and one engine give the same output; run with -race.",
		run:         runConcurrent,
	},

	// asset_importmap: a whole <script type="importmap"> element, called
	// without arguments, read without entity decoding (see importmap.go).
	{
		name:        "importmap",
		explanation: "asset_importmap, called without arguments, prints the import map element unescaped; its imports map the plain URL of every .js and .mjs module, and every bare name configured, to the fingerprinted URL.",
		setup:       setup{imports: map[string]string{"app": "js/app.js", "@acme/util": "js/util.mjs"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"/static/js/app.js":   jsURL,
			"/static/js/util.mjs": utilURL,
			"app":                 jsURL,
			"@acme/util":          utilURL,
		}},
	},
	{
		name:        "importmap-query",
		explanation: "In the query form the import map maps each module's plain URL to the URL with its ?v= hash.",
		setup:       setup{hash: strategy.SHA256(), form: strategy.Query{Param: "v"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"/static/js/app.js":   "/static/js/app.js?v=" + h12(jsSHA256),
			"/static/js/util.mjs": "/static/js/util.mjs?v=" + h12(utilSHA256),
		}},
	},
	{
		name:        "importmap-relative-prefix",
		explanation: "With a relative prefix the import map's URLs start with ./, since an import map reads \"static/x.js\" as a bare name.",
		setup:       setup{prefix: "static/", imports: map[string]string{"app": "js/app.js"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"./static/js/app.js":   "." + jsURL,
			"./static/js/util.mjs": "." + utilURL,
			"app":                  "." + jsURL,
		}},
	},
	{
		name:        "importmap-base-url",
		explanation: "With a base URL as the prefix the import map maps the modules' plain URLs on that host.",
		setup:       setup{prefix: "https://cdn.example.com/assets/"},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"https://cdn.example.com/assets/js/app.js":   "https://cdn.example.com/assets/js/app-" + h12(jsSHA256) + ".js",
			"https://cdn.example.com/assets/js/util.mjs": "https://cdn.example.com/assets/js/util-" + h12(utilSHA256) + ".mjs",
		}},
	},
	{
		name:        "importmap-foreign",
		explanation: "A module at a URL of another host, from a foreign manifest, is mapped from its plain URL to that URL.",
		setup:       setup{foreign: `{"js/app.js": "` + cdnJS + `", "css/app.css": "` + cdnCSS + `"}`, imports: map[string]string{"app": "js/app.js"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"/static/js/app.js": cdnJS,
			"app":               cdnJS,
		}},
	},
	{
		name:        "importmap-escaping",
		explanation: "</script>, <!--, <script, & and U+2028 in an asset path or a bare name never appear raw in the import map: the path is percent-encoded (in a key as a browser serializes a URL), the JSON escapes the name as \\uXXXX, and the element ends only where it should.",
		setup:       setup{evilModule: true, imports: map[string]string{evilBare: "js/app.js"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"/static/js/app.js":   jsURL,
			"/static/js/util.mjs": utilURL,
			// The key as a browser serializes the URL: "<" and ">"
			// percent-encoded, "!" as written.
			"/static/js/%3C/script%3E%3C!--%3Cscript%3E.mjs": "/static/js/%3C/script%3E%3C%21--%3Cscript%3E-" + h12(specialSHA256) + ".mjs",
			evilBare: jsURL,
		}},
	},
	{
		name:        "importmap-integrity",
		explanation: "Where the manifest records integrity values of modules, the import map has an integrity section keyed by their fingerprinted URLs; modules without one, and assets that are not mapped, are left out of it.",
		setup:       setup{integrity: true, moduleIntegrity: true, imports: map[string]string{"app": "js/app.js"}},
		run:         runImportMap,
		importMap: &importMap{
			Imports: map[string]string{
				"/static/js/app.js":   jsURL,
				"/static/js/util.mjs": utilURL,
				"app":                 jsURL,
			},
			Integrity: map[string]string{jsURL: jsIntegrity},
		},
	},
	{
		name:        "importmap-integrity-strict",
		explanation: "In strict mode too, a module recorded without an integrity value is left out of the integrity section; it is not an error.",
		setup:       setup{strict: true, moduleIntegrity: true, imports: map[string]string{"util": "js/util.mjs"}},
		run:         runImportMap,
		importMap: &importMap{
			Imports: map[string]string{
				"/static/js/app.js":   jsURL,
				"/static/js/util.mjs": utilURL,
				"util":                utilURL,
			},
			Integrity: map[string]string{jsURL: jsIntegrity},
		},
	},
	{
		name:        "importmap-fallback-missing",
		explanation: "Outside strict mode a bare name whose asset is missing maps to the asset's plain URL.",
		setup:       setup{imports: map[string]string{"gone": "js/gone.js"}},
		run:         runImportMap,
		importMap: &importMap{Imports: map[string]string{
			"/static/js/app.js":   jsURL,
			"/static/js/util.mjs": utilURL,
			"gone":                "/static/js/gone.js",
		}},
	},
	{
		name:        "importmap-strict-missing",
		explanation: "In strict mode a bare name whose asset is missing fails the render with an error naming the asset.",
		setup:       setup{strict: true, imports: map[string]string{"gone": "js/gone.js"}},
		run:         runImportMap,
		wantErr:     core.ErrNotFound,
		errText:     `js/gone\.js`,
	},
	{
		name:        "importmap-bare",
		explanation: "asset_importmap named alone, without a call, either prints the element as a call does or fails the render; never the function's address or nothing.",
		setup:       setup{imports: map[string]string{"app": "js/app.js"}},
		run:         runImportMapBare,
	},
	{
		name:        "importmap-arguments",
		explanation: "asset_importmap takes no argument: a call with one is an error about the arguments, and so is a filter, which the engine may also not know.",
		errText:     `(?i)\barg`,
		run:         runImportMapArguments,
	},

	// asset_entry and asset_preload: the elements of an entry and of one
	// asset's preload, read as a browser parses them (see entry.go).
	{
		name:        "entry-module",
		explanation: "asset_entry of a module prints a stylesheet for the CSS a module of its graph attaches, its <script type=\"module\">, and a <link rel=\"modulepreload\"> for every module of its static import closure, depth first, each once however deep and however often imported, each with its integrity value and no crossorigin; a module imported only dynamically, and what it imports, stays lazy.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         "js/main.js",
		run:         runEntry,
		tags: []wantTag{
			graphStyle("css/widget.css"),
			graphModule("js/main.js"),
			graphModulePreload("js/lib/c.js"),
			graphModulePreload("js/lib/a.js"),
			graphModulePreload("js/lib/b.js"),
		},
	},
	{
		name:        "entry-module-built",
		explanation: "The graph cachebust's build records from the fixture bytes, with no graph set by hand, gives the same elements, but for the CSS, which only Vite manifests attach.",
		setup:       setup{built: true},
		fn:          entryFunc,
		arg:         "js/main.js",
		run:         runEntry,
		tags: []wantTag{
			graphModule("js/main.js"),
			graphModulePreload("js/lib/c.js"),
			graphModulePreload("js/lib/a.js"),
			graphModulePreload("js/lib/b.js"),
		},
	},
	{
		name:        "entry-leaf-module",
		explanation: "asset_entry of a module that imports nothing prints its <script type=\"module\"> alone.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         "js/lib/c.js",
		run:         runEntry,
		tags:        []wantTag{graphModule("js/lib/c.js")},
	},
	{
		name:        "entry-stylesheet",
		explanation: "asset_entry of a stylesheet prints its <link rel=\"stylesheet\"> with its integrity value, and a preload as=style of every stylesheet of its @import closure, with neither integrity nor crossorigin, as the @import's own request, so that the browser fetches them at once rather than one level at a time; the fonts it names are not preloaded.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         "css/site.css",
		run:         runEntry,
		tags: []wantTag{
			graphStyle("css/site.css"),
			stylePreloadTag(graphURL("css/reset.css"), "", false),
			stylePreloadTag(graphURL("css/base.css"), "", false),
		},
	},
	{
		name:        "entry-stylesheet-base-url",
		explanation: "A stylesheet at a URL naming a host, from a base URL prefix, carries crossorigin with its integrity value, which a browser can check only on a CORS request.",
		setup:       setup{graph: true, prefix: "https://cdn.example.com/assets/"},
		fn:          entryFunc,
		arg:         "css/site.css",
		run:         runEntry,
		tags: []wantTag{
			stylesheetTag("https://cdn.example.com/assets/css/site-9f558792ddce.css", graphIntegrity("css/site.css"), true),
			stylePreloadTag("https://cdn.example.com/assets/css/reset-fdb74cfe0b32.css", "", false),
			stylePreloadTag("https://cdn.example.com/assets/css/base-0f0e19261bd9.css", "", false),
		},
	},
	{
		name:        "entry-vite",
		explanation: "asset_entry of a Vite manifest's entry prints what Vite's backend integration guide prescribes: the CSS of the entry and of the chunks it imports, the entry's script, and a modulepreload of every chunk it imports statically, depth first; a chunk imported dynamically, and its CSS, stay lazy.",
		setup:       setup{vite: viteManifest},
		fn:          entryFunc,
		arg:         "src/main.ts",
		run:         runEntry,
		tags: []wantTag{
			stylesheetTag("/static/assets/main-5UjPuW-k.css", "", false),
			stylesheetTag("/static/assets/shared-ChJ_j-JJ.css", "", false),
			moduleTag("/static/assets/main-BRBmoGS9.js", ""),
			modulePreloadTag("/static/assets/vendor-CZ2Vx1bA.js", ""),
			modulePreloadTag("/static/assets/shared-B7PI925R.js", ""),
		},
	},
	{
		name:        "entry-vite-dev",
		explanation: "With a Vite dev server configured, asset_entry prints the dev tags instead, whatever the manifest says: Vite's client and the entry, both from the dev server, so that one template serves dev and production.",
		setup:       setup{vite: viteManifest, viteDev: viteDevServer},
		fn:          entryFunc,
		arg:         "src/main.ts",
		run:         runEntry,
		tags: []wantTag{
			moduleTag(viteDevServer+"@vite/client", ""),
			moduleTag(viteDevServer+"src/main.ts", ""),
		},
	},
	{
		name:        "entry-strict-missing",
		explanation: "In strict mode asset_entry of an asset missing from the manifest fails the render with an error naming it; never an empty string.",
		setup:       setup{graph: true, strict: true},
		fn:          entryFunc,
		arg:         "js/missing.js",
		run:         runEntry,
		wantErr:     core.ErrNotFound,
		errText:     `js/missing\.js`,
	},
	{
		name:        "entry-fallback-missing",
		explanation: "Outside strict mode asset_entry of a module missing from the manifest prints its <script type=\"module\"> with the plain URL, which knows no graph.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         "js/missing.js",
		run:         runEntry,
		tags:        []wantTag{moduleTag("/static/js/missing.js", "")},
	},
	{
		name:        "entry-escape-root",
		explanation: "asset_entry of a path escaping the asset root with .. is an error, even outside strict mode.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         "js/../../etc/passwd.js",
		run:         runEntry,
		wantErr:     core.ErrInvalidPath,
		errText:     `etc/passwd`,
	},
	{
		name:        "entry-hostile-names",
		explanation: "Nothing an asset path says, in a template or in a manifest's graph, becomes markup: quotes, <, >, &, entities and event handlers in the entry's name, in a module it imports and in a stylesheet the graph attaches are percent-encoded in the URLs, and the output parses to exactly the expected elements and attributes.",
		setup:       setup{graph: true, hostile: true},
		fn:          entryFunc,
		arg:         hostileEntry,
		run:         runEntry,
		tags: []wantTag{
			stylesheetTag(hostileCSSURL, specialIntegrity, false),
			moduleTag(hostileEntryURL, specialIntegrity),
			modulePreloadTag(hostileImportURL, specialIntegrity),
			graphModulePreload("js/lib/c.js"),
		},
	},
	{
		name:        "entry-hostile-value",
		explanation: "An entry name with a quote and a script element, passed in the render data, is percent-encoded like any other and cannot leave its attribute.",
		setup:       setup{graph: true, hostile: true},
		fn:          entryFunc,
		value:       hostileQuoted,
		hasValue:    true,
		run:         runEntry,
		tags: []wantTag{
			stylesheetTag(hostileCSSURL, specialIntegrity, false),
			moduleTag(hostileQuotedURL, specialIntegrity),
			modulePreloadTag(hostileImportURL, specialIntegrity),
		},
	},
	{
		name:        "entry-hostile-missing",
		explanation: "Outside strict mode a hostile entry missing from the manifest gets its plain URL, percent-encoded, in one module script.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		arg:         hostileMissing,
		run:         runEntry,
		tags:        []wantTag{moduleTag(hostileMissingURL, "")},
	},
	{
		name:        "entry-vite-dev-hostile",
		explanation: "With a Vite dev server, a hostile entry name is percent-encoded in the dev server's URL like an asset path, and cannot leave its attribute.",
		setup:       setup{vite: viteManifest, viteDev: viteDevServer},
		fn:          entryFunc,
		value:       hostileQuoted,
		hasValue:    true,
		run:         runEntry,
		tags: []wantTag{
			moduleTag(viteDevServer+"@vite/client", ""),
			moduleTag(viteDevServer+"js/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.js", ""),
		},
	},
	{
		name:        "entry-non-string",
		explanation: "asset_entry of an int is an error naming its type, not the elements of a path made from a number.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		value:       42,
		hasValue:    true,
		run:         runEntry,
		errText:     `\bint\b`,
	},
	{
		name:        "entry-named-string",
		explanation: "asset_entry of a value of a named string type is a path like a string.",
		setup:       setup{graph: true},
		fn:          entryFunc,
		value:       assetPath("js/lib/c.js"),
		hasValue:    true,
		run:         runEntry,
		tags:        []wantTag{graphModule("js/lib/c.js")},
	},
	{
		name:        "entry-concurrent",
		explanation: "Renders of asset_entry and asset_preload run concurrently with one resolver and one engine give the same output; run with -race.",
		setup:       setup{graph: true},
		arg:         "js/lib/b.js",
		run:         runEntryConcurrent,
		tags: []wantTag{
			graphModule("js/lib/b.js"),
			graphModulePreload("js/lib/c.js"),
			graphModulePreload("js/lib/b.js"),
		},
	},
	{
		name:        "preload-font",
		explanation: "asset_preload of a font prints a preload as=font with its MIME type and crossorigin, and no integrity, as a stylesheet's @font-face requests it, so that the browser uses the preloaded response.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "fonts/inter.woff2",
		run:         runEntry,
		tags:        []wantTag{fontTag(graphURL("fonts/inter.woff2"), "font/woff2")},
	},
	{
		name:        "preload-image",
		explanation: "asset_preload of an image prints a preload as=image, with neither integrity nor crossorigin, as an <img> requests it.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "img/hero.png",
		run:         runEntry,
		tags:        []wantTag{imageTag(graphURL("img/hero.png"))},
	},
	{
		name:        "preload-module",
		explanation: "asset_preload of a module prints a modulepreload of it alone, not of what it imports.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "js/main.js",
		run:         runEntry,
		tags:        []wantTag{graphModulePreload("js/main.js")},
	},
	{
		name:        "preload-stylesheet",
		explanation: "asset_preload of a stylesheet prints a preload as=style with its integrity value, as its <link rel=\"stylesheet\"> requests it.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "css/site.css",
		run:         runEntry,
		tags:        []wantTag{stylePreloadTag(graphURL("css/site.css"), graphIntegrity("css/site.css"), false)},
	},
	{
		name:        "preload-other",
		explanation: "asset_preload of any other asset prints a preload as=fetch with crossorigin and no integrity, as fetch() requests it.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "data.json",
		run:         runEntry,
		tags:        []wantTag{fetchTag(graphURL("data.json"))},
	},
	{
		name:        "preload-strict-missing",
		explanation: "In strict mode asset_preload of a missing asset fails the render with an error naming it.",
		setup:       setup{graph: true, strict: true},
		fn:          preloadFunc,
		arg:         "fonts/missing.woff2",
		run:         runEntry,
		wantErr:     core.ErrNotFound,
		errText:     `fonts/missing\.woff2`,
	},
	{
		name:        "preload-fallback-missing",
		explanation: "Outside strict mode asset_preload of a missing font prints its preload with the plain URL.",
		setup:       setup{graph: true},
		fn:          preloadFunc,
		arg:         "fonts/missing.woff2",
		run:         runEntry,
		tags:        []wantTag{fontTag("/static/fonts/missing.woff2", "font/woff2")},
	},
	{
		name:        "preload-hostile",
		explanation: "asset_preload of a hostile path prints one element, its URL percent-encoded, and nothing else.",
		setup:       setup{graph: true, hostile: true},
		fn:          preloadFunc,
		value:       hostileQuoted,
		hasValue:    true,
		run:         runEntry,
		tags:        []wantTag{modulePreloadTag(hostileQuotedURL, specialIntegrity)},
	},
}

// Run runs every case against engines made by newEngine, each a subtest of
// t named after its case. newEngine is called once per case with a fresh
// resolver, and may call t.Fatal or t.Skip.
func Run(t *testing.T, newEngine func(t *testing.T, r *core.Resolver) Engine) {
	for i := range cases {
		c := &cases[i]
		t.Run(c.name, func(t *testing.T) {
			if c.check != nil {
				c.check(t, c)
				return
			}
			e := newEngine(t, c.setup.resolver(t))
			if c.run != nil {
				c.run(t, e, c)
				return
			}
			runStandard(t, e, c)
		})
	}
}

// syntaxes are the two ways of calling a function with one argument.
var syntaxes = []struct {
	name string
	f    func(e Engine, fn, arg string) string
}{
	{"call", func(e Engine, fn, arg string) string { return e.Call(fn, arg) }},
	{"filter", func(e Engine, fn, arg string) string { return e.Filter(fn, arg) }},
}

// runStandard checks one call, in both syntaxes and every context.
func runStandard(t *testing.T, e Engine, c *testCase) {
	fn := cmp.Or(c.fn, urlFunc)
	arg := e.Literal(c.arg)
	var data map[string]any
	if c.hasValue {
		arg = e.Var("v")
		data = map[string]any{"v": c.value}
	}
	for _, syn := range syntaxes {
		for _, ctx := range contexts {
			page := ctx.page
			if fn == integrityFunc {
				page = ctx.integrity
			}
			if page == "" {
				continue
			}
			t.Run(syn.name+"/"+ctx.name, func(t *testing.T) {
				src := fmt.Sprintf(page, syn.f(e, fn, arg))
				got, err := render(e, src, data)
				if c.wantErr != nil || c.errText != "" {
					checkErr(t, e, c, src, got, err)
					return
				}
				checkValue(t, c, ctx, page, src, got, err, c.want)
			})
		}
	}
}

// render calls e.Render, turning a panic into an error that says so.
func render(e Engine, src string, data map[string]any) (out string, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = "", &panicError{v}
		}
	}()
	return e.Render(src, data)
}

type panicError struct{ v any }

func (p *panicError) Error() string { return fmt.Sprintf("Render panicked: %v", p.v) }

// checkValue checks a render of page, in context ctx, that must succeed
// with want as the value a browser reads.
func checkValue(t *testing.T, c *testCase, ctx pageContext, page, src, got string, err error, want string) {
	t.Helper()
	if err != nil {
		fail(t, c, src, "Render failed: %v", err)
		return
	}
	raw, ok := action(t, c, page, src, got)
	if !ok {
		return
	}
	dec, err := ctx.decode(raw)
	switch {
	case err != nil:
		fail(t, c, src, "in %s: %v\nraw value\n\t%q", ctx.what, err, raw)
	case dec != want:
		fail(t, c, src, "in %s: value read\n\t%q\nwant\n\t%q\nraw value\n\t%q", ctx.what, dec, want, raw)
	}
}

// action returns the output of the action in got, a render of page, whose
// "%s" marks the action; it reports a failure if got is not page around it.
func action(t *testing.T, c *testCase, page, src, got string) (string, bool) {
	t.Helper()
	before, after, _ := strings.Cut(page, "%s")
	raw, ok := strings.CutPrefix(got, before)
	if ok {
		raw, ok = strings.CutSuffix(raw, after)
	}
	if !ok {
		fail(t, c, src, "output\n\t%q\nis not the page around the action, %q and %q", got, before, after)
	}
	return raw, ok
}

// checkOutput checks a render that must succeed with output want after
// entity decoding.
func checkOutput(t *testing.T, c *testCase, src, got string, err error, want string) {
	t.Helper()
	if err != nil {
		fail(t, c, src, "Render failed: %v", err)
		return
	}
	if dec := html.UnescapeString(got); dec != want {
		fail(t, c, src, "output (entity-decoded)\n\t%q\nwant\n\t%q\nraw output\n\t%q", dec, want, got)
	}
}

// checkErr checks a render that must fail.
func checkErr(t *testing.T, e Engine, c *testCase, src, got string, err error) {
	t.Helper()
	var p *panicError
	switch {
	case errors.As(err, &p):
		fail(t, c, src, "%v; want an error returned", err)
		return
	case err == nil:
		fail(t, c, src, "Render succeeded with output %q; want an error", got)
		return
	}
	msg := err.Error()
	if c.wantErr != nil {
		if !strings.Contains(msg, c.wantErr.Error()) {
			fail(t, c, src, "error %q does not say %q", msg, c.wantErr)
		}
		if u, ok := e.(UnwrappingEngine); ok && u.ErrorsUnwrap() && !errors.Is(err, c.wantErr) {
			fail(t, c, src, "errors.Is(%q, %q) = false; the engine reports that its errors unwrap", msg, c.wantErr)
		}
	}
	if c.errText != "" && !regexp.MustCompile(c.errText).MatchString(msg) {
		fail(t, c, src, "error %q does not match %q", msg, c.errText)
	}
}

// fail reports a broken rule, with the rule and the template source.
func fail(t *testing.T, c *testCase, src, format string, args ...any) {
	t.Helper()
	t.Errorf("%s\nrule: %s\ntemplate: %s", fmt.Sprintf(format, args...), c.explanation, src)
}

// runUndefined passes a variable the render data does not hold.
func runUndefined(t *testing.T, e Engine, c *testCase) {
	data := map[string]any{"v": "css/app.css"}
	for _, syn := range syntaxes {
		t.Run(syn.name, func(t *testing.T) {
			src := "<p>" + syn.f(e, urlFunc, e.Var("missing_var")) + "</p>"
			got, err := render(e, src, data)
			checkErr(t, e, c, src, got, err)
		})
	}
}

// pathFuncs are the functions of one path argument.
var pathFuncs = []string{urlFunc, integrityFunc, entryFunc, preloadFunc}

// runNoArguments calls the functions of a path without arguments, and
// names them alone.
func runNoArguments(t *testing.T, e Engine, c *testCase) {
	for _, fn := range pathFuncs {
		for _, call := range []struct{ name, src string }{
			{"call", e.Call(fn)},
			{"bare", e.Bare(fn)},
		} {
			t.Run(fn+"/"+call.name, func(t *testing.T) {
				src := `<link href="` + call.src + `">`
				got, err := render(e, src, nil)
				checkErr(t, e, c, src, got, err)
			})
		}
	}
}

// runTwoArguments calls the functions of a path with two arguments, in
// both syntaxes.
func runTwoArguments(t *testing.T, e Engine, c *testCase) {
	css, js := e.Literal("css/app.css"), e.Literal("js/app.js")
	for _, fn := range pathFuncs {
		for _, call := range []struct{ name, src string }{
			{"call", e.Call(fn, css, js)},
			{"filter", e.Filter(fn, css, js)},
		} {
			t.Run(fn+"/"+call.name, func(t *testing.T) {
				src := `<link href="` + call.src + `">`
				got, err := render(e, src, nil)
				checkErr(t, e, c, src, got, err)
			})
		}
	}
}

// refusedPrefixes are prefixes core.New must refuse.
var refusedPrefixes = []struct{ name, prefix string }{
	{"javascript", "javascript:alert(1)//"},
	{"javascript-mixed-case", "JaVaScRiPt:alert(1)//"},
	{"data", "data:text/html,<script>alert(1)</script>/"},
	{"other-scheme", "ftp://cdn.example.com/"},
	{"quote", `/static/" onload="alert(1)`},
	{"angle", "/static/<script>/"},
	{"backslash", `\static\`},
	{"whitespace", "/static/\n"},
	{"space-around", " /static/"},
	{"bad-percent", "/static%zz/"},
	{"user-info", "https://user@cdn.example.com/"},
}

// checkRefusedPrefixes checks that core.New refuses every refused prefix
// with an error naming it.
func checkRefusedPrefixes(t *testing.T, c *testCase) {
	m, err := setup{}.manifest()
	if err != nil {
		t.Fatalf("building the fixture manifest: %v", err)
	}
	for _, p := range refusedPrefixes {
		t.Run(p.name, func(t *testing.T) {
			src := fmt.Sprintf("core.New(m, core.Options{Prefix: %q})", p.prefix)
			r, err := core.New(m, core.Options{Prefix: p.prefix})
			switch {
			case err == nil:
				fail(t, c, src, "succeeded with prefix %q; want an error", r.Prefix())
			case !errors.Is(err, core.ErrUnsafeURL) || !strings.Contains(err.Error(), strconv.Quote(p.prefix)):
				fail(t, c, src, "error %q does not wrap core.ErrUnsafeURL or name the prefix", err)
			}
		})
	}
}

// runTwice renders one template naming css/app.css twice, by both
// syntaxes, and js/app.js once.
func runTwice(t *testing.T, e Engine, c *testCase) {
	css, js := e.Literal("css/app.css"), e.Literal("js/app.js")
	src := fmt.Sprintf(`<link rel="stylesheet" href="%s"><p>%s</p><script src="%s"></script><link rel="preload" href="%s">`,
		e.Call(urlFunc, css), e.Filter(urlFunc, css), e.Call(urlFunc, js), e.Call(urlFunc, css))
	want := fmt.Sprintf(`<link rel="stylesheet" href="%s"><p>%s</p><script src="%s"></script><link rel="preload" href="%s">`,
		cssURL, cssURL, jsURL, cssURL)
	got, err := render(e, src, nil)
	checkOutput(t, c, src, got, err, want)
}

// Concurrency of runConcurrent.
const (
	goroutines = 8
	renders    = 50
)

// runConcurrent renders one template from many goroutines at once, after
// one render alone, so that engines that load lazily have done so.
func runConcurrent(t *testing.T, e Engine, c *testCase) {
	css, js, img := e.Literal("css/app.css"), e.Literal("js/app.js"), e.Literal("img/a b.png")
	src := fmt.Sprintf(`<p>%s %s %s</p>`, e.Call(urlFunc, css), e.Filter(urlFunc, js), e.Call(urlFunc, img))
	want := fmt.Sprintf("<p>%s %s %s</p>",
		"/static/css/app-"+h12(cssSHA256)+".css",
		"/static/js/app-"+h12(jsSHA256)+".js",
		"/static/img/a%20b-"+h12(specialSHA256)+".png")
	got, err := render(e, src, nil)
	checkOutput(t, c, src, got, err, want)
	if t.Failed() {
		return
	}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range renders {
				got, err := render(e, src, nil)
				if err != nil || html.UnescapeString(got) != want {
					checkOutput(t, c, src, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
