package publish_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/publish"
)

func TestWatcherSwapsOnlyWhenTheManifestChanges(t *testing.T) {
	ctx := context.Background()
	b, _ := fileBucket(t)
	v1, err := publish.Source(ctx, b, site("v1"), fingerprint.Options{}, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	w, err := publish.Watch(ctx, b, publish.ManifestKey, core.Options{Prefix: "https://cdn.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	url := func() string {
		u, err := w.Resolver().URL("css/app.css")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	if got, want := url(), "https://cdn.example.com/"+v1.Manifest.Assets["css/app.css"].File; got != want {
		t.Fatalf("URL = %q, want %q", got, want)
	}
	if swapped, err := w.Reload(ctx); swapped || err != nil {
		t.Errorf("Reload of an unchanged manifest = %v, %v; want false, nil", swapped, err)
	}
	v2, err := publish.Source(ctx, b, site("v2"), fingerprint.Options{}, publish.Options{Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	if swapped, err := w.Reload(ctx); !swapped || err != nil {
		t.Fatalf("Reload after a publish = %v, %v; want true, nil", swapped, err)
	}
	if got, want := url(), "https://cdn.example.com/"+v2.Manifest.Assets["css/app.css"].File; got != want {
		t.Errorf("after Reload URL = %q, want %q", got, want)
	}
	// A manifest that does not parse leaves the resolver as it was.
	if err := b.WriteAll(ctx, publish.ManifestKey, []byte("{not json"), nil); err != nil {
		t.Fatal(err)
	}
	if swapped, err := w.Reload(ctx); swapped || err == nil || !strings.Contains(err.Error(), publish.ManifestKey) {
		t.Errorf("Reload of a corrupt manifest = %v, %v; want false and an error naming it", swapped, err)
	}
	if got, want := url(), "https://cdn.example.com/"+v2.Manifest.Assets["css/app.css"].File; got != want {
		t.Errorf("after a failed Reload URL = %q, want %q", got, want)
	}
}

func TestWatcherPollPicksUpADeploy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, _ := fileBucket(t)
	if _, err := publish.Source(ctx, b, site("v1"), fingerprint.Options{}, publish.Options{}); err != nil {
		t.Fatal(err)
	}
	w, err := publish.Watch(ctx, b, publish.ManifestKey, core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		w.Poll(ctx, time.Millisecond, func(err error) { t.Error(err) })
		close(done)
	}()
	v2, err := publish.Source(ctx, b, site("v2"), fingerprint.Options{}, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "/static/" + v2.Manifest.Assets["js/app.js"].File
	for {
		if u, _ := w.Resolver().URL("js/app.js"); u == want {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
}

func TestLoadFailsForAMissingManifest(t *testing.T) {
	b, _ := fileBucket(t)
	_, err := publish.Load(context.Background(), b, "nope/"+publish.ManifestKey, core.Options{})
	if err == nil || !strings.Contains(err.Error(), "nope/"+publish.ManifestKey) {
		t.Errorf("Load of a missing manifest: %v, want an error naming it", err)
	}
}
