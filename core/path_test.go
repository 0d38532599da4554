package core_test

import (
	"path"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

// FuzzCleanPath checks CleanPath against its specification, written with
// path.Clean: the fast paths must agree with the slow one.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"css/main.css", "/css//main.css", "../x", "a/../../b", "./", "a/.", "..a/b", "a/..b", "\x00", `a\b`, "//a", "a/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := core.CleanPath(name)
		rel := path.Clean(strings.TrimLeft(name, "/"))
		bad := strings.ContainsAny(name, "\x00\\") || rel == "." || rel == ".." || strings.HasPrefix(rel, "../")
		if bad {
			if err == nil {
				t.Fatalf("core.CleanPath(%q) = %q, want an error", name, got)
			}
			return
		}
		if err != nil || got != rel {
			t.Fatalf("core.CleanPath(%q) = %q, %v, want %q", name, got, err, rel)
		}
	})
}
