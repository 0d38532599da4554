package manifestfile_test

import (
	"errors"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/manifestfile"
)

func TestParseNamesTheFile(t *testing.T) {
	_, err := manifestfile.Parse("dist/cachebust.json", []byte("{\n  \"version\": 1,\n  \"assets\": [\n}"))
	var syntax *core.SyntaxError
	if !errors.As(err, &syntax) || syntax.File != "dist/cachebust.json" || syntax.Line != 4 || syntax.Column != 1 {
		t.Fatalf("Parse = %v, want a *core.SyntaxError in dist/cachebust.json at 4:1", err)
	}
	if !errors.Is(err, core.ErrCorruptManifest) {
		t.Errorf("Parse = %v, want it to wrap core.ErrCorruptManifest", err)
	}
	if want := "corrupt manifest dist/cachebust.json:4:1: "; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("Parse = %q, want it to start %q", err, want)
	}
}
