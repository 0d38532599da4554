package tmplfunc_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/tmplfunc"
)

func TestPath(t *testing.T) {
	type named string
	tests := []struct {
		v       any
		want    string
		wantErr string
	}{
		{"css/app.css", "css/app.css", ""},
		{named("css/app.css"), "css/app.css", ""},
		{"", "", ""},
		{42, "", "asset path is int, not a string"},
		{4.2, "", "asset path is float64, not a string"},
		{nil, "", "asset path is nil, not a string"},
		{[]byte("x"), "", "asset path is []uint8, not a string"},
		{struct{ P string }{"x"}, "", "asset path is struct { P string }, not a string"},
	}
	for _, tt := range tests {
		got, err := tmplfunc.Path(tt.v)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Path(%#v) error = %v, want %q", tt.v, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Path(%#v) = %q, %v; want %q", tt.v, got, err, tt.want)
		}
	}
}
