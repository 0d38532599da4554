package fiberstatic_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/cachebust/cachebust/adapters/fiberstatic"
	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

func newApp(h *serve.Handler) *fiber.App {
	app := fiber.New()
	app.Use(fiberstatic.New(h))
	app.Get("/", func(c fiber.Ctx) error { return c.SendString("page") })
	return app
}

func TestServetest(t *testing.T) {
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		app := newApp(h)
		return func(req *http.Request) (*http.Response, error) {
			return app.Test(req, fiber.TestConfig{Timeout: 5 * time.Second})
		}
	})
}

func TestPassesOtherPaths(t *testing.T) {
	f := servetest.New(t)
	res, err := newApp(f.Handler).Test(httptest.NewRequest("GET", "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != "page" {
		t.Errorf("GET /: %d %q, want 200 \"page\"", res.StatusCode, body)
	}
}

func TestPrefixAndNext(t *testing.T) {
	f := servetest.New(t)
	app := fiber.New()
	app.Use(fiberstatic.New(f.Handler, fiberstatic.Config{
		Prefix: "/assets",
		Next:   func(c fiber.Ctx) bool { return c.Get("X-Skip") != "" },
	}))
	app.Use(func(c fiber.Ctx) error { return c.Status(418).SendString("next") })
	u := "/assets" + f.URL(t, "js/app.js")[len("/static"):]
	res, err := app.Test(httptest.NewRequest("GET", u, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Errorf("GET %s: %d, want 200", u, res.StatusCode)
	}
	req := httptest.NewRequest("GET", u, nil)
	req.Header.Set("X-Skip", "1")
	if res, err = app.Test(req); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 418 {
		t.Errorf("GET %s with Next: %d, want 418", u, res.StatusCode)
	}
}

// A base URL's path is mounted as the resolver writes it, percent-encoded.
func TestMountEscapedPrefix(t *testing.T) {
	assets := fstest.MapFS{"app.css": {Data: []byte("body{}")}}
	tree, err := fingerprint.FS(context.Background(), assets, fingerprint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.New(tree.Manifest(), core.Options{Prefix: "https://cdn.example.com/my static/"})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	app.Use(fiberstatic.New(serve.NewSourceHandler(tree, r, serve.Options{})))
	u, _ := r.URL("app.css")
	path := strings.TrimPrefix(u, "https://cdn.example.com")
	res, err := app.Test(httptest.NewRequest("GET", path, nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Errorf("GET %s: %d, want 200", path, res.StatusCode)
	}
}
