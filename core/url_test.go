package core_test

import (
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/strategy"
)

func TestPrefix(t *testing.T) {
	tests := []struct {
		name, prefix, want string
	}{
		{"Default", "", "/static/"},
		{"Path", "/assets/", "/assets/"},
		{"NoSlash", "/assets", "/assets/"},
		{"Root", "/", "/"},
		{"Relative", "static/", "static/"},
		{"RelativeNoSlash", "static", "static/"},
		{"DotDot", "../static", "../static/"},
		{"Space", "/my static/", "/my%20static/"},
		{"NonASCII", "/ü/", "/%C3%BC/"},
		{"Ampersand", "/a&b/", "/a%26b/"},
		{"ColonInPath", "/a:b/", "/a%3Ab/"},
		{"Encoded", "/a%20b/", "/a%20b/"},
		{"EncodedLowerHex", "/a%c3%bc/", "/a%c3%bc/"},
		{"BaseURL", "https://cdn.example.com/assets/", "https://cdn.example.com/assets/"},
		{"BaseURLNoPath", "https://cdn.example.com", "https://cdn.example.com/"},
		{"BaseURLUpperScheme", "HTTPS://cdn.example.com/a/", "https://cdn.example.com/a/"},
		{"BaseURLSpace", "https://cdn.example.com/my assets", "https://cdn.example.com/my%20assets/"},
		{"HTTP", "http://localhost:8080/s/", "http://localhost:8080/s/"},
		{"ProtocolRelative", "//cdn.example.com/a/", "//cdn.example.com/a/"},
		{"IPv6", "http://[::1]:8080/s/", "http://[::1]:8080/s/"},
		{"FinalDot", "https://cdn.example.com./", "https://cdn.example.com./"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := core.New(testManifest(), core.Options{Prefix: tt.prefix})
			if err != nil {
				t.Fatalf("New with prefix %q: %v", tt.prefix, err)
			}
			if got := r.Prefix(); got != tt.want {
				t.Errorf("Prefix() with prefix %q = %q, want %q", tt.prefix, got, tt.want)
			}
			if got, want := mustURL(t, r, "css/main.css"), tt.want+"css/main-2cdfea28899d.css"; got != want {
				t.Errorf("URL(css/main.css) = %q, want %q", got, want)
			}
		})
	}
}

func mustURL(t *testing.T, r *core.Resolver, name string) string {
	t.Helper()
	u, err := r.URL(name)
	if err != nil {
		t.Fatalf("URL(%q): %v", name, err)
	}
	return u
}

