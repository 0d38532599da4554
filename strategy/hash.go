package strategy

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
)

// Hash is a named content hash.
type Hash struct {
	// Name identifies the hash in manifests and on the command line.
	Name string
	// New returns a fresh hash.Hash.
	New func() hash.Hash
}

// CRC32 returns the IEEE CRC-32 checksum, as zlib.crc32 computes it: fast,
// 8 hex digits, fine for telling versions apart but not collision resistant.
func CRC32() Hash {
	return Hash{Name: "crc32", New: func() hash.Hash { return crc32.NewIEEE() }}
}

// MD5 returns the MD5 digest, 32 hex digits.
func MD5() Hash { return Hash{Name: "md5", New: md5.New} }

// SHA256 returns the SHA-256 digest, 64 hex digits. It is the default.
func SHA256() Hash { return Hash{Name: "sha256", New: sha256.New} }

// HashByName returns the built-in hash called name: "crc32", "md5" or
// "sha256".
func HashByName(name string) (Hash, error) {
	for _, h := range []func() Hash{CRC32, MD5, SHA256} {
		if h := h(); h.Name == name {
			return h, nil
		}
	}
	return Hash{}, fmt.Errorf("unknown hash %q (want crc32, md5 or sha256)", name)
}

// Sum returns the lowercase hexadecimal digest of everything read from r.
func (h Hash) Sum(r io.Reader) (string, error) {
	d := h.New()
	if _, err := io.Copy(d, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(d.Sum(nil)), nil
}

// SumBytes returns the lowercase hexadecimal digest of b.
func (h Hash) SumBytes(b []byte) string {
	d := h.New()
	d.Write(b)
	return hex.EncodeToString(d.Sum(nil))
}

// Size returns the number of hex digits in a digest of h.
func (h Hash) Size() int {
	return 2 * h.New().Size()
}
