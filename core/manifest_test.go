package core_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/specialtest"
)

// The flat maps other tools and scripts write resolve as
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

// Every problem with a manifest's content is an error wrapping
// ErrCorruptManifest that says, in the terms of the format, where it is
// and what is wrong: never a Go type.
func TestParseManifestCorrupt(t *testing.T) {
	const head = `{"version": 1, "hash": "crc32", "url": "rename", "assets": `
	testCorrupt(t, "manifest", func(data []byte) error { _, err := core.ParseManifest(data); return err }, []corruptCase{
		{"NotJSON", `{"version": 1,`, `line 1, column 15: invalid JSON: unexpected end of the file`},
		{"Empty", ``, `the file is empty, want a JSON object`},
		{"Array", `[1, 2]`, `line 1, column 1: the manifest must be a JSON object, got an array`},
		{"TrailingComma", head + `{},}`, "line 1, column 62: invalid JSON: invalid character ',' at start of value"},
		{"AfterEnd", head + `{}} x`, `line 1, column 64: invalid JSON: want the end of the file, got "x"`},
		{"ControlInString", "{\"ab\": \"x\ny\"}", `line 1, column 10: invalid JSON: invalid character '\n' in string (expecting non-control character)`},
		{"BadEscape", `{"a": "\x"}`, `line 1, column 8: invalid JSON: invalid escape sequence "\\x" in string`},
		{"LineAndColumn", "{\n  \"version\": 1,\n  \"assets\": {\n    \"ü\": {\"size\": -}\n  }\n}\n", "line 4, column 20: invalid JSON: invalid character '}' in number (expecting digit)"},
		{"AssetsNumber", head + `5}`, `line 1, column 60: "assets" must be an object of assets, got a number`},
		{"AssetNumber", head + `{"css/app.css": 5}}`, `line 1, column 76: asset "css/app.css": the value must be an asset object, got a number`},
		{"SizeString", head + `{"css/app.css": {"file": "css/app-0.css", "hash": "00000000", "size": "12"}}}`, `line 1, column 130: asset "css/app.css": "size" must be an integer, got a string`},
		{"SizeFraction", head + `{"a": {"size": 1.5}}}`, `line 1, column 75: asset "a": "size" must be an integer, got 1.5`},
		{"SizeHuge", head + `{"a": {"size": 1e99}}}`, `line 1, column 75: asset "a": "size" must be an integer, got 1e99`},
		{"SizeOverflow", head + `{"a": {"size": 9223372036854775808}}}`, `line 1, column 75: asset "a": "size" must be an integer of at most 64 bits, got 9223372036854775808`},
		{"UnknownAssetKey", head + `{"css/app.css": {"file": "css/app-0.css", "sise": 12}}}`, `line 1, column 102: asset "css/app.css": unknown key "sise" (want "file", "url", "hash", "size", "integrity", "encodings", "imports", "refs" or "css")`},
		{"EncodingsString", head + `{"a": {"encodings": "br"}}}`, `line 1, column 80: asset "a": "encodings" must be an array of strings, got a string`},
		{"EncodingNumber", head + `{"a": {"encodings": ["br", 5]}}}`, `line 1, column 87: asset "a": "encodings" item 2 must be a string, got a number`},
		{"GenerationsObject", head + `{}, "generations": {}}`, `line 1, column 79: "generations" must be an array of generations, got an object`},
		{"GenerationNumber", head + `{}, "generations": [5]}`, `line 1, column 80: generation 1: the value must be an object with "assets", got a number`},
		{"GenerationSize", head + `{}, "generations": [{"assets": {"a": {"size": true}}}]}`, `line 1, column 106: generation 1: asset "a": "size" must be an integer, got a boolean`},
		{"GenerationKey", head + `{}, "generations": [{"asets": {}}]}`, `line 1, column 81: generation 1: unknown key "asets" (want "assets")`},
		{"VersionString", `{"version": "1", "assets": {}}`, `line 1, column 13: "version" must be an integer, got a string`},
		{"VersionFraction", `{"version": 1.5, "assets": {}}`, `line 1, column 13: "version" must be an integer, got 1.5`},
		{"OriginalsString", `{"version": 1, "originals": "yes", "assets": {}}`, `line 1, column 29: "originals" must be true or false, got a string`},
		{"HashNumber", `{"version": 1, "hash": 5, "assets": {}}`, `line 1, column 24: "hash" must be a string, got a number`},
		{"UnknownField", `{"version": 1, "hash": "sha256", "url": "rename", "assets": {}, "extra": 1}`, `line 1, column 65: unknown key "extra" (want "version", "hash", "url", "length", "originals", "assets" or "generations")`},
		{"WrongVersion", `{"version": 2, "hash": "sha256", "url": "rename", "assets": {}}`, "version 2, want 1"},
		{"NoAssets", `{"version": 1, "hash": "sha256", "url": "rename", "assets": null}`, `no "assets"`},
		{"EscapingKey", `{"version": 1, "hash": "crc32", "url": "query", "assets": {"../x": {"file": "../x", "hash": "00000000", "size": 1}}}`, `asset "../x": not a clean relative path`},
		{"EscapingFile", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "../x-00000000", "hash": "00000000", "size": 1}}}`, `asset "x": file "../x-00000000" is not a clean relative path`},
		{"BadHash", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "XYZ", "size": 1}}}`, `asset "x": hash "XYZ" is not a crc32 digest`},
		{"ShortHash", `{"version": 1, "hash": "sha256", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "00", "size": 1}}}`, `asset "x": hash "00" is not a sha256 digest`},
		{"NegativeSize", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "x-0", "hash": "00000000", "size": -1}}}`, `asset "x": negative size`},
		{"FirstBadAsset", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"b": {"file": "b", "hash": "00000000", "size": -1}, "a": {"file": "a", "hash": "0", "size": -1}}}`, `asset "b": negative size`},
		{"BadGeneration", `{"version": 1, "hash": "crc32", "url": "rename", "assets": {}, "generations": [{"assets": {"/x": {"file": "x", "hash": "00000000"}}}]}`, `generation 1: asset "/x": not a clean relative path`},
		{"HashAfterAssets", `{"version": 1, "url": "rename", "assets": {"b": {"file": "b", "hash": "0"}, "a": {"file": "a", "hash": "0"}}, "hash": "crc32"}`, `asset "a": hash "0" is not a crc32 digest`},
		{"FlatNonString", `{"a.css": 1}`, `line 1, column 11: entry "a.css" must be a string (a hash or a file), got a number`},
		{"FlatNull", `{"b.css": "b.1.css", "a.css": null}`, `line 1, column 31: entry "a.css" must be a string (a hash or a file), got null`},
		{"FlatEscaping", `{"a.css": "../a-1.css"}`, `entry "a.css": file "../a-1.css": invalid asset path`},
		// What the decoder leaves to encoding/json is reported as well.
		{"FoldedKey", `{"version": 1, "HASH": 5, "assets": {}}`, `"hash" must be a string, got a number`},
		{"FoldedAssetKey", head + `{"a": {"FILE": "a", "size": "1"}}}`, `"assets.size" must be an integer, got a string`},
		{"FoldedEncoding", head + `{"a": {"FILE": "a", "encodings": [1]}}}`, `an item of "assets.encodings" must be a string, got a number`},
		{"NullSyntax", `{"version": 1, "hash": null, "assets": {}, "x": tru}`, "line 1, column 52: invalid JSON: invalid character '}' in literal true (expecting 'e')"},
	})
}

