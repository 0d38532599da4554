package fingerprint_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
)

func TestDevWaitsForPoll(t *testing.T) {
	fsys := fstest.MapFS{"a.js": fileOf("1")}
	d, err := fingerprint.NewDev(fsys, fingerprint.DevOptions{Poll: time.Hour}, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := d.Resolver()
	u1, _ := r.URL("a.js")
	fsys["a.js"] = fileOf("22")
	if u2, _ := r.URL("a.js"); u2 != u1 {
		t.Errorf("URL changed to %q before the poll interval", u2)
	}
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if u3, _ := r.URL("a.js"); u3 == u1 {
		t.Errorf("URL still %q after Check", u3)
	}
}

func TestDevBadOptions(t *testing.T) {
	_, err := fingerprint.NewDev(fstest.MapFS{}, fingerprint.DevOptions{Options: fingerprint.Options{Exclude: []string{"["}}}, core.Options{})
	if err == nil {
		t.Error("NewDev with a bad exclude pattern: no error")
	}
}

var sink string

// BenchmarkDevLookup compares URL on a dev resolver with URL on a normal
// one over the same manifest, in the same run.
func BenchmarkDevLookup(b *testing.B) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"css/app.css", "js/app.js", "img/logo.png", "fonts/a.woff2"} {
		fsys[n] = fileOf(n)
	}
	m, err := buildManifest(context.Background(), fsys, fingerprint.Options{})
	if err != nil {
		b.Fatal(err)
	}
	normal, err := core.New(m, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	d, err := fingerprint.NewDev(fsys, fingerprint.DevOptions{}, core.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	dev := d.Resolver()
	var ns [2]float64
	for i, r := range []*core.Resolver{normal, dev} {
		b.Run([]string{"Normal", "Dev"}[i], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = r.URL("css/app.css")
			}
			ns[i] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if i == 1 && ns[0] > 0 {
				// The ratio to the normal lookup measured just before.
				b.ReportMetric(ns[1]/ns[0], "x-normal")
			}
		})
	}
}

func fileOf(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
