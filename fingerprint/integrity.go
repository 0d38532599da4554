package fingerprint

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
)

// integrityHashes are the Subresource Integrity algorithms.
var integrityHashes = map[string]func() hash.Hash{
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
}

// integrityValue formats a Subresource Integrity value.
func integrityValue(alg string, sum []byte) string {
	return alg + "-" + base64.StdEncoding.EncodeToString(sum)
}

// checkIntegrity reports whether alg is a Subresource Integrity algorithm
// Options.Integrity accepts ("" for none), and if not, which are.
func checkIntegrity(alg string) error {
	if _, ok := integrityHashes[alg]; alg != "" && !ok {
		return fmt.Errorf("unknown integrity algorithm %q (want sha256, sha384 or sha512)", alg)
	}
	return nil
}
