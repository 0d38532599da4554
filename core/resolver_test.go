package core_test

import (
	"bytes"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// testManifest has one asset of each kind the resolver meets.
func testManifest() *core.Manifest {
	return &core.Manifest{
		Version: core.ManifestVersion,
		Hash:    "sha256",
		Form:    "rename",
		Length:  12,
		Assets: map[string]core.Asset{
			"css/main.css": {
				File:      "css/main-2cdfea28899d.css",
				Hash:      "2cdfea28899d22adb7b1d2f5fc012feacd3d172b54ef1f3a55572053ff1e264f",
				Size:      534,
				Integrity: "sha384-AAAA",
			},
			"img/my photo ü.png": {
				File: "img/my photo ü-4d841d8c520f.png",
				Hash: "4d841d8c520fea522a3e2545c27f0f1f62f15e4faeab6ad6c8fa89c670891a29",
				Size: 112,
			},
		},
	}
}

func newResolver(t *testing.T, m *core.Manifest, opts core.Options) *core.Resolver {
	t.Helper()
	r, err := core.New(m, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func TestResolverURL(t *testing.T) {
	tests := []struct {
		name   string
		opts   core.Options
		in     string
		want   string
		errIs  error // nil for success
		strict bool
	}{
		{name: "Found", in: "css/main.css", want: "/static/css/main-2cdfea28899d.css"},
		{name: "LeadingSlash", in: "/css/main.css", want: "/static/css/main-2cdfea28899d.css"},
		{name: "DotSlash", in: "./css/main.css", want: "/static/css/main-2cdfea28899d.css"},
		{name: "DoubleSlash", in: "css//main.css", want: "/static/css/main-2cdfea28899d.css"},
		{name: "DotDotInside", in: "css/../css/main.css", want: "/static/css/main-2cdfea28899d.css"},
		{name: "Escaped", in: "img/my photo ü.png", want: "/static/img/my%20photo%20%C3%BC-4d841d8c520f.png"},
		{name: "Prefix", opts: core.Options{Prefix: "/assets"}, in: "css/main.css", want: "/assets/css/main-2cdfea28899d.css"},
		{name: "BaseURL", opts: core.Options{Prefix: "https://cdn.example.com/assets/"}, in: "css/main.css", want: "https://cdn.example.com/assets/css/main-2cdfea28899d.css"},
		{name: "FallbackMissing", in: "js/app.js", want: "/static/js/app.js"},
		{name: "FallbackMissingCleaned", in: "/js//app.js", want: "/static/js/app.js"},
		{name: "FallbackEscaped", in: "a&b?c#d.js", want: "/static/a%26b%3Fc%23d.js"},
		{name: "StrictMissing", opts: core.Options{Strict: true}, in: "js/app.js", errIs: core.ErrNotFound},
		{name: "Escape", in: "../secret", errIs: core.ErrInvalidPath},
		{name: "EscapeDeep", in: "css/../../secret", errIs: core.ErrInvalidPath},
		{name: "EscapeStrict", opts: core.Options{Strict: true}, in: "../secret", errIs: core.ErrInvalidPath},
		{name: "Empty", in: "", errIs: core.ErrInvalidPath},
		{name: "Root", in: "/", errIs: core.ErrInvalidPath},
		{name: "Dot", in: ".", errIs: core.ErrInvalidPath},
		{name: "NUL", in: "css/main.css\x00", errIs: core.ErrInvalidPath},
		{name: "Backslash", in: `..\secret`, errIs: core.ErrInvalidPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Logger = slog.New(slog.DiscardHandler)
			r := newResolver(t, testManifest(), tt.opts)
			got, err := r.URL(tt.in)
			if tt.errIs != nil {
				var le *core.LookupError
				if !errors.Is(err, tt.errIs) || !errors.As(err, &le) || le.Name != tt.in {
					t.Fatalf("URL(%q) = %q, %v, want a *LookupError for %q wrapping %v", tt.in, got, err, tt.in, tt.errIs)
				}
				if got != "" {
					t.Errorf("URL(%q) = %q with an error, want \"\"", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("URL(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestResolverQueryForms(t *testing.T) {
	tests := []struct {
		form, want string
		length     int
	}{
		{"query", "/static/css/main.css?v=2cdfea28899d", 12},
		{"query:", "/static/css/main.css?2cdfea28", 8},
		{"query:ver", "/static/css/main.css?ver=2cdfea28899d22adb7b1d2f5fc012feacd3d172b54ef1f3a55572053ff1e264f", 0},
	}
	for _, tt := range tests {
		m := testManifest()
		m.Form, m.Length = tt.form, tt.length
		m.Assets = map[string]core.Asset{"css/main.css": {File: "css/main.css", Hash: m.Assets["css/main.css"].Hash}}
		r := newResolver(t, m, core.Options{})
		if got, err := r.URL("css/main.css"); err != nil || got != tt.want {
			t.Errorf("form %s: URL = %q, %v, want %q", tt.form, got, err, tt.want)
		}
	}
}

func TestResolverUnknownForm(t *testing.T) {
	m := testManifest()
	m.Form = "mine"
	if _, err := core.New(m, core.Options{}); err == nil || !strings.Contains(err.Error(), `"mine"`) {
		t.Errorf("New with form %q: error %v, want one naming it", m.Form, err)
	}
}

func TestResolverLogsMissingOnce(t *testing.T) {
	var buf bytes.Buffer
	r := newResolver(t, testManifest(), core.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	for range 3 {
		r.URL("js/app.js")
		r.URL("/js/app.js")
	}
	r.URL("js/other.js")
	if got := strings.Count(buf.String(), "js/app.js"); got != 2 { // path= and url=, in one line
		t.Errorf("log mentions js/app.js %d times, want one line:\n%s", got, buf.String())
	}
	if got := strings.Count(buf.String(), "\n"); got != 2 {
		t.Errorf("log has %d lines, want 2:\n%s", got, buf.String())
	}
}

func TestResolverIntegrity(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	lenient := newResolver(t, testManifest(), core.Options{Logger: quiet})
	strict := newResolver(t, testManifest(), core.Options{Logger: quiet, Strict: true})
	tests := []struct {
		r     *core.Resolver
		in    string
		want  string
		errIs error
	}{
		{lenient, "css/main.css", "sha384-AAAA", nil},
		{lenient, "/css/main.css", "sha384-AAAA", nil},
		{lenient, "img/my photo ü.png", "", nil},
		{lenient, "js/app.js", "", nil},
		{lenient, "../x", "", core.ErrInvalidPath},
		{strict, "css/main.css", "sha384-AAAA", nil},
		{strict, "img/my photo ü.png", "", core.ErrNoIntegrity},
		{strict, "js/app.js", "", core.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := tt.r.Integrity(tt.in)
		if got != tt.want || !errors.Is(err, tt.errIs) || (tt.errIs == nil) != (err == nil) {
			t.Errorf("Integrity(%q) strict=%v = %q, %v, want %q, %v", tt.in, tt.r.Strict(), got, err, tt.want, tt.errIs)
		}
	}
}

// TestNewNamesFirstBadAsset checks that a manifest with several assets
// the resolver refuses is refused naming the same one, the first in sorted
// order, by New and by Swap alike.
func TestNewNamesFirstBadAsset(t *testing.T) {
	m := testManifest()
	for _, name := range []string{"z.css", "m.css", "b.css", "q.css"} {
		m.Assets[name] = core.Asset{File: name, Hash: strings.Repeat("ab", 32), Integrity: "md5-AAAA"}
	}
	r := newResolver(t, testManifest(), core.Options{Logger: slog.New(slog.DiscardHandler)})
	for range 20 {
		_, err := core.New(m, core.Options{})
		if err == nil || !strings.Contains(err.Error(), `asset "b.css"`) {
			t.Fatalf("New of a manifest with four bad integrity values = %v, want an error naming b.css", err)
		}
		if err := r.Swap(m); err == nil || !strings.Contains(err.Error(), `asset "b.css"`) {
			t.Fatalf("Swap to it = %v, want an error naming b.css", err)
		}
	}
}

func TestResolverSwap(t *testing.T) {
	r := newResolver(t, testManifest(), core.Options{Logger: slog.New(slog.DiscardHandler)})
	if got, _ := r.URL("js/app.js"); got != "/static/js/app.js" {
		t.Fatalf("before Swap: URL(js/app.js) = %q", got)
	}
	m := testManifest()
	m.Assets["js/app.js"] = core.Asset{File: "js/app-1a7fcead76ac.js", Hash: strings.Repeat("1a7fcead76ac", 5) + "abcd", Size: 1}
	if err := r.Swap(m); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.URL("js/app.js"); got != "/static/js/app-1a7fcead76ac.js" {
		t.Errorf("after Swap: URL(js/app.js) = %q, want the hashed URL (a fallback must not be cached across swaps)", got)
	}
	bad := testManifest()
	bad.Form = "nonsense"
	if err := r.Swap(bad); err == nil {
		t.Fatal("Swap(bad manifest) succeeded")
	}
	if got, _ := r.URL("js/app.js"); got != "/static/js/app-1a7fcead76ac.js" {
		t.Errorf("after failed Swap: URL(js/app.js) = %q, want the previous manifest kept", got)
	}
}

func TestResolverConcurrent(t *testing.T) {
	r := newResolver(t, testManifest(), core.Options{Logger: slog.New(slog.DiscardHandler)})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 1000 {
				if i == 0 && j%100 == 0 {
					if err := r.Swap(testManifest()); err != nil {
						t.Error(err)
					}
				}
				if got, err := r.URL("css/main.css"); err != nil || got != "/static/css/main-2cdfea28899d.css" {
					t.Errorf("URL = %q, %v", got, err)
					return
				}
				r.URL("missing/" + string(rune('a'+j%26)))
			}
		})
	}
	wg.Wait()
}

func TestURLAllocations(t *testing.T) {
	r := newResolver(t, testManifest(), core.Options{Logger: slog.New(slog.DiscardHandler)})
	r.URL("js/app.js")
	for _, name := range []string{"css/main.css", "js/app.js"} {
		if n := testing.AllocsPerRun(100, func() { r.URL(name) }); n != 0 {
			t.Errorf("URL(%q) allocates %v times, want 0", name, n)
		}
	}
}

// FuzzResolverURL checks that no path, however spelled, resolves outside
// the prefix or panics, and that cleaning is idempotent.
func FuzzResolverURL(f *testing.F) {
	for _, s := range []string{"css/main.css", "/css//main.css", "../x", "a/../../b", "./", "%2e%2e/x", "a\\..\\b", "\x00", "img/my photo ü.png"} {
		f.Add(s)
	}
	r, err := core.New(testManifest(), core.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		u, err := r.URL(name)
		if err != nil {
			if !errors.Is(err, core.ErrInvalidPath) {
				t.Fatalf("URL(%q): unexpected error %v", name, err)
			}
			return
		}
		rest, ok := strings.CutPrefix(u, "/static/")
		if !ok {
			t.Fatalf("URL(%q) = %q, outside the prefix", name, u)
		}
		for _, seg := range strings.Split(rest, "/") {
			if seg == ".." || seg == "." || seg == "" {
				t.Fatalf("URL(%q) = %q has segment %q", name, u, seg)
			}
		}
		if again, err := r.URL(strings.TrimPrefix(u, "/static/")); err != nil || (!strings.Contains(rest, "%") && again != u) {
			t.Fatalf("URL(URL(%q)) = %q, %v, want %q", name, again, err, u)
		}
	})
}

func BenchmarkURL(b *testing.B) {
	m := testManifest()
	for i := range 1000 {
		name := "img/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".png"
		m.Assets[name] = core.Asset{File: name, Hash: m.Assets["css/main.css"].Hash}
	}
	r, err := core.New(m, core.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	plain := make(map[string]string, len(m.Assets))
	for k := range m.Assets {
		plain[k] = "/static/" + k
	}
	r.URL("js/app.js")
	b.Run("MapLookupBaseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = plain["css/main.css"]
		}
	})
	for _, name := range []string{"css/main.css", "/css/main.css", "js/app.js"} {
		b.Run(strings.NewReplacer("/", "_").Replace(name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.URL(name)
			}
		})
	}
	b.Run("Parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r.URL("css/main.css")
			}
		})
	})
}

// A function OnSwap registered is called by every Swap until its stop
// function unregisters it, and no longer after; stop reports whether it
// did, once.
func TestOnSwapStop(t *testing.T) {
	r := newResolver(t, testManifest(), core.Options{})
	calls := make([]int, 3)
	stops := make([]func() bool, 3)
	for i := range calls {
		stops[i] = r.OnSwap(func(*core.Manifest) { calls[i]++ })
	}
	if err := r.Swap(testManifest()); err != nil {
		t.Fatal(err)
	}
	if !stops[1]() {
		t.Error("first stop() = false, want true")
	}
	if stops[1]() {
		t.Error("second stop() = true, want false")
	}
	if err := r.Swap(testManifest()); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 1, 2}; !slices.Equal(calls, want) {
		t.Errorf("calls after two swaps, the second hook stopped after one = %v, want %v", calls, want)
	}
	stops[0]()
	stops[2]()
	if n := r.SwapHooks(); n != 0 {
		t.Errorf("after every stop, %d hooks are registered, want 0", n)
	}
}