// A prefix that is neither a path nor an http, https or protocol-relative
// URL, or that holds what a page would have to escape, is refused by New
// with an error naming it, never put into URLs as written.
func TestPrefixRefused(t *testing.T) {
	tests := []struct{ name, prefix, why string }{
		{"JavaScript", "javascript:alert(1)//", `scheme "javascript"`},
		{"JavaScriptMixedCase", "JaVaScRiPt:alert(1)//", `scheme "JaVaScRiPt"`},
		{"Data", "data:text/html,<script>alert(1)</script>/", `scheme "data"`},
		{"VBScript", "vbscript:msgbox(1)/", `scheme "vbscript"`},
		{"FTP", "ftp://cdn.example.com/", `scheme "ftp"`},
		{"RelativeWithColon", "static:v1/", `scheme "static"`},
		{"NoSlashes", "https:cdn.example.com/", "no //host"},
		{"NoHost", "https:///a/", "not a host name"},
		{"ProtocolRelativeNoHost", "//", "not a host name"},
		{"UserInfo", "https://user:pw@cdn.example.com/", "user info"},
		{"HostSpace", "https://cdn example.com/", "not a host name"},
		{"HostAngle", "https://cdn<x>.example.com/", "not a host name"},
		{"HostDotDot", "https://../../victim/", "not a host name"},
		{"BadPort", "https://cdn.example.com:http/", "bad port"},
		{"Query", "/static/?v=1", "query or fragment"},
		{"Fragment", "/static/#x", "query or fragment"},
		{"DoubleQuote", `/static/" onload="alert(1)`, `'"'`},
		{"SingleQuote", "/static/'", `'\''`},
		{"Less", "/static/<script>/", `'<'`},
		{"Greater", "/static/>/", `'>'`},
		{"Backslash", `\static\`, `'\\'`},
		{"Backtick", "/static/`/", "'`'"},
		{"BadPercent", "/static%2/", "two hex digits"},
		{"BadPercentHex", "/static%zz/", "two hex digits"},
		{"Tab", "/sta\ttic/", "whitespace"},
		{"Newline", "/static/\n", "whitespace"},
		{"NUL", "/static\x00/", "control character"},
		{"DEL", "/static\x7f/", "control character"},
		{"NoBreakSpace", "/static\u00a0/", "whitespace"},
		{"LeadingSpace", " /static/", "leading or trailing space"},
		{"TrailingSpace", "/static/ ", "leading or trailing space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := core.New(testManifest(), core.Options{Prefix: tt.prefix})
			if err == nil {
				t.Fatalf("New with prefix %q succeeded, Prefix() = %q; want an error", tt.prefix, r.Prefix())
			}
			if !errors.Is(err, core.ErrUnsafeURL) {
				t.Errorf("New with prefix %q: error %v does not wrap ErrUnsafeURL", tt.prefix, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, `prefix "`) || !strings.Contains(msg, tt.why) {
				t.Errorf("New with prefix %q: error %q, want one naming the prefix and saying %s", tt.prefix, msg, tt.why)
			}
		})
	}
}

// Values of a foreign map that are URLs become Asset.ExternalURL, never a file,
// and only safe ones are accepted, with an error naming the entry. A
// refused one returned as written, or one with ".." reaching Files(),
// would let clean remove files above the output directory.
func TestParseFlatURLs(t *testing.T) {
	accepted := []struct{ value, want string }{
		{"https://cdn.example.com/x.12ab34cd.js", "https://cdn.example.com/x.12ab34cd.js"},
		{"http://cdn.example.com:8080/x.js?v=1#top", "http://cdn.example.com:8080/x.js?v=1#top"},
		{"//cdn.example.com/x.js", "//cdn.example.com/x.js"},
		{"HTTPS://cdn.example.com/x.js", "https://cdn.example.com/x.js"},
		{"https://cdn.jsdelivr.net/npm/@popperjs/core@2.11.8/dist/umd/popper.min.js", "https://cdn.jsdelivr.net/npm/@popperjs/core@2.11.8/dist/umd/popper.min.js"},
		{"https://cdn.example.com/a%20b.js", "https://cdn.example.com/a%20b.js"},
	}
	for _, tt := range accepted {
		m, err := core.ParseManifest([]byte(`{"x.js": "` + tt.value + `", "y.js": "dist/y.1a2b.js"}`))
		if err != nil {
			t.Errorf("ParseManifest with %q: %v", tt.value, err)
			continue
		}
		if a := m.Assets["x.js"]; a.ExternalURL != tt.value || a.File != "" {
			t.Errorf("ParseManifest with %q: asset %+v, want URL %q and no file", tt.value, a, tt.value)
		}
		if files := m.Files(); strings.Join(files, ",") != "dist/y.1a2b.js" {
			t.Errorf("Files() with %q = %q, want only the file of y.js", tt.value, files)
		}
		r := newResolver(t, m, core.Options{})
		if got := mustURL(t, r, "x.js"); got != tt.want {
			t.Errorf("URL(x.js) with %q = %q, want %q", tt.value, got, tt.want)
		}
	}
	refused := []struct{ value, why string }{
		{"javascript://%0Aalert(1)", `scheme "javascript"`},
		{"JavaScript:alert(1)", `scheme "JavaScript"`},
		{"data:text/javascript,alert(1)", `scheme "data"`},
		{"x://../../victim.txt", `scheme "x"`},
		{"https://../../../../victim.txt", "not a host name"},
		{"//../../victim.txt", "not a host name"},
		{"https://x/a.js onmouseover=alert(1)", `' '`},
		{`https://x/a.js\"><script>alert(1)</script>`, `'"'`},
		{"https://x/<a.js", `'<'`},
		{"https://x/a.js?a=1&b=2", `'&'`},
		{"https://x/a(1).js", `'('`},
		{"https://x/a,b.js", `','`},
		{"https://x/a'.js", `'\''`},
		{"https://x/a%zz.js", "two hex digits"},
		{"https://user@x/a.js", "user info"},
		{"https:x/a.js", "no //host"},
	}
	for _, tt := range refused {
		data := `{"x.js": "` + tt.value + `"}`
		m, err := core.ParseManifest([]byte(data))
		if err == nil {
			t.Errorf("ParseManifest(%s) = %+v, want an error", data, m.Assets)
			continue
		}
		if !errors.Is(err, core.ErrCorruptManifest) || !errors.Is(err, core.ErrUnsafeURL) {
			t.Errorf("ParseManifest(%s): error %v does not wrap ErrCorruptManifest and ErrUnsafeURL", data, err)
		}
		if msg := err.Error(); !strings.Contains(msg, `entry "x.js"`) || !strings.Contains(msg, tt.why) {
			t.Errorf("ParseManifest(%s): error %q, want one naming the entry and saying %s", data, msg, tt.why)
		}
	}
}

// Our own format holds URLs in "url", checked as in flat maps; hashes,
// forms and integrity values, which also reach pages, are checked too.
func TestParseOwnUnsafe(t *testing.T) {
	const head = `{"version": 1, "hash": "", "url": "rename", "assets": `
	tests := []struct{ name, data, why string }{
		{"URLScheme", head + `{"x.js": {"url": "javascript:alert(1)"}}}`, `scheme "javascript"`},
		{"URLQuote", head + `{"x.js": {"url": "https://x/\"a.js"}}}`, `'"'`},
		{"URLAndFile", head + `{"x.js": {"url": "https://x/a.js", "file": "x.js"}}}`, "with a file"},
		{"URLAndHash", head + `{"x.js": {"url": "https://x/a.js", "hash": "00"}}}`, "with a file, hash"},
		{"Neither", head + `{"x.js": {"hash": "00"}}}`, `file ""`},
		{"ForeignHash", `{"version": 1, "hash": "", "url": "query", "assets": {"x.js": {"file": "x.js", "hash": "\"><script>"}}}`, "not lowercase hex"},
		{"Form", `{"version": 1, "hash": "", "url": "query:\"x", "assets": {}}`, `url form "query:\"x"`},
		{"Integrity", head + `{"x.js": {"file": "x.js", "integrity": "\" onload=\"alert(1)"}}}`, "integrity"},
		{"IntegrityTwo", head + `{"x.js": {"file": "x.js", "integrity": "sha256-AAAA sha384-BBBB"}}}`, "integrity"},
		{"IntegrityAlg", head + `{"x.js": {"file": "x.js", "integrity": "md5-AAAA"}}}`, "integrity"},
		{"GenerationURL", `{"version": 1, "hash": "sha256", "url": "rename", "assets": {}, "generations": [{"assets": {"x.js": {"url": "data:,x"}}}]}`, "generation 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := core.ParseManifest([]byte(tt.data))
			if err == nil {
				t.Fatalf("ParseManifest(%s) = %+v, want an error", tt.data, m)
			}
			if !errors.Is(err, core.ErrCorruptManifest) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("ParseManifest(%s): error %q, want ErrCorruptManifest saying %s", tt.data, err, tt.why)
			}
		})
	}
}

