package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/mediatype"
	"github.com/cachebust/cachebust/internal/precompressed"
	"github.com/cachebust/cachebust/internal/urlpath"
	"github.com/cachebust/cachebust/serve"
)

// Variants of the objects of an asset, as they appear in an object's id.
const (
	variantFile  = ""      // the fingerprinted file
	variantPlain = "plain" // the original under its logical name
	// Precompressed siblings are named by their encoding, core.Brotli or
	// core.Gzip.
)

// object is one object a publish puts in the bucket.
type object struct {
	key  string // relative to the key prefix; also the file that holds its bytes
	from string // the file of the build that holds its bytes
	// id says what the object holds: the asset's hash and the variant. Two
	// objects with the same key and id hold the same bytes. It is "" when
	// that cannot be told, and such an object is always uploaded.
	id string
	// hash is the digest of the asset's served bytes, which the object's
	// bytes (decoded, for a sibling) must have; "" when unchecked.
	hash string
	// size is the object's size, or -1 when the manifest does not say.
	size         int64
	contentType  string
	encoding     string // Content-Encoding: "br", "gzip" or ""
	cacheControl string
	// replace is set for an object held already whose metadata is wrong:
	// it is written again over the object in place, fingerprinted or not.
	replace bool
}

// immutable reports whether o is fingerprinted, and so written once and
// never replaced.
func (o object) immutable() bool { return o.cacheControl == serve.CacheImmutable }

// objectID returns the id of the variant of the asset a.
func objectID(a core.Asset, variant string) string {
	if a.Hash == "" {
		// Without a hash the bytes under a name cannot be told apart.
		return ""
	}
	return variant + ":" + a.Hash
}

// objects returns the objects of assets, sorted by key: for each asset its
// fingerprinted file, its precompressed siblings and, with plain, the
// original under its logical name. Assets of a manifest from another tool
// (foreign) whose file is a URL live elsewhere and have no object; the
// objects of an asset without a hash, which nothing can check, revalidate
// rather than being immutable. It fails
// for an asset that is not fingerprinted, a key that is not a clean
// relative path, and two objects with one key.
func objects(assets map[string]core.Asset, foreign, plain bool) ([]object, error) {
	var objs []object
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		a := assets[name]
		if a.ExternalURL != "" {
			continue // lives on another host
		}
		if err := checkKey(a.File); err != nil {
			return nil, fmt.Errorf("asset %s: file %q: %w", name, a.File, err)
		}
		if a.File == name {
			return nil, fmt.Errorf("asset %s: not fingerprinted (its file is its own name): publish needs a build in the rename form", name)
		}
		ctype := mediatype.Of(name)
		size, cache := a.Size, serve.CacheImmutable
		if a.Hash == "" {
			// Nothing vouches that the bytes are those the name stands
			// for, so they are not published as immutable.
			size, cache = -1, serve.CacheRevalidate
		}
		objs = append(objs, object{key: a.File, from: a.File, id: objectID(a, variantFile), hash: a.Hash,
			size: size, contentType: ctype, cacheControl: cache})
		for _, enc := range a.Encodings {
			key := a.File + precompressed.Ext(enc)
			objs = append(objs, object{key: key, from: key, id: objectID(a, enc), hash: a.Hash,
				size: -1, contentType: ctype, encoding: enc, cacheControl: cache})
		}
		if plain {
			if err := checkKey(name); err != nil {
				return nil, fmt.Errorf("asset %q: %w", name, err)
			}
			objs = append(objs, object{key: name, from: name, id: objectID(a, variantPlain),
				size: -1, contentType: ctype, cacheControl: serve.CacheRevalidate})
		}
	}
	slices.SortFunc(objs, func(a, b object) int { return strings.Compare(a.key, b.key) })
	for i := 1; i < len(objs); i++ {
		if objs[i].key == objs[i-1].key {
			return nil, fmt.Errorf("two objects would have the key %s", objs[i].key)
		}
	}
	return objs, nil
}

// named returns the objects a manifest in the bucket accounts for, as a
// map from key to id: the current build's, its plain objects when it says
// Originals, and those of its kept generations.
func named(m *core.Manifest) (map[string]string, error) {
	ids := make(map[string]string)
	if m == nil {
		return ids, nil
	}
	add := func(assets map[string]core.Asset, plain bool) error {
		objs, err := objects(assets, m.Hash == "", plain)
		for _, o := range objs {
			if _, ok := ids[o.key]; !ok {
				ids[o.key] = o.id
			}
		}
		return err
	}
	if err := add(m.Assets, m.Originals); err != nil {
		return nil, err
	}
	for i, g := range m.Generations {
		if err := add(g.Assets, false); err != nil {
			return nil, fmt.Errorf("generation %d: %w", i+1, err)
		}
	}
	return ids, nil
}

// isURL reports whether s looks like a URL (a scheme, or "//" first)
// rather than a key.
func isURL(s string) bool { return strings.HasPrefix(s, "//") || urlpath.HasScheme(s) }

// errBadKey is wrapped by the errors of checkKey.
var errBadKey = errors.New("not a clean relative path")

// checkKey reports whether key may name an object: a clean, relative,
// slash-separated path of valid UTF-8, with no element that is empty, "."
// or "..", or starts with ".", no backslash or control character, no ":"
// in its first element, and not ManifestKey. A relative URL whose first
// element holds a ":" reads as one with a scheme ("javascript:x-1.js"), so
// no key may be taken for a URL; names starting with "." and ManifestKey
// keep the bucket's own records apart.
func checkKey(key string) error {
	if !utf8.ValidString(key) || key == "." || !fs.ValidPath(key) {
		return errBadKey
	}
	if key == ManifestKey {
		return fmt.Errorf("%s is the key of the manifest", key)
	}
	for _, c := range key {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return errBadKey
		}
	}
	for elem := range strings.SplitSeq(key, "/") {
		if strings.HasPrefix(elem, ".") {
			return fmt.Errorf("%w: an element starts with %q", errBadKey, ".")
		}
	}
	if first, _, _ := strings.Cut(key, "/"); strings.Contains(first, ":") {
		return errSchemeKey
	}
	return nil
}

// errSchemeKey is the error of checkKey for a key whose first element
// holds a ":".
var errSchemeKey = errors.New(`its first element holds ":", so as a URL it would read as one with a scheme`)

// keyPrefix returns the prefix p in the form keys are joined with: "" or a
// checked path ending in "/".
func keyPrefix(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	trimmed := strings.TrimSuffix(p, "/")
	if err := checkKey(trimmed); err != nil {
		return "", fmt.Errorf("key prefix %q: %w", p, err)
	}
	return trimmed + "/", nil
}
