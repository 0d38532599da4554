package core

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cachebust/cachebust/internal/urlpath"
	"github.com/cachebust/cachebust/strategy"
)

// DefaultPrefix is the URL prefix a Resolver uses when Options.Prefix is empty.
const DefaultPrefix = "/static/"

// Errors a lookup can wrap, to be tested with errors.Is.
var (
	// ErrNotFound means the manifest has no such asset (strict mode only).
	ErrNotFound = errors.New("not in manifest")
	// ErrNoIntegrity means the manifest records no integrity value for the
	// asset (strict mode only).
	ErrNoIntegrity = errors.New("no integrity value in manifest")
	// ErrInvalidPath means the path is empty, escapes the asset root, or
	// contains a NUL byte or a backslash.
	ErrInvalidPath = errors.New("invalid asset path")
)

// LookupError reports a logical path that could not be resolved.
type LookupError struct {
	// Name is the path as the caller gave it.
	Name string
	// Err is ErrNotFound, ErrInvalidPath or another cause.
	Err error
}

// Error returns a message naming the path and the cause.
func (e *LookupError) Error() string { return fmt.Sprintf("asset %q: %v", e.Name, e.Err) }

// Unwrap returns the cause.
func (e *LookupError) Unwrap() error { return e.Err }

// Options configure a Resolver. The zero value is ready to use.
type Options struct {
	// Prefix is put before every asset path: a path such as "/static/"
	// (DefaultPrefix when empty) or "static/", or an http, https or
	// protocol-relative base URL such as "https://cdn.example.com/assets/".
	// Its path is percent-encoded as asset paths are ("/my static/" becomes
	// "/my%20static/"; a "%" and two hex digits are kept as written) and a
	// missing trailing "/" is added. New refuses, with an error wrapping
	// ErrUnsafeURL, any other scheme ("javascript:", "data:", in any case),
	// user info, a query or fragment, quotes, "<", ">", "\", "`", a "%" not
	// followed by two hex digits, control characters and whitespace other
	// than spaces inside the path: then every URL a Resolver gives out is
	// safe as it is in any part of a page.
	Prefix string
	// Strict makes a lookup of an asset missing from the manifest fail with
	// ErrNotFound. By default it returns the plain URL, as if the asset had
	// not been fingerprinted, and logs a warning once per path.
	Strict bool
	// Logger receives the warnings about missing assets; nil means
	// slog.Default().
	Logger *slog.Logger
	// Forms are the URL forms, beyond the built-in ones, that a manifest
	// may name.
	Forms []strategy.Form
	// Imports maps bare module specifiers, such as "app" or "@acme/ui", to
	// the logical paths of the assets they name, such as "js/app.js", in
	// the import map (see Resolver.ImportMap). New refuses a name that is
	// empty, not valid UTF-8, holds a control character, ends in "/" (a
	// prefix mapping, which fingerprinted files cannot share), or is not
	// bare: a URL ("https:…") or a path starting with "/", "./" or "../",
	// whose modules the import map already maps. It refuses a path as URL
	// does (ErrInvalidPath).
	Imports map[string]string
	// ViteDevServer is the base URL of a running Vite dev server, such as
	// "http://localhost:5173/", for development: Resolver.Entry and
	// Resolver.Preload then give tags for the sources it serves rather
	// than for the manifest's files (see Entry), so that one template
	// serves development and production. Empty means no dev server. New
	// refuses, with an error wrapping ErrUnsafeURL, anything but an http
	// or https URL with a host that Prefix would accept; a missing
	// trailing "/" is added. A React project with @vitejs/plugin-react
	// must print the plugin's preamble (a module script importing
	// DEV/@react-refresh) before the tags, as Vite's guide says.
	ViteDevServer string
}

// maxMissing bounds how many distinct missing paths a Resolver remembers,
// so that lookups of attacker-chosen paths cannot grow memory without end.
const maxMissing = 4096

// A Resolver maps logical asset paths to URLs. It is safe for concurrent use.
type Resolver struct {
	prefix  string
	strict  bool
	logger  *slog.Logger
	forms   []strategy.Form
	imports map[string]string // bare name -> clean path
	// devServer is the cleaned Options.ViteDevServer, ending in "/", or "".
	devServer string
	table     atomic.Pointer[table]

	mu       sync.Mutex // guards missing's size and the overflow warning
	missing  sync.Map   // clean path -> fallback URL, for paths not in the manifest
	nmissing int

	hooksMu sync.Mutex
	onSwap  []*swapHook // replaced, never modified in place
}