// A manifest of a build may keep URL assets, as another tool's map gave
// them, in its generations: it parses again, and they are not files.
// Written as a "file", such an entry would make every later read of the
// manifest fail.
func TestOwnFormatKeepsURLs(t *testing.T) {
	const data = `{"version": 1, "hash": "sha256", "url": "rename", "length": 12, "assets": {}, "generations": [{"assets": {"x.css": {"url": "https://cdn.example.com/x.css", "hash": "", "size": 0}}}]}`
	m, err := core.ParseManifest([]byte(data))
	if err != nil {
		t.Fatalf("ParseManifest: %v", err)
	}
	if files := m.Files(); len(files) != 0 {
		t.Errorf("Files() = %q, want none", files)
	}
	out, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"url": "https://cdn.example.com/x.css"`) || strings.Contains(string(out), `"file"`) {
		t.Errorf("Marshal() = %s, want the asset's url and no file", out)
	}
	if _, err := core.ParseManifest(out); err != nil {
		t.Errorf("ParseManifest(Marshal()) = %v", err)
	}
}

func TestForeign(t *testing.T) {
	built := testManifest()
	flat, err := core.ParseManifest([]byte(`{"x.js": "x.1a2b.js"}`))
	if err != nil {
		t.Fatal(err)
	}
	mix, err := core.ParseMixManifest([]byte(`{"/x.js": "/x.js?id=1a2b"}`))
	if err != nil {
		t.Fatal(err)
	}
	vite := core.ViteManifest{"src/x.ts": {File: "assets/x-1a2b.js"}}.Manifest()
	for _, tt := range []struct {
		name string
		m    *core.Manifest
		want bool
	}{
		{"built", built, false},
		{"flat", flat, true},
		{"mix", mix, true},
		{"vite", vite, true},
	} {
		if got := tt.m.Foreign(); got != tt.want {
			t.Errorf("Foreign() of the %s manifest = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// New and Swap refuse a manifest made in code whose URLs or integrity
// values would not be safe in a page, or that a parsed manifest could not
// hold, naming the asset.
func TestResolverRefusesUnsafeManifest(t *testing.T) {
	const hash = "2cdfea28899d22adb7b1d2f5fc012feacd3d172b54ef1f3a55572053ff1e264f"
	unsafeForm := strategy.Query{Param: `"onmouseover`}
	tests := []struct {
		name  string
		url   string
		asset core.Asset
		forms []strategy.Form
		why   string
	}{
		{name: "URLScheme", asset: core.Asset{ExternalURL: "javascript:alert(1)"}, why: `scheme "javascript"`},
		{name: "URLSpace", asset: core.Asset{ExternalURL: "https://x/a.js onerror=alert(1)"}, why: "' '"},
		{name: "URLRelative", asset: core.Asset{ExternalURL: "a.js"}, why: "not an http"},
		{name: "Both", asset: core.Asset{ExternalURL: "https://x/a.js", File: "a.js"}, why: "both"},
		{name: "Neither", asset: core.Asset{}, why: "neither"},
		{name: "Hash", url: "query", asset: core.Asset{File: "a.js", Hash: `0"><script>`}, why: `'"'`},
		{name: "Form", url: unsafeForm.Name(), forms: []strategy.Form{unsafeForm}, asset: core.Asset{File: "a.js", Hash: hash}, why: `'"'`},
		{name: "Integrity", asset: core.Asset{File: "a.js", Integrity: `"><script>`}, why: "integrity"},
		// With the prefix "/", these would resolve to //evil.com/x.js.
		{name: "FileAbsolute", asset: core.Asset{File: "/evil.com/x.js"}, why: "not a clean relative path"},
		{name: "FileProtocolRelative", asset: core.Asset{File: "//evil.com/x.js"}, why: "not a clean relative path"},
		{name: "FileDotDot", asset: core.Asset{File: "../x.js"}, why: "not a clean relative path"},
		{name: "FileNUL", asset: core.Asset{File: "a\x00.js"}, why: "not a clean relative path"},
		{name: "HashNotHex", asset: core.Asset{File: "a.js", Hash: "XYZ"}, why: "not lowercase hex"},
		{name: "Encoding", asset: core.Asset{File: "a.js", Encodings: []string{"zstd"}}, why: "unknown encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{"x.js": tt.asset}}
			if tt.url != "" {
				m.Form = tt.url
			}
			if _, err := core.New(m, core.Options{Prefix: "/", Forms: tt.forms}); err == nil || !strings.Contains(err.Error(), `asset "x.js"`) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("New: error %v, want one naming asset x.js and saying %s", err, tt.why)
			}
			r := newResolver(t, testManifest(), core.Options{})
			if err := r.Swap(m); err == nil {
				t.Errorf("Swap succeeded")
			}
			if got := mustURL(t, r, "css/main.css"); got != "/static/css/main-2cdfea28899d.css" {
				t.Errorf("after a failed Swap: URL(css/main.css) = %q, want the previous manifest's", got)
			}
		})
	}
}

