package precompressed_test

import (
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/precompressed"
)

func TestExt(t *testing.T) {
	for _, tt := range []struct{ enc, want string }{
		{core.Brotli, ".br"},
		{core.Gzip, ".gz"},
		{"zstd", ".zstd"},
	} {
		if got := precompressed.Ext(tt.enc); got != tt.want {
			t.Errorf("Ext(%q) = %q, want %q", tt.enc, got, tt.want)
		}
	}
}
