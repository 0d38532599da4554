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

// The built-in hashes.
var (
	// CRC32 is the IEEE CRC-32 checksum, as zlib.crc32 computes it: fast, 8
	// hex digits, fine for telling versions apart but not collision resistant.
	CRC32 = Hash{Name: "crc32", New: func() hash.Hash { return crc32.NewIEEE() }}
	// MD5 is the MD5 digest, 32 hex digits.
	MD5 = Hash{Name: "md5", New: md5.New}
	// SHA256 is the SHA-256 digest, 64 hex digits. It is the default.
	SHA256 = Hash{Name: "sha256", New: sha256.New}
)

// Hashes lists the built-in hashes in the order the command line documents them.
var Hashes = []Hash{CRC32, MD5, SHA256}

// HashByName returns the built-in hash called name.
func HashByName(name string) (Hash, error) {
	for _, h := range Hashes {
		if h.Name == name {
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