// urlByte reports whether c may appear in a URL a Resolver gives out: it
// needs escaping in no part of a page. It is written apart from the
// package's own set, as the specification the package must meet.
func urlByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~/%:?=#@!$*+;[]", c) >= 0
}

// checkPageSafe fails t unless u parses as a URL with no scheme or an
// http or https one, and holds only bytes that need no escaping in HTML
// text, attributes, JavaScript strings, CSS url() and srcset, with every
// "%" before two hex digits.
func checkPageSafe(t *testing.T, what, u string) {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatalf("%s = %q does not parse: %v", what, u, err)
	}
	if p.Scheme != "" && p.Scheme != "http" && p.Scheme != "https" {
		t.Fatalf("%s = %q has scheme %q", what, u, p.Scheme)
	}
	if p.User != nil {
		t.Fatalf("%s = %q has user info", what, u)
	}
	for i := 0; i < len(u); i++ {
		if !urlByte(u[i]) {
			t.Fatalf("%s = %q holds %q", what, u, u[i])
		}
		if u[i] == '%' && (i+2 >= len(u) || !strings.ContainsRune("0123456789abcdefABCDEF", rune(u[i+1])) || !strings.ContainsRune("0123456789abcdefABCDEF", rune(u[i+2]))) {
			t.Fatalf("%s = %q has a %% without two hex digits", what, u)
		}
	}
}

