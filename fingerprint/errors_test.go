package fingerprint_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// TestVerifyMismatchErrors checks that every file Verify finds with another
// size or other bytes than the manifest records gives a *MismatchError
// that names it, wraps the sentinel of its kind, and says what was wanted
// and found.
func TestVerifyMismatchErrors(t *testing.T) {
	body := []byte("body { color: red }\n")
	sum := strategy.SHA256().SumBytes(body)
	other := bytes.ToUpper(body) // same size, other bytes
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(other)
	zw.Close()
	fsys := fstest.MapFS{
		"a.1.css":    {Data: body[:5]},
		"b.1.css":    {Data: other},
		"c.1.css":    {Data: body},
		"c.1.css.gz": {Data: gz.Bytes()},
	}
	asset := core.Asset{Hash: sum, Size: int64(len(body))}
	a, b, c := asset, asset, asset
	a.File, b.File, c.File = "a.1.css", "b.1.css", "c.1.css"
	c.Encodings = []string{core.Gzip}
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Assets: map[string]core.Asset{"a.css": a, "b.css": b, "c.css": c}}

	err := fingerprint.Verify(fsys, m)
	want := []struct {
		asset, file string
		kind        error
		want, got   string
	}{
		{"a.css", "a.1.css", fingerprint.ErrSizeMismatch, strconv.Itoa(len(body)), "5"},
		{"b.css", "b.1.css", fingerprint.ErrHashMismatch, sum, strategy.SHA256().SumBytes(other)},
		{"c.css", "c.1.css.gz", fingerprint.ErrHashMismatch, sum, strategy.SHA256().SumBytes(other)},
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Verify = %v, want the problems joined", err)
	}
	errs := joined.Unwrap()
	if len(errs) != len(want) {
		t.Fatalf("Verify = %v, want %d problems", err, len(want))
	}
	for i, w := range want {
		var me *fingerprint.MismatchError
		if !errors.As(errs[i], &me) {
			t.Errorf("problem %d, %v: not a *MismatchError", i, errs[i])
			continue
		}
		if !errors.Is(errs[i], w.kind) || me.Err != w.kind {
			t.Errorf("problem %d, %v: does not wrap %v", i, errs[i], w.kind)
		}
		if me.Asset != w.asset || me.File != w.file || me.Want != w.want || me.Got != w.got {
			t.Errorf("problem %d = %+v, want asset %s, file %s, want %s, got %s", i, me, w.asset, w.file, w.want, w.got)
		}
	}
	if !errors.Is(err, fingerprint.ErrHashMismatch) || !errors.Is(err, fingerprint.ErrSizeMismatch) {
		t.Errorf("Verify = %v: errors.Is finds not both kinds", err)
	}
}

// TestDirManifestSyntaxError checks that a manifest in place that does not
// parse stops Dir with a *core.SyntaxError naming its file, line and column.
func TestDirManifestSyntaxError(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, core.ManifestName)
	if err := os.WriteFile(filepath.Join(dir, "a.css"), []byte("a{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, []byte("{\n  \"version\": x\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := fingerprint.Dir(context.Background(), dir, "", fingerprint.DirOptions{})
	var syntax *core.SyntaxError
	if !errors.As(err, &syntax) || syntax.File != manifest || syntax.Line != 2 || syntax.Column != 14 {
		t.Fatalf("Dir = %v, want a *core.SyntaxError at %s:2:14", err, manifest)
	}
	if !errors.Is(err, core.ErrCorruptManifest) {
		t.Errorf("Dir = %v, want it to wrap core.ErrCorruptManifest", err)
	}
}
