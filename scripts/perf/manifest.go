package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/perf"
	"github.com/cachebust/cachebust/serve"
)

// Targets of loading a big manifest.
var (
	// loadTimeTarget bounds core.Load of the manifest, in milliseconds.
	loadTimeTarget = perf.AtMost(250)
	// loadAllocTarget bounds the bytes core.Load allocates, in MiB.
	loadAllocTarget = perf.AtMost(60)
	// firstTarget bounds the first request after a swap, in milliseconds:
	// no stall while a handler indexes the new manifest.
	firstTarget = perf.AtMost(1)
)

// firstRequest makes a handler of an empty manifest, swaps its resolver
// to the manifest file name, untimed, and times one request for an asset
// of it.
func firstRequest(name string) (perf.Sample, error) {
	r, err := core.New(&core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{}}, core.Options{})
	if err != nil {
		return perf.Sample{}, err
	}
	h := http.StripPrefix("/static", serve.NewHandler(fstest.MapFS{}, r, serve.Options{}))
	m, err := core.ReadManifest(name)
	if err != nil {
		return perf.Sample{}, err
	}
	if err := r.Swap(m); err != nil {
		return perf.Sample{}, err
	}
	var asset string
	for asset = range m.Assets {
		break
	}
	u, err := r.URL(asset)
	if err != nil {
		return perf.Sample{}, err
	}
	req := httptest.NewRequest("GET", u, nil)
	t0 := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), req)
	return perf.Sample{Wall: time.Since(t0)}, nil
}

// exts are the extensions of the synthetic manifest's assets.
var exts = []string{".css", ".js", ".svg", ".png", ".woff2", ".map", ".json", ".txt"}

// syntheticManifest returns a rename-form manifest of n assets shaped like
// a build of a generated tree: paths such as d012/e03/f03075.css, 12-digit
// hashes in the names, full SHA-256 digests.
func syntheticManifest(n int) *core.Manifest {
	m := &core.Manifest{Version: core.ManifestVersion, Hash: "sha256", Form: "rename", Length: 12, Assets: make(map[string]core.Asset, n)}
	for i := range n {
		ext := exts[i%len(exts)]
		stem := fmt.Sprintf("d%03d/e%02d/f%05d", i/250, i/25%10, i)
		sum := sha256.Sum256([]byte(stem))
		h := hex.EncodeToString(sum[:])
		m.Assets[stem+ext] = core.Asset{File: stem + "-" + h[:12] + ext, Hash: h, Size: int64(256 + i%7000)}
	}
	return m
}

func manifestSection(_ context.Context, cfg *config) (string, error) {
	data, err := syntheticManifest(cfg.assets).Marshal()
	if err != nil {
		return "", err
	}
	name := filepath.Join(cfg.work, "manifest.json")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return "", err
	}
	fmt.Fprintf(cfg.log, "perf: manifest: %d assets, %s MiB\n", cfg.assets, mib(int64(len(data))))
	side := func(name string, f func() (any, error)) perf.Side {
		return perf.Side{Name: name, Run: func(int) (perf.Sample, error) { return perf.Measure(f) }}
	}
	loaded, err := core.ReadManifest(name)
	if err != nil {
		return "", err
	}
	s, err := perf.Interleave(cfg.warm, cfg.runs,
		side("core.Load", func() (any, error) { return core.Load(name, core.Options{}) }),
		side("core.ReadManifest", func() (any, error) { return core.ReadManifest(name) }),
		side("map[string]any", func() (any, error) {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			var v map[string]any
			return v, json.Unmarshal(data, &v)
		}),
		perf.Side{Name: "serve.NewHandler", Run: func(int) (perf.Sample, error) {
			// A resolver of its own, made untimed, so that handlers do not
			// pile up on one.
			r, err := core.New(loaded, core.Options{})
			if err != nil {
				return perf.Sample{}, err
			}
			return perf.Measure(func() (any, error) { return serve.NewHandler(fstest.MapFS{}, r, serve.Options{}), nil })
		}},
		perf.Side{Name: "first request", Run: func(int) (perf.Sample, error) { return firstRequest(name) }},
	)
	if err != nil {
		return "", err
	}
	alloc := func(s perf.Sample) float64 { return float64(s.Alloc) }
	live := func(s perf.Sample) float64 { return float64(s.Live) }
	var b strings.Builder
	fmt.Fprintf(&b, `## Loading a big manifest

`+"`core.Load`"+` of a rename-form manifest of %s assets (%s MiB of JSON, shaped
like a build of a generated tree), which parses and checks it and makes
the resolver's lookup table, ready to serve; `+"`core.ReadManifest`"+`, which
only parses and checks; against reading the same file and decoding it
with encoding/json into a `+"`map[string]any`"+`, in the same process, the
three taking turns, each after a garbage collection. Allocated is every
byte the call allocated; live is what stays in use while its result is
kept. Taking turns with them, `+"`serve.NewHandler`"+` on the loaded
resolver, which indexes the manifest for serving (as it does again inside
`+"`Resolver.Swap`"+`), and the first request for an asset after a swap
from an empty manifest to this one, the handler and the swap untimed.

`, thousands(cfg.assets), mib(int64(len(data))))
	t := perf.Table{Header: []string{"call", "ms:", "÷ map[string]any:", "range:", "MiB allocated:", "÷ map[string]any:", "MiB live:"}}
	for i, n := range []string{"`core.Load`", "`core.ReadManifest`", "`json.Unmarshal` into `map[string]any`", "`serve.NewHandler`"} {
		rt := ratio(s[i], s[2])
		ra := perf.Summarize(perf.Ratios(s[i], s[2], alloc))
		t.Add(n, ms(s[i]), times(rt.Median), span(rt), mib(uint64(perf.Median(perf.Values(s[i], alloc)))),
			times(ra.Median), mib(int64(perf.Median(perf.Values(s[i], live)))))
	}
	b.WriteString(t.String())
	loadMs := perf.Median(perf.Values(s[0], perf.Sample.Millis))
	loadMiB := perf.Median(perf.Values(s[0], alloc)) / (1 << 20)
	fmt.Fprintf(&b, "\n- `core.Load` in at most %g ms: %s.\n", loadTimeTarget.Limit, loadTimeTarget.Verdict(loadMs, "%.0f"))
	fmt.Fprintf(&b, "- `core.Load` allocating at most %g MiB: %s.\n", loadAllocTarget.Limit, loadAllocTarget.Verdict(loadMiB, "%.1f"))
	first := perf.Summarize(perf.Values(s[4], perf.Sample.Millis))
	fmt.Fprintf(&b, "- The first request after a swap answered in at most %g ms (%s ms, range %.3f–%.3f), the index made inside `Swap`: %s.\n",
		firstTarget.Limit, strconv.FormatFloat(first.Median, 'f', 3, 64), first.Min, first.Max, firstTarget.Verdict(first.Median, "%.3f"))
	return b.String(), nil
}
