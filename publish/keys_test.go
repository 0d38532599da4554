package publish_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/publish"
)

// No key publish writes reads as a URL: a key whose first element holds a
// ":" would be one with a scheme as a relative URL ("javascript:..."), so
// an asset whose file or plain name is such a key, and such a key prefix,
// are refused before anything is written. A ":" further on is an ordinary
// character of a key.
func TestSchemeKeysAreRefused(t *testing.T) {
	const hash = "73cb3858a687"
	tests := []struct {
		name       string
		file, path string
		opts       publish.Options
		want       string // "" if the publish succeeds
	}{
		{"file", "javascript:alert(1).js", "javascript:alert(1)-" + hash + ".js", publish.Options{}, "javascript:alert(1).js"},
		{"file-A:", "A", "A:", publish.Options{}, `file "A:"`},
		{"plain-name", "javascript:alert(1).js", "js/x-" + hash + ".js", publish.Options{Plain: true}, "javascript:alert(1).js"},
		{"key-prefix", "x.js", "x-" + hash + ".js", publish.Options{KeyPrefix: "javascript:alert(1)/"}, "javascript:alert(1)/"},
		{"colon-further-on", "css/a:b.css", "css/a:b-" + hash + ".css", publish.Options{Plain: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := fileBucket(t)
			files := fstest.MapFS{tt.path: {Data: []byte("x")}, tt.file: {Data: []byte("x")}}
			m := &core.Manifest{Version: core.ManifestVersion, Form: "rename", Assets: map[string]core.Asset{tt.file: {File: tt.path}}}
			_, err := publish.Files(context.Background(), b, files, m, tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Errorf("publish of %s as %s: %v", tt.file, tt.path, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "scheme") {
				t.Errorf("publish of %s as %s: error %v, want one naming %s and saying why", tt.file, tt.path, err, tt.want)
			}
			if ks := keys(t, b); len(ks) != 0 {
				t.Errorf("bucket holds %q after a refused publish", ks)
			}
		})
	}
}
