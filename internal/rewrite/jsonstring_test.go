package rewrite

import (
	"strings"
	"testing"
)

// stringEndByBytes is the definition jsonStringEnd must keep: scan byte by
// byte from the opening quote, a backslash skipping the byte after it.
func stringEndByBytes(src []byte, i int) (int, bool) {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
		}
	}
	return len(src), false
}

func TestJSONStringEnd(t *testing.T) {
	for _, in := range []string{`""`, `"a"`, `"a\"b"`, `"a\\"b`, `"a\\\"b"`, `"\\\\"x`, `"abc`, `"a\`, `"\"`, `"` + string(make([]byte, 5000)) + `\\\"" `} {
		gotEnd, gotOK := jsonStringEnd([]byte(in), 0)
		wantEnd, wantOK := stringEndByBytes([]byte(in), 0)
		if gotEnd != wantEnd || gotOK != wantOK {
			t.Errorf("jsonStringEnd(%.20q) = %d, %v; want %d, %v", in, gotEnd, gotOK, wantEnd, wantOK)
		}
	}
}

func FuzzJSONStringEnd(f *testing.F) {
	for _, s := range []string{`"a\"b"`, `"a\\"b`, `x"\\\\\"y"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for i, c := range src {
			if c != '"' {
				continue
			}
			gotEnd, gotOK := jsonStringEnd(src, i)
			wantEnd, wantOK := stringEndByBytes(src, i)
			if gotEnd != wantEnd || gotOK != wantOK {
				t.Fatalf("jsonStringEnd(%q, %d) = %d, %v; want %d, %v", src, i, gotEnd, gotOK, wantEnd, wantOK)
			}
		}
	})
}

// BenchmarkJSONStringEnd finds the end of a 64 KiB string shaped like a
// source map's "mappings" with an escaped quote every 240 bytes, as
// "sourcesContent" has, against the byte-by-byte scan.
func BenchmarkJSONStringEnd(b *testing.B) {
	src := []byte{'"'}
	for len(src) < 64<<10 {
		src = append(src, strings.Repeat("AAAA,SAAS,CAAC;AACA,", 12)...)
		src = append(src, `\"`...)
	}
	src = append(src, '"')
	for _, bc := range []struct {
		name string
		f    func([]byte, int) (int, bool)
	}{{"IndexByte", jsonStringEnd}, {"bytewise", stringEndByBytes}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				bc.f(src, 0)
			}
		})
	}
}
