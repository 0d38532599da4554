package core_test

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// The maps the two articles and webpack-manifest-plugin write resolve as
// their own tools resolved them.
func TestReadForeignManifests(t *testing.T) {
	tests := []struct {
		file   string
		prefix string
		urls   map[string]string
	}{
		{"crc32-map.json", "/static/images/", map[string]string{
			"slider/title-img-01.jpg": "/static/images/slider/title-img-01.jpg?5849f6f0",
			"favicon.ico":             "/static/images/favicon.ico?be79d92e",
			"someimage.jpg":           "/static/images/someimage.jpg",
		}},
		{"md5-map.json", "/", map[string]string{
			"css/main.css": "/css/cache/main-9e107d9d372bb6826bd81d3542a419d6.css",
			"js/app.js":    "/js/cache/app-5d41402abc4b2a76b9719d911017c592.js",
			"main.css":     "/main.css",
		}},
		{"webpack-manifest.json", "/", map[string]string{
			"main.js":         "/dist/main.7f3c1b2a.js",
			"vendor.js":       "https://cdn.example.com/dist/vendor.12ab34cd.js",
			"images/logo.svg": "/dist/images/logo.5e6f7a8b.svg",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := core.Load(filepath.Join("testdata", tt.file), core.Options{Prefix: tt.prefix, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			for in, want := range tt.urls {
				if got, err := r.URL(in); err != nil || got != want {
					t.Errorf("URL(%q) = %q, %v, want %q", in, got, err, want)
				}
			}
		})
	}
}

func TestParseManifestCorrupt(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"NotJSON", `{"version": 1,`, "unexpected end"},
		{"Empty", ``, "unexpected end"},
		{"Array", `[1, 2]`, "cannot unmarshal"},
		{"WrongVersion", `{"version": 2, "hash": "sha256", "url": "rename", "assets": {}}`, "version 2"},
		{"UnknownField", `{"version": 1, "hash": "sha256", "url": "rename", "assets": {}, "extra": 1}`, `unknown field "extra"`},
		{"EscapingKey", `{"version": 1, "hash": "crc32", "url": "query", "assets": {"../x": {"file": "../x", "hash": "00000000", "size": 1}}}`, `asset "../x"`},
		{"EscapingFile", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "../x-00000000", "hash": "00000000", "size": 1}}}`, `file "../x-00000000"`},
		{"BadHash", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "XYZ", "size": 1}}}`, `hash "XYZ"`},
		{"ShortHash", `{"version": 1, "hash": "sha256", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "00", "size": 1}}}`, `hash "00"`},
		{"NegativeSize", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "00000000", "size": -1}}}`, "negative size"},
		{"BadGeneration", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {}, "generations": [{"assets": {"/x": {"file": "x", "hash": "00000000"}}}]}`, "generation 1"},
		{"FlatNonString", `{"a.css": 1}`, `entry "a.css"`},
		{"FlatEscaping", `{"a.css": "../a-1.css"}`, `entry "a.css"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := core.ParseManifest([]byte(tt.data))
			if !errors.Is(err, core.ErrCorruptManifest) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseManifest(%s) = %v, %v, want an error wrapping ErrCorruptManifest containing %q", tt.data, m, err, tt.want)
			}
		})
	}
}

func TestReadManifestNamesFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "cachebust.json")
	if err := os.WriteFile(name, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := core.ReadManifest(name); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("ReadManifest(corrupt) error = %v, want one naming %s", err, name)
	}
	missing := filepath.Join(t.TempDir(), "nope.json")
	if _, err := core.ReadManifest(missing); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadManifest(missing) error = %v, want ErrNotExist naming %s", err, missing)
	}
}

func FuzzParseManifest(f *testing.F) {
	for _, name := range []string{"crc32-map.json", "md5-map.json", "webpack-manifest.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	own, _ := testManifest().Marshal()
	f.Add(own)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := core.ParseManifest(data)
		if err != nil {
			return
		}
		// Whatever parses must be usable: a resolver accepts it, or says
		// which form it does not know, and its own encoding parses again.
		if _, err := core.New(m, core.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil && !strings.Contains(err.Error(), "URL form") {
			t.Fatalf("New(parsed manifest): %v", err)
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := core.ParseManifest(out); err != nil {
			t.Fatalf("ParseManifest(Marshal(m)) = %v for\n%s", err, out)
		}
	})
}
