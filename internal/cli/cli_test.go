package cli_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/cli"
	"github.com/cachebust/cachebust/strategy"
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

// LenUsage gives the hex digits of crc32 that strategy.CRC32 has.
func TestLenUsage(t *testing.T) {
	if want := fmt.Sprintf("all %d of crc32", strategy.CRC32().Size()); !strings.Contains(cli.LenUsage, want) {
		t.Errorf("LenUsage = %q, want it to say %q", cli.LenUsage, want)
	}
}
