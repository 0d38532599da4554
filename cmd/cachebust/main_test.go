package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
)

// runCLI runs the command line in process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// flagLine matches the first line PrintDefaults writes for a flag.
var flagLine = regexp.MustCompile(`(?m)^  -([a-z-]+)`)

func TestHelp(t *testing.T) {
	flags := map[string][]string{
		"build":   {"brotli", "exclude", "gzip", "hash", "integrity", "keep", "len", "manifest", "no-rewrite", "out", "param", "prefix", "strict-refs", "url", "v"},
		"url":     {"manifest", "prefix", "strict"},
		"verify":  {"manifest"},
		"clean":   {"keep", "manifest"},
		"publish": {"dry-run", "exclude", "hash", "keep", "key-prefix", "len", "manifest", "plain", "prefix", "source", "verify", "workers"},
	}
	for cmd, want := range flags {
		for _, h := range []string{"-h", "-help", "--help"} {
			t.Run(cmd+h, func(t *testing.T) {
				code, stdout, stderr := runCLI(cmd, h)
				if code != 0 || stderr != "" {
					t.Errorf("cachebust %s %s: exit %d, stderr %q; want 0 and nothing", cmd, h, code, stderr)
				}
				if n := strings.Count(stdout, "usage: cachebust "+cmd); n != 1 {
					t.Errorf("cachebust %s %s printed its usage %d times, want once:\n%s", cmd, h, n, stdout)
				}
				var got []string
				for _, m := range flagLine.FindAllStringSubmatch(stdout, -1) {
					got = append(got, m[1])
				}
				if !slices.Equal(got, want) {
					t.Errorf("cachebust %s %s documents flags %v, want %v", cmd, h, got, want)
				}
				// Every flag has a description, after a tab on its line
				// (short boolean flags) or on the next.
				lines := strings.Split(stdout, "\n")
				for i, l := range lines {
					if !flagLine.MatchString(l) {
						continue
					}
					desc := ""
					if _, after, ok := strings.Cut(l, "\t"); ok {
						desc = after
					} else if i+1 < len(lines) {
						desc = lines[i+1]
					}
					if len(strings.TrimSpace(desc)) < 10 {
						t.Errorf("cachebust %s: flag line %q has no description", cmd, l)
					}
				}
			})
		}
	}
	code, stdout, _ := runCLI("-h")
	if code != 0 || !strings.Contains(stdout, "cachebust build") {
		t.Errorf("cachebust -h: exit %d, stdout %q", code, stdout)
	}
}

// cliFixture is a built asset tree for the command-line tests.
type cliFixture struct {
	dir, manifest, corrupt, tampered string
}

