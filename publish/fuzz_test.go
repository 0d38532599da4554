package publish

import (
	"path"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/core"
)

func FuzzCheckKey(f *testing.F) {
	for _, s := range []string{"css/app-3f2a9c1b2c4d.css", "../x", "a/../b", "/abs", ".cachebust-pending.json",
		"a//b", `a\b`, "a/./b", "x\x00y", "https://example.com/x", "//evil/x", "é/ü.css", "a/", "\xff",
		"A:", "javascript:alert(1)-73cb3858a687.js", "1:x/a.js", "css/a:b.css"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if checkKey(key) != nil {
			return
		}
		if path.Clean(key) != key || path.IsAbs(key) || strings.ContainsAny(key, "\\\x00") {
			t.Fatalf("checkKey accepted %q, which is not clean", key)
		}
		for elem := range strings.SplitSeq(key, "/") {
			if elem == "" || strings.HasPrefix(elem, ".") {
				t.Fatalf("checkKey accepted %q, with the element %q", key, elem)
			}
		}
		if first, _, _ := strings.Cut(key, "/"); strings.Contains(first, ":") || isURL(key) {
			t.Fatalf("checkKey accepted %q, which reads as a URL", key)
		}
		const prefix = "assets/"
		if joined := path.Clean(prefix + key); !strings.HasPrefix(joined, prefix) {
			t.Fatalf("key %q leaves the prefix: %q", key, joined)
		}
	})
}

// FuzzObjectKeys checks that whatever a manifest says, every key publish
// would write is a checked path and never a URL.
func FuzzObjectKeys(f *testing.F) {
	for _, s := range []string{
		`{"a.js": "a-3f2a9c1b.js", "cdn.js": "https://cdn.example.com/x.js", "p.js": "//cdn.example.com/p.js"}`,
		`{"a.js": "../../etc/passwd"}`,
		`{"a.js": "/a-1.js", "b.js": "b.js"}`,
		`{"version": 1, "hash": "", "url": "rename", "assets": {"a.css": {"file": "http://x/a.css"}}}`,
		`{"version": 1, "hash": "md5", "url": "rename", "assets": {"a.css": {"file": "a-d41d8cd98f00b204e9800998ecf8427e.css", "hash": "d41d8cd98f00b204e9800998ecf8427e", "encodings": ["br"]}}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m, err := core.ParseManifest([]byte(data))
		if err != nil {
			return
		}
		for _, plain := range []bool{false, true} {
			objs, err := objects(m.Assets, m.Hash == "", plain)
			if err != nil {
				continue
			}
			for _, o := range objs {
				first, _, _ := strings.Cut(o.key, "/")
				if err := checkKey(o.key); err != nil || isURL(o.key) || strings.Contains(first, ":") {
					t.Fatalf("manifest %q gives the key %q", data, o.key)
				}
			}
		}
	})
}
