package mediatype_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/mediatype"
)

// The media types web assets need come from the fixed table, whatever the
// host's MIME tables say, in any case of the extension.
func TestOf(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"css/app.css", "text/css; charset=utf-8"},
		{"js/app.js", "text/javascript; charset=utf-8"},
		{"js/app.MJS", "text/javascript; charset=utf-8"},
		{"js/app.js.map", "application/json"},
		{"data.json", "application/json"},
		{"site.webmanifest", "application/manifest+json"},
		{"index.html", "text/html; charset=utf-8"},
		{"img/logo.svg", "image/svg+xml"},
		{"img/a.png", "image/png"},
		{"img/a.JPG", "image/jpeg"},
		{"img/a.webp", "image/webp"},
		{"img/a.avif", "image/avif"},
		{"favicon.ico", "image/vnd.microsoft.icon"},
		{"fonts/a.woff", "font/woff"},
		{"fonts/a.woff2", "font/woff2"},
		{"fonts/a.ttf", "font/ttf"},
		{"fonts/a.otf", "font/otf"},
		{"fonts/a.eot", "application/vnd.ms-fontobject"},
		{"app.wasm", "application/wasm"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"feed.xml", "text/xml; charset=utf-8"},
		{"video/a.mp4", "video/mp4"},
		{"video/a.webm", "video/webm"},
		{"video/seg0.ts", "video/mp2t"},
		{"LICENSE", mediatype.Default},
		{"a.unknownext", mediatype.Default},
		{"dir.css/file", mediatype.Default},
	} {
		if got := mediatype.Of(tt.name); got != tt.want {
			t.Errorf("Of(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