func newCLIFixture(t *testing.T) cliFixture {
	t.Helper()
	root := t.TempDir()
	f := cliFixture{dir: filepath.Join(root, "site")}
	for name, data := range map[string]string{"css/app.css": "body{}", "js/app.js": "1"} {
		p := filepath.Join(f.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runCLI("build", f.dir); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	f.manifest = filepath.Join(f.dir, core.ManifestName)

	f.corrupt = filepath.Join(root, "corrupt")
	if err := os.Mkdir(f.corrupt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.corrupt, core.ManifestName), []byte(`{"version": 1, "assets": `), 0o644); err != nil {
		t.Fatal(err)
	}

	// A copy of the site whose renamed copy of app.css was changed.
	f.tampered = filepath.Join(root, "tampered")
	if err := os.CopyFS(f.tampered, os.DirFS(f.dir)); err != nil {
		t.Fatal(err)
	}
	m, err := core.ReadManifest(f.manifest)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(f.tampered, filepath.FromSlash(m.Assets["css/app.css"].File))
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("body{x}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestErrors(t *testing.T) {
	f := newCLIFixture(t)
	// A directory holding another tool's manifest, under the default name.
	foreign := filepath.Join(t.TempDir(), "foreign")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, core.ManifestName), []byte(`{"x.css": "https://cdn.example.com/x.css"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	bucket := "file://" + filepath.ToSlash(t.TempDir())

	tests := []struct {
		name string
		args []string
		code int
		// mention lists what the one line on stderr must contain.
		mention []string
	}{
		{"no command", nil, 2, []string{"Usage"}},
		{"unknown command", []string{"bild"}, 2, []string{`"bild"`, "unknown command"}},
		{"build unknown flag", []string{"build", "-nope", f.dir}, 2, []string{"-nope"}},
		{"build unknown hash", []string{"build", "-hash", "whirlpool", f.dir}, 2, []string{"-hash", "whirlpool"}},
		{"build unknown url form", []string{"build", "-url", "path", f.dir}, 2, []string{"-url", `"path"`}},
		{"build bad len", []string{"build", "-len", "0", f.dir}, 2, []string{"-len"}},
		{"build bad exclude", []string{"build", "-exclude", "[", f.dir}, 2, []string{"exclude", `"["`}},
		{"build len beyond digest", []string{"build", "-len", "99", f.dir}, 2, []string{"99", "64", "sha256"}},
		{"build len beyond md5", []string{"build", "-hash", "md5", "-len", "33", f.dir}, 2, []string{"33", "32", "md5"}},
		{"build bad flag after DIR", []string{"build", f.dir, "-nope"}, 2, []string{"-nope"}},
		{"version with args", []string{"version", "x"}, 2, []string{"no arguments"}},
		{"build missing DIR", []string{"build"}, 2, []string{"DIR"}},
		{"build too many args", []string{"build", f.dir, f.dir}, 2, []string{"DIR", "2 arguments"}},
		{"build missing directory", []string{"build", missing}, 1, []string{missing}},
		{"build foreign manifest", []string{"build", "-out", foreign, f.dir}, 1, []string{filepath.Join(foreign, core.ManifestName), "another tool", "-manifest"}},
		{"build corrupt manifest", []string{"build", f.corrupt}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"url missing LOGICAL", []string{"url", "-manifest", f.manifest}, 2, []string{"LOGICAL"}},
		{"url missing manifest", []string{"url", "-manifest", filepath.Join(missing, core.ManifestName), "css/app.css"}, 1, []string{missing}},
		{"url corrupt manifest", []string{"url", "-manifest", filepath.Join(f.corrupt, core.ManifestName), "css/app.css"}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"url strict unknown asset", []string{"url", "-strict", "-manifest", f.manifest, "css/nope.css"}, 1, []string{"css/nope.css"}},
		{"verify unknown flag", []string{"verify", "-x", f.dir}, 2, []string{"-x"}},
		{"verify too many args", []string{"verify", f.dir, f.dir}, 2, []string{"DIR", "2 arguments"}},
		{"verify missing directory", []string{"verify", missing}, 1, []string{missing}},
		{"verify corrupt manifest", []string{"verify", f.corrupt}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"verify changed file", []string{"verify", f.tampered}, 1, []string{"css/app-", "manifest says", "build again"}},
		{"clean bad keep", []string{"clean", "-keep", "-1", f.dir}, 2, []string{"-keep"}},
		{"clean too many args", []string{"clean", f.dir, f.dir}, 2, []string{"DIR"}},
		{"clean missing directory", []string{"clean", missing}, 1, []string{missing}},
		{"clean corrupt manifest", []string{"clean", f.corrupt}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"publish no arguments", []string{"publish"}, 2, []string{"DIR and BUCKET_URL"}},
		{"publish one argument", []string{"publish", f.dir}, 2, []string{"DIR and BUCKET_URL"}},
		{"publish bad keep", []string{"publish", "-keep", "-1", f.dir, bucket}, 2, []string{"-keep"}},
		{"publish bad workers", []string{"publish", "-workers", "0", f.dir, bucket}, 2, []string{"-workers"}},
		{"publish manifest and source", []string{"publish", "-source", "-manifest", f.manifest, f.dir, bucket}, 2, []string{"-manifest", "-source"}},
		{"publish bad hash", []string{"publish", "-source", "-hash", "whirlpool", f.dir, bucket}, 2, []string{"-hash"}},
		{"publish missing directory", []string{"publish", missing, bucket}, 1, []string{missing}},
		{"publish corrupt manifest", []string{"publish", f.corrupt, bucket}, 1, []string{filepath.Join(f.corrupt, core.ManifestName), "corrupt"}},
		{"publish changed file", []string{"publish", f.tampered, bucket}, 1, []string{"css/app-", "do not match"}},
		{"publish source of a build", []string{"publish", "-source", f.dir, bucket}, 1, []string{"output of a build"}},
		{"publish unknown scheme", []string{"publish", f.dir, "ftp://example.com/x"}, 1, []string{"ftp://example.com/x"}},
		{"publish bad key prefix", []string{"publish", "-key-prefix", "../up", f.dir, bucket}, 1, []string{"key prefix", "../up"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args...)
			if code != tc.code {
				t.Errorf("cachebust %q: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
			}
			if tc.name == "no command" {
				return // the usage text, not an error line
			}
			if n := strings.Count(stderr, "\n"); n != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("cachebust %q: stderr has %d lines, want one:\n%s", tc.args, n, stderr)
			}
			for _, s := range tc.mention {
				if !strings.Contains(stderr, s) {
					t.Errorf("cachebust %q: stderr %q does not mention %q", tc.args, stderr, s)
				}
			}
			if stdout != "" {
				t.Errorf("cachebust %q: stdout %q, want nothing", tc.args, stdout)
			}
		})
	}
}

func TestSuccess(t *testing.T) {
	f := newCLIFixture(t)
	m, err := core.ReadManifest(f.manifest)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want *regexp.Regexp // the whole of stdout
	}{
		{"build crc32 query", []string{"build", "-hash", "crc32", "-url", "query", "-out", filepath.Join(t.TempDir(), "crc"), f.dir}, regexp.MustCompile(`^built 2 files .*crc.cachebust.json\n$`)},
		{"build", []string{"build", f.dir}, regexp.MustCompile(`^built 2 files \(\d+ B\) in \d+m?s: 0 written, 0 removed, manifest .*cachebust.json\n$`)},
		{"build query", []string{"build", "-url", "query", "-out", filepath.Join(t.TempDir(), "q"), f.dir}, regexp.MustCompile(`^built \d+ files .*: \d+ written, 0 removed, manifest .*q.cachebust.json\n$`)},
		{"url", []string{"url", "-manifest", f.manifest, "css/app.css", "/js/app.js"}, regexp.MustCompile(`^` + regexp.QuoteMeta("/static/"+m.Assets["css/app.css"].File+"\n/static/"+m.Assets["js/app.js"].File) + "\n$")},
		{"verify", []string{"verify", f.dir}, regexp.MustCompile(`^verified 2 assets in 1 build: all files present with the recorded hash\n$`)},
		{"build flags after DIR", []string{"build", f.dir, "-url", "rename", "-v"}, regexp.MustCompile(`(?s)^((css/app.css -> css/app-|js/app.js -> js/app-)[0-9a-f]{12}\.(css|js)\n){2}built 2 files`)},
		{"version", []string{"version"}, regexp.MustCompile(`^cachebust \S+.* go1\.\d+`)},
		{"verify manifest flag", []string{"verify", "-manifest", f.manifest}, regexp.MustCompile(`^verified 2 assets`)},
		{"clean", []string{"clean", f.dir}, regexp.MustCompile(`^cleaned .*site: 0 files removed\n$`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("cachebust %q: exit %d, stderr %q", tc.args, code, stderr)
			}
			if !tc.want.MatchString(stdout) {
				t.Errorf("cachebust %q: stdout %q, want a match for %s", tc.args, stdout, tc.want)
			}
		})
	}
}

// A flag's bad value is reported alike for every flag: the flag and the
// value, then what it wants.
func TestFlagErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"build", "-len", "0", dir}, "cachebust build: -len 0: want 1 to 64, the hex digits of sha256"},
		{[]string{"build", "-len", "99", dir}, "cachebust build: -len 99: want 1 to 64, the hex digits of sha256"},
		{[]string{"build", "-hash", "crc32", "-len", "12", dir}, "cachebust build: -len 12: want 1 to 8, the hex digits of crc32"},
		{[]string{"build", "-integrity", "md5", dir}, `cachebust build: -integrity "md5": want sha256, sha384 or sha512`},
		{[]string{"build", "-hash", "md4", dir}, `cachebust build: -hash "md4": want crc32, md5 or sha256`},
		{[]string{"build", "-url", "path", dir}, `cachebust build: -url "path": want query or rename`},
		{[]string{"build", "-keep", "-1", dir}, "cachebust build: -keep -1: want 0 or more"},
		{[]string{"clean", "-keep", "-1", dir}, "cachebust clean: -keep -1: want 0 or more"},
		{[]string{"publish", "-workers", "0", dir, "file:///x"}, "cachebust publish: -workers 0: want 1 or more"},
		{[]string{"publish", "-source", "-len", "0", dir, "file:///x"}, "cachebust publish: -len 0: want 1 to 64, the hex digits of sha256"},
		{[]string{"build", dir, dir}, "cachebust build: want exactly one DIR, got 2 arguments"},
		{[]string{"publish", dir}, "cachebust publish: want DIR and BUCKET_URL, got 1 argument"},
		{[]string{"version", "x"}, "cachebust version: want no arguments, got 1 argument"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(tc.args...)
		cmd := tc.args[0]
		if want := tc.want + " (see cachebust " + cmd + " -h)\n"; code != 2 || stderr != want {
			t.Errorf("cachebust %q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, want)
		}
	}
}

// verify says what it checked: nothing, for a manifest of URLs only, and
// no hash, for a manifest from another tool, never "all files present
// with the recorded hash".
func TestVerifySaysWhatItChecked(t *testing.T) {
	for _, tc := range []struct{ manifest, want string }{
		{`{"app.js": "https://cdn.example.com/app.js"}`, "verified nothing: the manifest names no files, only URLs on other hosts\n"},
		{`{"app.js": "app.3f2a9c1b.js", "cdn.js": "https://cdn.example.com/cdn.js"}`, "verified 1 asset: all files present (the manifest, from another tool, records no hash to check them against)\n"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, core.ManifestName), []byte(tc.manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "app.3f2a9c1b.js"), []byte("1"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, stdout, stderr := runCLI("verify", dir); code != 0 || stdout != tc.want {
			t.Errorf("verify %s: exit %d, stdout %q, stderr %q; want 0 and %q", tc.manifest, code, stdout, stderr, tc.want)
		}
	}
}

// Warnings from the library come in the one-line format of errors, with
// no timestamp.
func TestWarningFormat(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.css"), []byte(`body{background:url(missing.png)}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("build", dir)
	if code != 0 {
		t.Fatalf("build: exit %d, stderr %q", code, stderr)
	}
	line := regexp.MustCompile(`^cachebust build: warning: reference left as written: problem=app.css:1: reference "missing.png" .*\n$`)
	if !line.MatchString(stderr) {
		t.Errorf("stderr %q, want one line matching %s", stderr, line)
	}
}

// A flag after "--" is an operand.
func TestDoubleDash(t *testing.T) {
	code, _, stderr := runCLI("build", "--", "-v")
	if code != 1 || !strings.Contains(stderr, "-v") {
		t.Errorf(`build -- -v: exit %d, stderr %q; want 1 and an error about the directory "-v"`, code, stderr)
	}
}

// A manifest that is not a regular file, or whose content is wrong, is
// refused at once with one line naming the file and saying what is wrong
// in the terms of the format: -manifest /dev/full is not read until the
// kernel kills the process, a named pipe does not block, and a wrong
// value is not reported with Go type names.
func TestManifestErrors(t *testing.T) {
	dir := t.TempDir()
	badShape := filepath.Join(dir, "shape.json")
	if err := os.WriteFile(badShape, []byte("{\n  \"version\": 1,\n  \"assets\": 5\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badSize := filepath.Join(dir, "size.json")
	if err := os.WriteFile(badSize, []byte(`{"version": 1, "hash": "crc32", "url": "rename", "assets": {"css/app.css": {"file": "css/app-0.css", "hash": "00000000", "size": "12"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, manifest, want string
	}{
		{"directory", dir, "cachebust url: read manifest: " + dir + ": a directory, not a regular file\n"},
		{"shape", badShape, "cachebust url: corrupt manifest " + badShape + `:3:13: "assets" must be an object of assets, got a number` + "\n"},
		{"size", badSize, "cachebust url: corrupt manifest " + badSize + `:1:130: asset "css/app.css": "size" must be an integer, got a string` + "\n"},
	}
	if info, err := os.Stat("/dev/full"); err == nil && info.Mode()&os.ModeDevice != 0 {
		tests = append(tests, struct{ name, manifest, want string }{"device", "/dev/full", "cachebust url: read manifest: /dev/full: a device, not a regular file\n"})
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := exec.Command("mkfifo", fifo).Run(); err == nil {
		tests = append(tests, struct{ name, manifest, want string }{"fifo", fifo, "cachebust url: read manifest: " + fifo + ": a named pipe, not a regular file\n"})
	} else {
		t.Logf("no named pipe: mkfifo: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runCLI("url", "-manifest", tc.manifest, "css/app.css")
				done <- result{code, stdout, stderr}
			}()
			var res result
			select {
			case res = <-done:
			case <-time.After(time.Minute):
				t.Fatalf("cachebust url -manifest %s css/app.css has not returned after a minute", tc.manifest)
			}
			if res.code != 1 || res.stdout != "" || res.stderr != tc.want {
				t.Errorf("cachebust url -manifest %s css/app.css: exit %d, stdout %q, stderr\n%q\nwant exit 1, no output and\n%q", tc.manifest, res.code, res.stdout, res.stderr, tc.want)
			}
		})
	}
}
