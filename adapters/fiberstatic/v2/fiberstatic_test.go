package fiberstatic_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	fiberstatic "github.com/cachebust/cachebust/adapters/fiberstatic/v2"
	"github.com/cachebust/cachebust/serve"
	"github.com/cachebust/cachebust/serve/servetest"
)

func TestServetest(t *testing.T) {
	servetest.Run(t, func(t *testing.T, h *serve.Handler) servetest.Server {
		app := fiber.New()
		app.Use(fiberstatic.New(h))
		return func(req *http.Request) (*http.Response, error) {
			return app.Test(req, 5000)
		}
	})
}
