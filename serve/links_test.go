package serve_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
)

const secret = "SECRET outside the served directory\n"

// linkTree makes a directory dir beside a file outside it, and returns
// both paths.
func linkTree(t *testing.T) (dir, outside string) {
	t.Helper()
	base := t.TempDir()
	dir, outside = filepath.Join(base, "static"), filepath.Join(base, "secret.txt")
	if err := os.WriteFile(outside, []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, outside
}

// relink replaces the file name of dir with a symbolic link to target.
func relink(t *testing.T, dir, name, target string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// checkNoSecret requests each target of h and fails if a response holds
// the bytes of the file outside the directory.
func checkNoSecret(t *testing.T, h http.Handler, targets ...string) {
	t.Helper()
	for _, target := range targets {
		res := get(h, "GET", target).Result()
		body, _ := io.ReadAll(res.Body)
		if strings.Contains(string(body), "SECRET") {
			t.Errorf("GET %s through a link out of the directory: %d, body %q; want no byte of the file outside", target, res.StatusCode, body)
		}
	}
}

// TestHandlersConfineLinks serves a directory through os.DirFS, which
// follows every symbolic link, with each kind of handler, after a file the
// manifest names became a link out of the directory: no handler serves
// the file outside. A link that stays inside is followed.
func TestHandlersConfineLinks(t *testing.T) {
	ctx := context.Background()
	t.Run("NewHandler", func(t *testing.T) {
		dir, outside := linkTree(t)
		writeFile(t, filepath.Join(dir, "css", "app.css"), cssV1, modtime)
		writeFile(t, filepath.Join(dir, "css", "other.css"), cssV2, modtime)
		res, err := fingerprint.Dir(ctx, dir, "", fingerprint.DirOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := core.New(res.Manifest, core.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := serve.NewHandler(os.DirFS(dir), r, serve.Options{})
		f := fixture{r: r, h: h}
		app := f.url(t, "css/app.css")
		relink(t, dir, app, outside)
		relink(t, dir, "css/app.css", "../../secret.txt")
		checkNoSecret(t, h, app, "css/app.css")
		// Inside: followed.
		other := f.url(t, "css/other.css")
		relink(t, dir, other, "other.css")
		if w := get(h, "GET", other); w.Code != http.StatusOK || w.Body.String() != cssV2 {
			t.Errorf("GET %s, a link inside the directory: %d %q, want 200 %q", other, w.Code, w.Body, cssV2)
		}
	})
	t.Run("NewSourceHandler", func(t *testing.T) {
		dir, outside := linkTree(t)
		writeFile(t, filepath.Join(dir, "css", "app.css"), cssV1, modtime)
		tree, err := fingerprint.FS(ctx, os.DirFS(dir), fingerprint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := core.New(tree.Manifest(), core.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := serve.NewSourceHandler(tree, r, serve.Options{})
		app := fixture{r: r, h: h}.url(t, "css/app.css")
		relink(t, dir, "css/app.css", outside)
		checkNoSecret(t, h, app, "css/app.css")
	})
	t.Run("Dev", func(t *testing.T) {
		dir, _ := linkTree(t)
		writeFile(t, filepath.Join(dir, "css", "app.css"), cssV1, modtime)
		d, err := fingerprint.NewDev(os.DirFS(dir), fingerprint.DevOptions{Poll: time.Hour}, core.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		h := serve.NewSourceHandler(d, d.Resolver(), serve.Options{})
		app := fixture{r: d.Resolver(), h: h}.url(t, "css/app.css")
		relink(t, dir, "css/app.css", "../../secret.txt")
		// Before the next check, and after it.
		checkNoSecret(t, h, app, "css/app.css")
		if err := d.Check(ctx); err != nil {
			t.Fatal(err)
		}
		checkNoSecret(t, h, app, "css/app.css", fixture{r: d.Resolver(), h: h}.url(t, "css/app.css"))
	})
}
