package core_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/benchpage"
	"github.com/cachebust/cachebust/strategy"
)

// bigManifest returns a manifest of n assets as `cachebust build` makes
// it by default: sha256, the rename form, 12 digits in URLs, paths a few
// directories deep.
func bigManifest(n int) *core.Manifest {
	exts := []string{".css", ".js", ".svg", ".woff2", ".png", ".min.js"}
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Length: 12, Assets: make(map[string]core.Asset, n)}
	for i := range n {
		name := fmt.Sprintf("pkg%03d/dir%02d/file-%05d%s", i%997, i%89, i, exts[i%len(exts)])
		sum := sha256.Sum256([]byte(name))
		hash := hex.EncodeToString(sum[:])
		m.Assets[name] = core.Asset{File: strategy.Rename{}.Format(name, hash[:12]), Hash: hash, Size: int64(100 + i*37%100000)}
	}
	return m
}

// Loading a 100k-asset manifest from a file and preparing a resolver for
// it, against decoding the same bytes into map[string]any with
// encoding/json.
func BenchmarkLoadManifest100k(b *testing.B) {
	data, err := bigManifest(100_000).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Join(b.TempDir(), core.ManifestName)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
	opts := core.Options{Logger: slog.New(slog.DiscardHandler)}
	load := func() error {
		m, err := core.ReadManifest(name)
		if err != nil {
			return err
		}
		_, err = core.New(m, opts)
		return err
	}
	baseline := func() error {
		var v map[string]any
		return json.Unmarshal(data, &v)
	}
	benchpage.CompareNamed(b, "ReadManifest+New", load, "json-any", baseline)
}

// Encoding a 100k-asset manifest, against json.MarshalIndent of it.
func BenchmarkMarshal100k(b *testing.B) {
	m := bigManifest(100_000)
	marshal := func() error {
		_, err := m.Marshal()
		return err
	}
	baseline := func() error {
		_, err := json.MarshalIndent(m, "", "  ")
		return err
	}
	benchpage.CompareNamed(b, "Marshal", marshal, "json.MarshalIndent", baseline)
}
