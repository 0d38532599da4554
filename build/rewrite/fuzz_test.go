package rewrite_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cachebust/cachebust/build/rewrite"
)

// addSeeds seeds a fuzzer with the table inputs and the testdata files.
func addSeeds(f *testing.F, add func(src []byte)) {
	for _, tt := range cssTests {
		add([]byte(tt.in))
	}
	for _, tt := range jsTests {
		add([]byte(tt.in))
	}
	files, _ := filepath.Glob("testdata/*.*")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(src)
	}
}

func FuzzFindCSS(f *testing.F) {
	addSeeds(f, func(src []byte) { f.Add(src) })
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, find := range []func([]byte) []rewrite.Ref{rewrite.FindCSS, rewrite.FindJS} {
			refs := find(src)
			checkRefs(t, src, refs)
			if got := rewrite.Rewrite(src, refs, sameName); !bytes.Equal(got, src) {
				t.Fatalf("Rewrite with the same names\n got %q\nwant %q", got, src)
			}
		}
	})
}

func FuzzRewrite(f *testing.F) {
	addSeeds(f, func(src []byte) {
		for _, name := range testNames {
			f.Add(src, name)
		}
	})
	f.Fuzz(func(t *testing.T, src []byte, name string) {
		checkRewrite(t, rewrite.FindCSS, src, name)
		checkRewrite(t, rewrite.FindJS, src, name)
	})
}
