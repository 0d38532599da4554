package strategy_test

import (
	"strings"
	"testing"

	"github.com/cachebust/cachebust/strategy"
)

// The digests below were computed with coreutils md5sum and sha256sum and
// with Python's zlib.crc32, not with the code under test.
func TestHashSum(t *testing.T) {
	tests := []struct {
		hash  strategy.Hash
		input string
		want  string
	}{
		{strategy.CRC32(), "", "00000000"},
		{strategy.CRC32(), "hello", "3610a686"},
		{strategy.CRC32(), "a1012", "00068586"}, // zero-padded to 8 digits
		{strategy.CRC32(), "The quick brown fox jumps over the lazy dog", "414fa339"},
		{strategy.MD5(), "", "d41d8cd98f00b204e9800998ecf8427e"},
		{strategy.MD5(), "hello", "5d41402abc4b2a76b9719d911017c592"},
		{strategy.MD5(), "The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"},
		{strategy.SHA256(), "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{strategy.SHA256(), "hello", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"},
		{strategy.SHA256(), "The quick brown fox jumps over the lazy dog", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"},
	}
	for _, tt := range tests {
		got, err := tt.hash.Sum(strings.NewReader(tt.input))
		if err != nil {
			t.Fatalf("%s.Sum(%q): %v", tt.hash.Name, tt.input, err)
		}
		if got != tt.want {
			t.Errorf("%s.Sum(%q) = %q, want %q", tt.hash.Name, tt.input, got, tt.want)
		}
		if got := tt.hash.SumBytes([]byte(tt.input)); got != tt.want {
			t.Errorf("%s.SumBytes(%q) = %q, want %q", tt.hash.Name, tt.input, got, tt.want)
		}
		if got, want := tt.hash.Size(), len(tt.want); got != want {
			t.Errorf("%s.Size() = %d, want %d", tt.hash.Name, got, want)
		}
	}
}

func TestHashByName(t *testing.T) {
	for _, h := range []strategy.Hash{strategy.CRC32(), strategy.MD5(), strategy.SHA256()} {
		got, err := strategy.HashByName(h.Name)
		if err != nil || got.Name != h.Name || got.SumBytes([]byte("hello")) != h.SumBytes([]byte("hello")) {
			t.Errorf("HashByName(%q) = %q, %v, want %q, nil", h.Name, got.Name, err, h.Name)
		}
	}
	for _, name := range []string{"", "SHA256", "sha1", "crc64"} {
		if _, err := strategy.HashByName(name); err == nil || !strings.Contains(err.Error(), "unknown hash") {
			t.Errorf("HashByName(%q) error = %v, want unknown hash", name, err)
		}
	}
}

// The built-in hashes are values no caller can change for another: what
// one caller does to the Hash it got leaves the next call, and
// HashByName, as they were.
func TestBuiltinHashesCannotBeChanged(t *testing.T) {
	for _, tt := range []struct {
		name string
		get  func() strategy.Hash
	}{
		{"crc32", strategy.CRC32},
		{"md5", strategy.MD5},
		{"sha256", strategy.SHA256},
	} {
		want := tt.get().SumBytes([]byte("hello"))
		h := tt.get()
		h.Name, h.New = "evil", strategy.CRC32().New
		if tt.name == "crc32" {
			h.New = strategy.MD5().New
		}
		if got := tt.get(); got.Name != tt.name || got.SumBytes([]byte("hello")) != want {
			t.Errorf("after changing a copy, %s = %q with digest %s, want %q with %s", tt.name, got.Name, got.SumBytes([]byte("hello")), tt.name, want)
		}
		if got, err := strategy.HashByName(tt.name); err != nil || got.Name != tt.name || got.SumBytes([]byte("hello")) != want {
			t.Errorf("after changing a copy, HashByName(%q) = %q, %v, want %q with digest %s", tt.name, got.Name, err, tt.name, want)
		}
	}
}