// FuzzResolverSafeURL checks that for any prefix, manifest bytes and
// path, every URL a Resolver gives out is safe in every part of a page,
// and every integrity value too.
func FuzzResolverSafeURL(f *testing.F) {
	own, _ := testManifest().Marshal()
	seeds := []struct {
		prefix, manifest, name string
	}{
		{"", string(own), "css/main.css"},
		{"https://cdn.example.com/assets/", string(own), "img/my photo ü.png"},
		{"/my static/", `{"a.css": "a.1a2b.css"}`, "a.css"},
		{"javascript:alert(1)//", string(own), "css/main.css"},
		{"JaVaScRiPt:alert(1)//", string(own), "css/main.css"},
		{"data:text/html,x/", string(own), "x"},
		{`/s/" onload="alert(1)`, string(own), "x"},
		{"//cdn.example.com", `{"x.js": "javascript://%0Aalert(1)"}`, "x.js"},
		{"/", `{"x.js": "https://x/a.js onmouseover=alert(1)"}`, "x.js"},
		{"/", `{"x.js": "https://x/\"a.js"}`, "x.js"},
		{"/", `{"x.js": "https://../../../../victim.txt", "y": "//../../victim.txt", "z": "x://../../victim.txt"}`, "x.js"},
		{"/", `{"x.js": "//cdn.example.com/x.js", "y.js": "HTTPS://cdn.example.com/y.js"}`, "y.js"},
		{"/", `{"version": 1, "hash": "", "url": "query", "assets": {"x.js": {"file": "x.js", "hash": "\"><script>"}}}`, "x.js"},
		{"/", `{"version": 1, "hash": "", "url": "query:\"x", "assets": {"x.js": {"file": "x.js", "hash": "00"}}}`, "x.js"},
		{"/", `{"version": 1, "hash": "", "url": "rename", "assets": {"x.js": {"url": "https://x/a.js", "integrity": "sha384-AA=="}}}`, "x.js"},
		{"/", `{"a&b\"<c>.css": "a&b\"<c>.1a2b.css"}`, "a&b\"<c>.css"},
		{"/", `{"a.css": "3f2a9c1b"}`, "a.css"},
	}
	for _, s := range seeds {
		f.Add(s.prefix, []byte(s.manifest), s.name)
	}
	quiet := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, prefix string, data []byte, name string) {
		m, err := core.ParseManifest(data)
		if err != nil {
			return
		}
		r, err := core.New(m, core.Options{Prefix: prefix, Logger: quiet})
		if err != nil {
			return
		}
		checkPageSafe(t, "Prefix()", r.Prefix())
		check := func(name string) {
			if u, err := r.URL(name); err == nil {
				checkPageSafe(t, "URL("+name+")", u)
			}
			if v, err := r.Integrity(name); err == nil && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=-") != "" {
				t.Fatalf("Integrity(%q) = %q", name, v)
			}
		}
		check(name)
		for name := range m.Assets {
			check(name)
		}
	})
}

// New and Swap refuse a manifest made in code whose asset names or kept
// generations a parsed manifest could not hold.
func TestResolverRefusesUncleanManifest(t *testing.T) {
	gen := func(a core.Asset) []core.Generation {
		return []core.Generation{{Assets: map[string]core.Asset{"x.js": a}}}
	}
	tests := []struct {
		name string
		m    core.Manifest
		why  string
	}{
		{"NameAbsolute", core.Manifest{Assets: map[string]core.Asset{"/x.js": {File: "x.js"}}}, `asset "/x.js": not a clean`},
		{"NameDotDot", core.Manifest{Assets: map[string]core.Asset{"a/../x.js": {File: "x.js"}}}, `asset "a/../x.js": not a clean`},
		{"GenerationFile", core.Manifest{Assets: map[string]core.Asset{}, Generations: gen(core.Asset{File: "//evil.com/x.js"})}, `generation 1: asset "x.js": file "//evil.com/x.js"`},
		{"NegativeLength", core.Manifest{Length: -1, Assets: map[string]core.Asset{}}, "negative length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Form = "rename"
			if _, err := core.New(&tt.m, core.Options{Prefix: "/"}); err == nil || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("New: error %v, want one saying %s", err, tt.why)
			}
		})
	}
}
