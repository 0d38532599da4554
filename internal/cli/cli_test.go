package cli_test

import (
	"io"
	"os"
	"testing"

	"github.com/cachebust/cachebust/internal/cli"
)

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cli.IsTerminal(f) || cli.IsTerminal(io.Discard) {
		t.Error("a file or io.Discard taken for a terminal")
	}
}
