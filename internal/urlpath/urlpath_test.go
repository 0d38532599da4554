package urlpath_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/urlpath"
)

func TestPrefix(t *testing.T) {
	for _, tt := range []struct{ prefix, want string }{
		{"/static/", "/static/"},
		{"static", "/static/"},
		{"", "/"},
		{"https://cdn.example.com/assets/", "/assets/"},
		{"https://cdn.example.com/assets", "/assets/"},
		{"https://cdn.example.com", "/"},
		{"//cdn.example.com/my%20assets/", "/my%20assets/"},
		{"HTTP://cdn.example.com:8080/a/b/", "/a/b/"},
	} {
		if got := urlpath.Prefix(tt.prefix); got != tt.want {
			t.Errorf("Prefix(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

func TestHasScheme(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"https://cdn.example.com/x.css", true},
		{"data:image/png;base64,AAAA", true},
		{"JavaScript:alert(1)", true},
		{"git+ssh:x", true},
		{"css/app.css", false},
		{"/css/app.css", false},
		{"//cdn.example.com/x.css", false},
		{":x", false},
		{"1http:x", false},
		{"c:/x", true},
		{"a b:x", false},
		{"", false},
	} {
		if got := urlpath.HasScheme(tt.s); got != tt.want {
			t.Errorf("HasScheme(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"css/app.css", "css/app.css"},
		{"a-b_c.d~e/f", "a-b_c.d~e/f"},
		{"js/a+b.js", "js/a%2Bb.js"},
		{"img/hero@2x.png", "img/hero%402x.png"},
		{"my file%.css", "my%20file%25.css"},
		{"é.css", "%C3%A9.css"},
		{`"<>`, "%22%3C%3E"},
	}
	for _, tt := range tests {
		if got := urlpath.EscapePath(tt.in); got != tt.want {
			t.Errorf("EscapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(urlpath.AppendEscapedPath([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendEscapedPath(%q) = %q, want %q", tt.in, got, "x"+tt.want)
		}
	}
}