// swapHook is one function registered with OnSwap; its address tells it
// apart from another registration of the same function.
type swapHook struct{ f func(*Manifest) }

// table is one manifest, prepared for lookups.
type table struct {
	manifest *Manifest
	urls     map[string]string
	// importMap returns the element of Resolver.ImportMap, built on first
	// use.
	importMap func() (string, error)
	// entries holds, by clean name, the tags and the HTML of Entry for
	// assets of the manifest, made on first use (an *entryTags).
	entries sync.Map
}

// New returns a Resolver for m. It fails if the prefix or an import is
// refused (see Options.Prefix and Options.Imports) or if m is, as Swap
// says.
func New(m *Manifest, opts Options) (*Resolver, error) {
	prefix, err := cleanPrefix(cmp.Or(opts.Prefix, DefaultPrefix))
	if err != nil {
		return nil, fmt.Errorf("prefix %q: %w", opts.Prefix, err)
	}
	imports, err := cleanImports(opts.Imports)
	if err != nil {
		return nil, err
	}
	devServer, err := cleanDevServer(opts.ViteDevServer)
	if err != nil {
		return nil, fmt.Errorf("vite dev server %q: %w", opts.ViteDevServer, err)
	}
	r := &Resolver{
		prefix:  prefix,
		strict:  opts.Strict,
		logger:  opts.Logger,
		forms:   opts.Forms,
		imports: imports,

		devServer: devServer,
	}
	if r.logger == nil {
		r.logger = slog.Default()
	}
	if err := r.Swap(m); err != nil {
		return nil, err
	}
	return r, nil
}

// Load returns a Resolver for the manifest file at name.
func Load(name string, opts Options) (*Resolver, error) {
	m, err := ReadManifest(name)
	if err != nil {
		return nil, err
	}
	return New(m, opts)
}

// LoadFS returns a Resolver for the manifest file name in fsys, such as an
// embed.FS.
func LoadFS(fsys fs.FS, name string, opts Options) (*Resolver, error) {
	m, err := ReadManifestFS(fsys, name)
	if err != nil {
		return nil, err
	}
	return New(m, opts)
}

// Swap makes r resolve against m from now on. Lookups in progress finish
// with the manifest they started with. It fails, and r keeps its manifest,
// if m names a URL form r does not know, or if an asset would get a URL
// that is not safe as it is in any part of a page (an error wrapping
// ErrUnsafeURL: an Asset.ExternalURL that ParseManifest would refuse, or a form
// that puts such bytes into URLs), has neither a file nor a URL, or has an
// integrity value that is not one sha256, sha384 or sha512 digest. A
// manifest made in code is checked as ParseManifest checks one it reads,
// kept generations included: every name and File must be a clean relative
// path ("css/a.css", never "/evil.com/x.js", "//evil.com/x.js" or
// "../x.js"), every hash lowercase hex of the manifest's hash strategy,
// every encoding one a build writes.
func (r *Resolver) Swap(m *Manifest) error {
	t, err := r.prepare(m)
	if err != nil {
		return err
	}
	r.hooksMu.Lock()
	hooks := r.onSwap
	r.hooksMu.Unlock()
	for _, h := range hooks {
		h.f(m)
	}
	r.table.Store(t)
	r.mu.Lock()
	r.missing.Clear()
	r.nmissing = 0
	r.mu.Unlock()
	return nil
}

// OnSwap makes Swap call f with every manifest it accepts from now on,
// in the goroutine calling Swap, after the manifest is checked and before
// any lookup resolves against it: Swap returns after f does. What depends
// on the manifest, such as the index of a
// [github.com/cachebust/cachebust/serve.Handler], is then ready by the
// time a page holds the new URLs, rather than made by the first request
// for one. f must not call Swap.
//
// The returned stop function unregisters f, as context.AfterFunc's does:
// Swap no longer calls it once stop has returned, unless a Swap had
// already begun calling the registered functions. stop reports whether
// it unregistered f, false if an earlier call did; calling it more than
// once is safe.
func (r *Resolver) OnSwap(f func(*Manifest)) (stop func() bool) {
	h := &swapHook{f: f}
	r.hooksMu.Lock()
	defer r.hooksMu.Unlock()
	r.onSwap = append(slices.Clip(r.onSwap), h)
	return func() bool {
		r.hooksMu.Lock()
		defer r.hooksMu.Unlock()
		i := slices.Index(r.onSwap, h)
		if i < 0 {
			return false
		}
		// A new slice, since Swap may be ranging over the old one.
		r.onSwap = slices.Delete(slices.Clone(r.onSwap), i, i+1)
		return true
	}
}

