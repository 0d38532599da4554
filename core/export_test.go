package core

// ParseManifestJSON parses data with encoding/json alone, the reading
// ParseManifest must agree with, for the tests that compare the two.
func ParseManifestJSON(data []byte) (*Manifest, error) {
	m, err := parseManifestJSON(data)
	if err != nil {
		return nil, &corruptError{kind: "manifest", err: err}
	}
	return m, nil
}

// SwapHooks returns how many functions OnSwap registered and nothing
// unregistered yet.
func (r *Resolver) SwapHooks() int {
	r.hooksMu.Lock()
	defer r.hooksMu.Unlock()
	return len(r.onSwap)
}
