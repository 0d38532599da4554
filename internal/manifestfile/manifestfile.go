// Package manifestfile parses a manifest read by other means than the
// readers of package core (through an os.Root, or from a bucket), naming
// the file in its errors as core.ReadManifest does.
package manifestfile

import (
	"errors"
	"fmt"

	"github.com/cachebust/cachebust/core"
)

// Parse parses data, the content of the manifest file name, as
// core.ParseManifest does. Its error names the file: one at a place in
// data matches *core.SyntaxError with errors.As, with File set to name,
// and every one wraps core.ErrCorruptManifest.
func Parse(name string, data []byte) (*core.Manifest, error) {
	m, err := core.ParseManifest(data)
	if err == nil {
		return m, nil
	}
	var syntax *core.SyntaxError
	if errors.As(err, &syntax) {
		syntax.File = name
		return nil, fmt.Errorf("%w %w", core.ErrCorruptManifest, syntax)
	}
	return nil, fmt.Errorf("%s: %w", name, err)
}
