package fiberstatic_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	fiberstatic "github.com/cachebust/cachebust/adapters/fiberstatic/v2"
	"github.com/cachebust/cachebust/serve/servetest"
)

func TestSameAsHandler(t *testing.T) {
	f := servetest.New(t)
	app := fiber.New()
	app.Use(fiberstatic.New(f.Handler))
	servetest.Compare(t, f, func(req *http.Request) (*http.Response, error) {
		return app.Test(req, 5000)
	})
}