// corruptCase is a document and what is wrong with it.
type corruptCase struct{ name, data, want string }

// testCorrupt checks that parse fails for each case with an error wrapping
// ErrCorruptManifest whose message is "corrupt KIND: " and what is wrong.
func testCorrupt(t *testing.T, kind string, parse func([]byte) error, tests []corruptCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parse([]byte(tt.data))
			if !errors.Is(err, core.ErrCorruptManifest) {
				t.Fatalf("parsing the %s %s: error %v, want one wrapping ErrCorruptManifest", kind, tt.data, err)
			}
			if got, want := err.Error(), "corrupt "+kind+": "+tt.want; got != want {
				t.Errorf("parsing the %s %s: error\n%s\nwant\n%s", kind, tt.data, got, want)
			}
		})
	}
}

// A manifest read from a file names it, before the line and column.
func TestReadManifestCorrupt(t *testing.T) {
	fsys := fstest.MapFS{
		"public/cachebust.json": {Data: []byte("{\n  \"version\": 1,\n  \"assets\": 5\n}\n")},
		"public/invalid.json":   {Data: []byte(`{"version": 1, "hash": "crc32", "url": "rename", "assets": {"x": {"file": "x", "hash": "XYZ"}}}`)},
	}
	for name, want := range map[string]string{
		"public/cachebust.json": `corrupt manifest public/cachebust.json:3:13: "assets" must be an object of assets, got a number`,
		"public/invalid.json":   `corrupt manifest public/invalid.json: asset "x": hash "XYZ" is not a crc32 digest`,
	} {
		_, err := core.ReadManifestFS(fsys, name)
		if !errors.Is(err, core.ErrCorruptManifest) || err.Error() != want {
			t.Errorf("ReadManifestFS(%s) error %v, want %s", name, err, want)
		}
	}
}