// Manifest returns the manifest r currently resolves against. It must not
// be modified.
func (r *Resolver) Manifest() *Manifest { return r.current().manifest }

// current returns the table to resolve against.
func (r *Resolver) current() *table { return r.table.Load() }

// Prefix returns the URL prefix, always ending in "/".
func (r *Resolver) Prefix() string { return r.prefix }

// Strict reports whether a missing asset is an error.
func (r *Resolver) Strict() bool { return r.strict }

// Form returns the URL form called name: one of Options.Forms, or a
// built-in form.
func (r *Resolver) Form(name string) (strategy.Form, error) {
	for _, f := range r.forms {
		if f.Name() == name {
			return f, nil
		}
	}
	return strategy.FormByName(name)
}

func (r *Resolver) prepare(m *Manifest) (*table, error) {
	form, err := r.Form(m.Form)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	suffix := urlSuffix(form)
	// Every URL is checked with checkSafe in three parts: the prefix once,
	// the escaped file, which urlpath.EscapePath makes of safe bytes only, and what
	// the form adds. A "%" in the prefix or the file is followed by two hex
	// digits of its own, so that the parts pass as the whole would.
	if err := checkSafe(r.prefix); err != nil {
		return nil, fmt.Errorf("prefix %q: %w", r.prefix, err)
	}
	if m.Length < 0 {
		return nil, fmt.Errorf("manifest: negative length %d", m.Length)
	}
	// A manifest made in code gets the checks a parsed one got: the names
	// and files are clean relative paths, so that no file can turn the
	// prefix into another host's URL ("/" and "/evil.com/x.js").
	check := m.assetCheck()
	t := &table{manifest: m, urls: make(map[string]string, len(m.Assets))}
	var urls stringArena
	graph := false // whether an asset has edges, to be checked
	add := func(name string, a Asset) error {
		u, err := r.assetURL(&urls, suffix, m.Length, name, a)
		if err != nil {
			return fmt.Errorf("manifest: asset %q: %w", name, err)
		}
		if err := check(name, a); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
		t.urls[name] = u
		graph = graph || hasEdges(a)
		return nil
	}
	for name, a := range m.Assets {
		if err := add(name, a); err != nil {
			return nil, cmp.Or(firstBad(m.Assets, add), err)
		}
	}
	for i, g := range m.Generations {
		for name, a := range g.Assets {
			if err := check(name, a); err != nil {
				return nil, fmt.Errorf("manifest: generation %d: %w", i+1, cmp.Or(firstBad(g.Assets, check), err))
			}
		}
	}
	if graph {
		if err := checkGraph(m.Assets); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
	}
	t.importMap = sync.OnceValues(func() (string, error) { return r.buildImportMap(t) })
	return t, nil
}

// urlSuffix returns a function that gives what form adds after the file of
// the asset name with the hash h in its URL, in two parts: nothing for
// strategy.Rename, "?v=" and h for strategy.Query, and for other forms
// what Format gives beyond File.
func urlSuffix(form strategy.Form) func(name, h string) (string, string) {
	switch f := form.(type) {
	case strategy.Rename:
		return func(string, string) (string, string) { return "", "" }
	case strategy.Query:
		sep := f.Format("", "")
		return func(_, h string) (string, string) { return sep, h }
	}
	return func(name, h string) (string, string) {
		if s, file := form.Format(name, h), form.File(name, h); strings.HasPrefix(s, file) {
			return s[len(file):], ""
		}
		return "", ""
	}
}

