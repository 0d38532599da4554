package rewrite_test

import (
	"errors"
	"testing"

	"github.com/cachebust/cachebust/internal/rewrite"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name           string
		from, ref      string
		prefix         string
		target, suffix string
		ok, err        bool
	}{
		{"relative parent", "css/app.css", "../fonts/x.woff2", "/static/", "fonts/x.woff2", "", true, false},
		{"relative same dir", "css/app.css", "a.png", "/static/", "css/a.png", "", true, false},
		{"relative dot", "css/app.css", "./fonts/a.woff", "/static/", "css/fonts/a.woff", "", true, false},
		{"top-level file", "app.css", "img/a.png", "/", "img/a.png", "", true, false},
		{"query fragment", "css/app.css", "../fonts/icons.eot?#iefix", "/static/", "fonts/icons.eot", "?#iefix", true, false},
		{"query", "css/app.css", "../fonts/i.woff2?dd67030699838ea613ee6dbda90effa6", "/static/", "fonts/i.woff2", "?dd67030699838ea613ee6dbda90effa6", true, false},
		{"fragment", "css/app.css", "icons.svg#icon", "/static/", "css/icons.svg", "#icon", true, false},
		{"root relative", "css/app.css", "/static/img/a.png", "/static/", "img/a.png", "", true, false},
		{"root relative prefix without slashes", "css/app.css", "/static/img/a.png", "static", "img/a.png", "", true, false},
		{"root relative prefix with host", "css/app.css", "/static/img/a.png", "https://cdn.example.com/static/", "img/a.png", "", true, false},
		{"root relative root prefix", "css/app.css", "/img/a.png", "/", "img/a.png", "", true, false},
		{"root relative empty prefix", "css/app.css", "/img/a.png", "", "img/a.png", "", true, false},
		{"root relative outside prefix", "css/app.css", "/other/a.png", "/static/", "", "", false, false},
		{"root relative dot dot out of prefix", "css/app.css", "/static/../a.png", "/static/", "", "", false, false},
		{"root relative prefix only", "css/app.css", "/static/", "/static/", "", "", false, false},
		{"percent encoded", "css/app.css", "../fonts/my%20font.woff", "/", "fonts/my font.woff", "", true, false},
		{"bad percent kept", "css/app.css", "100%.png", "/", "css/100%.png", "", true, false},
		{"unicode", "css/app.css", "ü.png", "/", "css/ü.png", "", true, false},
		{"database.jpg", "css/app.css", "database.jpg", "/", "css/database.jpg", "", true, false},
		{"http-diagram.png", "css/app.css", "http-diagram.png", "/", "css/http-diagram.png", "", true, false},
		{"colon after slash", "css/app.css", "img/a:b.png", "/", "css/img/a:b.png", "", true, false},
		{"colon after query", "css/app.css", "a.png?x=y:z", "/", "css/a.png", "?x=y:z", true, false},

		{"http", "css/app.css", "http://example.com/a.png", "/", "", "", false, false},
		{"https", "css/app.css", "HTTPS://example.com/a.png", "/", "", "", false, false},
		{"data", "css/app.css", "data:image/png;base64,AAAA", "/", "", "", false, false},
		{"mailto", "css/app.css", "mailto:a@example.com", "/", "", "", false, false},
		{"custom scheme", "css/app.css", "web+x.y-z:abc", "/", "", "", false, false},
		{"protocol relative", "css/app.css", "//cdn.example.com/a.png", "/", "", "", false, false},
		{"protocol relative backslash", "css/app.css", `\\cdn.example.com/a.png`, "/", "", "", false, false},
		{"fragment only", "css/app.css", "#icon", "/", "", "", false, false},
		{"query only", "css/app.css", "?v=1", "/", "", "", false, false},
		{"empty", "css/app.css", "", "/", "", "", false, false},
		{"directory", "css/app.css", "../img/", "/", "", "", false, false},
		{"dot dot", "css/app.css", "..", "/", "", "", false, false},

		{"escapes root", "css/a.css", "../../x.png", "/", "", "", false, true},
		{"escapes root from top", "a.css", "../x.png", "/", "", "", false, true},
		{"encoded slash", "css/a.css", "a%2Fb.png", "/", "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, suffix, ok, err := rewrite.Resolve(tt.from, tt.ref, tt.prefix)
			if target != tt.target || suffix != tt.suffix || ok != tt.ok || (err != nil) != tt.err {
				t.Errorf("Resolve(%q, %q, %q) = %q, %q, %v, %v; want %q, %q, %v, error %v",
					tt.from, tt.ref, tt.prefix, target, suffix, ok, err, tt.target, tt.suffix, tt.ok, tt.err)
			}
		})
	}
}

func TestResolveOutsideRootError(t *testing.T) {
	_, _, _, err := rewrite.Resolve("css/a.css", "../../x.png", "/")
	if !errors.Is(err, rewrite.ErrOutsideRoot) {
		t.Errorf("got error %v, want one wrapping ErrOutsideRoot", err)
	}
}
