package hexdigest_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/hexdigest"
)

func TestValid(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"0123456789abcdef", true},
		{"3f2a9c1b", true},
		{"", false},
		{"3F2A9C1B", false},
		{"3f2a9c1g", false},
		{"3f2a 9c1b", false},
		{"-3f2a", false},
	} {
		if got := hexdigest.Valid(tt.s); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