// assetURL returns the URL of the asset name built as a, made in urls, or
// an error if it would not be safe in a page.
func (r *Resolver) assetURL(urls *stringArena, suffix func(name, h string) (string, string), length int, name string, a Asset) (string, error) {
	switch {
	case a.ExternalURL != "" && a.File != "":
		return "", errors.New("both a file and a url")
	case a.ExternalURL != "":
		u, err := checkURL(a.ExternalURL)
		if err != nil {
			return "", fmt.Errorf("url %q: %w", a.ExternalURL, err)
		}
		return u, nil
	case a.File == "":
		return "", errors.New("neither a file nor a url")
	}
	var s1, s2 string
	if a.Hash != "" {
		h := a.Hash
		if length > 0 && length < len(h) {
			h = h[:length]
		}
		// Whatever the form adds after the file, such as a query string, is
		// its own syntax and goes into the URL unescaped, if it is safe.
		s1, s2 = suffix(name, h)
	}
	file := urlpath.EscapePath(a.File)
	if err := cmp.Or(checkSafe(s1), checkSafe(s2)); err != nil {
		return "", fmt.Errorf("URL %q: %w", r.prefix+file+s1+s2, err)
	}
	return urls.join(r.prefix, file, s1, s2), nil
}

// stringArena makes strings that share a few large allocations, so that the
// URLs of many assets cost little more than their bytes.
type stringArena struct{ b strings.Builder }

// arenaChunk is the size of the allocations of a stringArena.
const arenaChunk = 32 << 10

// join returns the concatenation of parts.
func (a *stringArena) join(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if a.b.Cap()-a.b.Len() < n {
		a.b = strings.Builder{}
		a.b.Grow(max(n, arenaChunk))
	}
	start := a.b.Len()
	for _, p := range parts {
		a.b.WriteString(p)
	}
	return a.b.String()[start:]
}

// URL returns the URL of the asset at the logical path name.
//
// A path in the manifest costs one map lookup and no allocation. Other
// spellings of it ("/css/app.css", "css//app.css") are cleaned first. A
// path missing from the manifest gives its plain URL, or in strict mode a
// *LookupError wrapping ErrNotFound; a path that escapes the root always
// gives a *LookupError wrapping ErrInvalidPath.
func (r *Resolver) URL(name string) (string, error) {
	t := r.current()
	if u, ok := t.urls[name]; ok {
		return u, nil
	}
	clean, err := cleanName(name)
	if err != nil {
		return "", &LookupError{Name: name, Err: err}
	}
	if u, ok := t.urls[clean]; ok {
		return u, nil
	}
	if r.strict {
		return "", &LookupError{Name: name, Err: ErrNotFound}
	}
	return r.fallback(clean), nil
}

// Integrity returns the Subresource Integrity value recorded for the asset
// at the logical path name, such as "sha384-<base64>", for an integrity
// attribute. Paths are cleaned as by URL. For an asset missing from the
// manifest, or one without an integrity value, it returns "" (an empty
// integrity attribute checks nothing), or in strict mode a *LookupError
// wrapping ErrNotFound or ErrNoIntegrity.
func (r *Resolver) Integrity(name string) (string, error) {
	assets := r.current().manifest.Assets
	a, ok := assets[name]
	if !ok {
		clean, err := cleanName(name)
		if err != nil {
			return "", &LookupError{Name: name, Err: err}
		}
		a, ok = assets[clean]
	}
	switch {
	case ok && a.Integrity != "":
		return a.Integrity, nil
	case !r.strict:
		return "", nil
	case !ok:
		return "", &LookupError{Name: name, Err: ErrNotFound}
	}
	return "", &LookupError{Name: name, Err: ErrNoIntegrity}
}

// fallback returns the plain URL of a path missing from the manifest and
// logs it the first time.
func (r *Resolver) fallback(clean string) string {
	if u, ok := r.missing.Load(clean); ok {
		return u.(string)
	}
	u := r.prefix + urlpath.EscapePath(clean)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, loaded := r.missing.Load(clean); loaded {
		return u
	}
	switch {
	case r.nmissing < maxMissing:
		r.missing.Store(clean, u)
		r.nmissing++
		r.logger.Warn("cachebust: asset not in manifest, using its plain URL", "path", clean, "url", u)
	case r.nmissing == maxMissing:
		r.nmissing++
		r.logger.Warn("cachebust: too many assets missing from the manifest; no longer logging them", "limit", maxMissing)
	}
	return u
}