// The readers refuse what is not a regular file, before they open it (a
// named pipe would block, a device such as /dev/full never ends), and a
// file larger than MaxManifestSize, each with one line naming the file.
func TestReadManifestRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	specialtest.Sparse(t, big, core.MaxManifestSize+1)
	tests := []struct {
		name, want string
	}{
		{dir, dir + ": a directory, not a regular file"},
		{big, big + ": 268435457 bytes, more than 268435456 bytes (256 MiB), the most a manifest or record may have"},
	}
	if info, err := os.Stat("/dev/full"); err == nil && info.Mode()&fs.ModeDevice != 0 {
		tests = append(tests, struct{ name, want string }{"/dev/full", "/dev/full: a device, not a regular file"})
	}
	if fifo := filepath.Join(dir, "fifo.json"); specialtest.FIFO(t, fifo) {
		tests = append(tests, struct{ name, want string }{fifo, fifo + ": a named pipe, not a regular file"})
	}
	for _, tt := range tests {
		m, err := core.ReadManifest(tt.name)
		if got, want := fmt.Sprint(err), "read manifest: "+tt.want; got != want {
			t.Errorf("ReadManifest(%s) = %v, error\n%s\nwant\n%s", tt.name, m, got, want)
		}
		if _, err := core.Load(tt.name, core.Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) error %v, want one saying %s", tt.name, err, tt.want)
		}
	}
	fsys := fstest.MapFS{"dist/.vite/x": {}, "public/x": {}, "out/x": {}}
	for _, read := range []struct {
		kind string
		read func(fs.FS, string) error
		name string
	}{
		{"manifest", func(fsys fs.FS, name string) error { _, err := core.ReadManifestFS(fsys, name); return err }, "out"},
		{"vite manifest", func(fsys fs.FS, name string) error { _, err := core.ReadViteManifestFS(fsys, name); return err }, "dist/.vite"},
		{"mix manifest", func(fsys fs.FS, name string) error { _, err := core.ReadMixManifestFS(fsys, name); return err }, "public"},
	} {
		want := "read " + read.kind + ": " + read.name + ": a directory, not a regular file"
		if err := read.read(fsys, read.name); fmt.Sprint(err) != want {
			t.Errorf("reading the %s %s: error %v, want %s", read.kind, read.name, err, want)
		}
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

// fuzzSeeds are documents that reach every branch of the decoder and of
// encoding/json's meanings it leaves to encoding/json: null, keys twice,
// keys in another case, escapes, invalid UTF-8, numbers of every form.
var fuzzSeeds = []string{
	`{"version": 1, "hash": "crc32", "url": "query", "length": 4, "originals": true, "assets": {"a b/\u00fc.css": {"file": "a b/\u00fc.css", "hash": "0123abcd", "size": 7, "integrity": "sha256-AAAA", "encodings": ["br", "gzip"]}}, "generations": [{"assets": {"x": {"url": "https://x/x.js"}}}, {}, {"assets": {}}]}`,
	`{"version": 1, "assets": {}, "hash": null}`,
	`{"version": 1, "assets": {}, "generations": [null]}`,
	`{"version": 1, "assets": {"a": null}}`,
	`{"version": 1, "assets": {"a": {"file": "a", "file": "b"}}}`,
	`{"version": 1, "assets": {"a": {"file": "a"}}, "assets": {"b": {"file": "b"}}}`,
	`{"version": 1, "assets": {}, "generations": [{"assets": {"a": {"file": "a"}}}, {"assets": {"c": {"file": "c"}}}], "generations": [{}], "generations": [{}, {"assets": {"b": {"file": "b"}}}]}`,
	`{"Version": 1, "version": 1, "ASSETS": {"a": {"File": "a"}}, "assets": {}}`,
	`{"version": 1, "assets": {"a": {"ſize": 1, "file": "a"}}}`,
	`{"vers\u0069on": 1, "assets": {"\ud83d\ude00": {"file": "\ud83d"}}}`,
	"{\"version\": 1, \"assets\": {\"\xff\": {\"file\": \"a\\u2028\xed\xa0\x80\"}}}",
	`{"version": 1.0, "assets": {}}`,
	`{"version": 1, "length": -0, "assets": {"a": {"file": "a", "size": 1e2}}}`,
	`{"version": 1, "length": 99999999999999999999, "assets": {}}`,
	`{"assets": {"a": {"zzz": 1}}, "assets": "x.css"}`,
	`{"a.css": 1, "a.css": "a-1.css"}`,
	`{"a.css": "a-1.css", "a.css": [1]}`,
	`{"/a.css": "a-1.css", "a.css": "a-2.css"}`,
	`{"a.css": null}`,
	`{"hash": "0123", "url": "ab12"}`,
	`{"version": "1", "assets": "x"}`,
	`{"version": 1, "assets": {}, "extra": {"nested": [1, {"deep": null}]}}`,
	`null`,
	` `,
	`[1, 2]`,
	`{"version": 1, "assets": {}} x`,
	`{"version": 1, "hash": "", "url": "rename", "assets": {"a.js": {"file": "a.js", "hash": "", "size": 0, "imports": ["b.js"], "refs": [], "css": null}, "b.js": {"file": "b", "hash": "", "size": 0, "css": ["a.js", "b.js"], "refs": ["./b.js"]}}}`,
	`{"version": 1, "hash": "", "url": "rename", "assets": {"a.js": {"file": "a.js", "hash": "", "size": 0, "Imports": ["x"], "imports": [1]}}, "generations": [{"assets": {"c": {"file": "c", "hash": "", "size": 0, "refs": ["d"]}}}]}`,
	`{"version": 1, "assets": {},}`,
	`{"version": 1 "assets": {}}`,
	"{\"a\": \"\x01\"}",
	`{"a": "\x"}`,
	`{"a": "\u12"}`,
	`{"a": tru}`,
	`{"a": -}`,
	`{"a": 01}`,
	`{"a": 1.}`,
	`{"a": 1e}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"x": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
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
	big, _ := bigManifest(50).Marshal()
	f.Add(big)
	graph, _ := graphManifest().Marshal()
	f.Add(graph)
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := core.ParseManifest(data)
		// The decoder agrees with encoding/json: the same documents are
		// accepted, as the same manifests.
		want, wantErr := core.ParseManifestJSON(data)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("ParseManifest(%q) = %v, encoding/json says %v", data, err, wantErr)
		}
		if err != nil {
			checkMessage(t, data, err)
			checkMessage(t, data, wantErr)
			return
		}
		if !reflect.DeepEqual(m, want) {
			t.Fatalf("ParseManifest(%q) =\n%#v\nencoding/json gives\n%#v", data, m, want)
		}
		// Whatever parses must be usable: a resolver accepts it, or says
		// which form it does not know, and its own encoding, the one of
		// encoding/json, parses again.
		if _, err := core.New(m, core.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil && !strings.Contains(err.Error(), "URL form") {
			t.Fatalf("New(parsed manifest): %v", err)
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if ref := jsonMarshal(t, m); !bytes.Equal(out, ref) {
			t.Fatalf("Marshal() =\n%s\nencoding/json writes\n%s", out, ref)
		}
		if _, err := core.ParseManifest(out); err != nil {
			t.Fatalf("ParseManifest(Marshal(m)) = %v for\n%s", err, out)
		}
	})
}

// checkMessage fails the test if err, from parsing data, does not wrap
// ErrCorruptManifest or speaks of Go rather than of the document.
func checkMessage(t *testing.T, data []byte, err error) {
	t.Helper()
	if !errors.Is(err, core.ErrCorruptManifest) {
		t.Fatalf("parsing %q: error %v does not wrap ErrCorruptManifest", data, err)
	}
	// What the document says is quoted; the rest is the message's own.
	own := quoted.ReplaceAllString(err.Error(), `""`)
	if w := goWords.FindString(own); w != "" {
		t.Fatalf("parsing %q: error %q speaks of Go (%q)", data, err, w)
	}
}

var (
	// quoted matches a string quoted as by %q.
	quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	// goWords matches what speaks of Go types.
	goWords = regexp.MustCompile(`json:|\bGo\b|\bcore\.|map\[|\[\]|\bu?int(8|16|32|64)?\b|\bstruct\b|\bunmarshal\b|\bbool\b`)
)

// jsonMarshal is what Marshal must write: the manifest as encoding/json's
// Encoder writes it, without HTML escapes, with a 2-space indent.
func jsonMarshal(t testing.TB, m *core.Manifest) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Marshal writes what encoding/json writes, byte for byte, for manifests
// of every shape: empty and missing maps, generations with and without
// assets, encodings empty or not, and strings with every character
// encoding/json escapes.
func TestMarshalMatchesJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "css/", "Z9", "-", ".", " ", "ü", "日本", "\"", "\\", "<>&", "\x00", "\x1f", "\b", "\f", "\n", "\r", "\t", "\x7f", "\u2028", "\u2029", "\xff", "\xed\xa0\x80", "\xe2\x80", "\U0001F600", "\ufffd"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	assets := func() map[string]core.Asset {
		switch rng.IntN(5) {
		case 0:
			return nil
		case 1:
			return map[string]core.Asset{}
		}
		m := make(map[string]core.Asset)
		for range rng.IntN(8) {
			a := core.Asset{Hash: str(), Size: rng.Int64N(1<<40) - 1<<20}
			if rng.IntN(2) == 0 {
				a.File = str()
			}
			if rng.IntN(4) == 0 {
				a.ExternalURL = str()
			}
			if rng.IntN(3) == 0 {
				a.Integrity = str()
			}
			list := func() []string {
				switch rng.IntN(3) {
				case 0:
					return []string{}
				case 1:
					var l []string
					for range 1 + rng.IntN(3) {
						l = append(l, str())
					}
					return l
				}
				return nil
			}
			a.Encodings, a.Imports, a.Refs, a.CSS = list(), list(), list(), list()
			m[str()] = a
		}
		return m
	}
	for i := range 2000 {
		m := &core.Manifest{Version: rng.IntN(3) - 1, Hash: str(), Form: str(), Assets: assets()}
		if rng.IntN(2) == 0 {
			m.Length = rng.IntN(100) - 10
		}
		m.Originals = rng.IntN(2) == 0
		switch rng.IntN(3) {
		case 0:
			m.Generations = []core.Generation{}
		case 1:
			for range 1 + rng.IntN(3) {
				m.Generations = append(m.Generations, core.Generation{Assets: assets()})
			}
		}
		got, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if want := jsonMarshal(t, m); !bytes.Equal(got, want) {
			t.Fatalf("manifest %d: Marshal() =\n%s\nencoding/json writes\n%s", i, got, want)
		}
	}
	big := bigManifest(1000)
	if got, want := must(big.Marshal()), jsonMarshal(t, big); !bytes.Equal(got, want) {
		t.Fatalf("Marshal() of 1000 assets differs from encoding/json's")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A problem at a place in a manifest is a *SyntaxError with the file, the
// line and the column, whichever reader or parser met it; a problem of the
// whole manifest has no place and is not one.
func TestSyntaxErrorAs(t *testing.T) {
	fsys := fstest.MapFS{
		"public/cachebust.json":    {Data: []byte("{\n  \"version\": 1,\n  \"assets\": 5\n}\n")},
		"public/mix-manifest.json": {Data: []byte(`{"a": "b",}`)},
		"dist/.vite/manifest.json": {Data: []byte("{\"a\":\n {\"file\": tru}}")},
		"public/version.json":      {Data: []byte(`{"version": 2, "hash": "sha256", "url": "rename", "assets": {}}`)},
	}
	parse := func(read func(fs.FS, string) error, name string) func() error {
		return func() error { return read(fsys, name) }
	}
	readManifest := func(fsys fs.FS, name string) error { _, err := core.ReadManifestFS(fsys, name); return err }
	tests := []struct {
		name  string
		parse func() error
		want  *core.SyntaxError // nil: no place
	}{
		{"ParseManifest", func() error { _, err := core.ParseManifest([]byte(`{"a.css": 1}`)); return err }, &core.SyntaxError{Line: 1, Column: 11}},
		{"ReadManifestFS", parse(readManifest, "public/cachebust.json"), &core.SyntaxError{File: "public/cachebust.json", Line: 3, Column: 13}},
		{"ReadMixManifestFS", parse(func(fsys fs.FS, name string) error { _, err := core.ReadMixManifestFS(fsys, name); return err }, "public/mix-manifest.json"), &core.SyntaxError{File: "public/mix-manifest.json", Line: 1, Column: 10}},
		{"ReadViteManifestFS", parse(func(fsys fs.FS, name string) error { _, err := core.ReadViteManifestFS(fsys, name); return err }, "dist/.vite/manifest.json"), &core.SyntaxError{File: "dist/.vite/manifest.json", Line: 2, Column: 14}},
		{"NoPlace", parse(readManifest, "public/version.json"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse()
			var se *core.SyntaxError
			switch {
			case !errors.Is(err, core.ErrCorruptManifest):
				t.Fatalf("error %v, want one wrapping ErrCorruptManifest", err)
			case errors.As(err, &se) != (tt.want != nil):
				t.Fatalf("errors.As(%v, *SyntaxError) = %v, want %v", err, se != nil, tt.want != nil)
			case tt.want == nil:
				return
			case se.File != tt.want.File || se.Line != tt.want.Line || se.Column != tt.want.Column || se.Err == nil:
				t.Fatalf("SyntaxError of %v = %q %d:%d %v, want %q %d:%d", err, se.File, se.Line, se.Column, se.Err, tt.want.File, tt.want.Line, tt.want.Column)
			}
			if !strings.HasSuffix(err.Error(), se.Err.Error()) {
				t.Errorf("error %q does not end with what is wrong, %q", err, se.Err)
			}
		})
	}
}

// An asset named twice is the last one, as encoding/json reads it: a bad
// first value is not refused once a later one replaces it.
func TestParseManifestAssetTwice(t *testing.T) {
	data := `{"version": 1, "hash": "crc32", "url": "rename", "assets": {"a": {"file": "a", "hash": "00000000", "size": -1}, "a": {"file": "a", "hash": "0000000f", "size": 1}}}`
	m, err := core.ParseManifest([]byte(data))
	if err != nil {
		t.Fatalf("ParseManifest(%s): %v", data, err)
	}
	if a := m.Assets["a"]; a.Hash != "0000000f" || a.Size != 1 {
		t.Errorf("asset a = %+v, want the second one", a)
	}
}

func TestFilesAndBuilds(t *testing.T) {
	m := &core.Manifest{
		Assets: map[string]core.Asset{
			"a.css":  {File: "a.1.css", Encodings: []string{core.Gzip}},
			"b.css":  {File: "../b.css"},                      // not a clean path: no build wrote it
			"c.css":  {ExternalURL: "https://cdn.test/c.css"}, // on another host
			"d.css":  {File: "d.css"},
			"e/f.js": {File: "/e/f.1.js"},
		},
		Generations: []core.Generation{{Assets: map[string]core.Asset{"a.css": {File: "a.0.css"}}}},
	}
	if got, want := strings.Join(m.Files(), ","), "a.0.css,a.1.css,a.1.css.gz"; got != want {
		t.Errorf("Files() = %s, want %s", got, want)
	}
	if b := m.Builds(); len(b) != 2 || b[1]["a.css"].File != "a.0.css" {
		t.Errorf("Builds() = %v, want the current build and one generation", b)
	}
	if files := (*core.Manifest)(nil).Files(); files != nil {
		t.Errorf("nil manifest: Files() = %v", files)
	}
}
