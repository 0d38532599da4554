// Package cli holds what the commands cachebust and cachebust-publish
// share: flags and operands in any order, usage mistakes, the flags of
// the hash, and errors printed as one line in the user's terms with the
// exit status that goes with them.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/cachebust/cachebust/strategy"
)

// ErrUsage marks an error in how a command was called.
var ErrUsage = errors.New("usage")

// Status prints the error err of the command "cachebust name", if any, as
// one line to stderr, and returns the exit status: 0 for none or a request
// for help, 2 for a usage mistake, 1 for anything else.
func Status(ctx context.Context, name string, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(stderr, "cachebust %s: interrupted\n", name)
		return 1
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "cachebust %s: %v (see cachebust %s -h)\n", name, strings.TrimPrefix(err.Error(), "usage: "), name)
		return 2
	default:
		fmt.Fprintf(stderr, "cachebust %s: %s\n", name, describe(err))
		return 1
	}
}

// NewFlags returns the flag set of the command "cachebust name": it prints
// its help, when asked, to stdout and reports parse errors as usage errors
// instead of printing them.
func NewFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: cachebust %s %s\n\n", name, synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// Parse parses args, flags and operands in any order (an argument after
// "--" is always an operand), and returns the operands. It wraps a mistake
// in ErrUsage, and prints the usage once when asked for help; fs.Parse
// would print it for every mistake too, which is reported in one line
// instead.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var operands []string
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			usage()
			return nil, err
		case err != nil:
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(operands, rest...), nil
		}
		if len(rest) == 0 {
			return operands, nil
		}
		operands, args = append(operands, rest[0]), rest[1:]
	}
}

// MultiFlag collects a repeatable string flag.
type MultiFlag []string

func (m *MultiFlag) String() string     { return strings.Join(*m, ",") }
func (m *MultiFlag) Set(s string) error { *m = append(*m, s); return nil }

// LenUsage describes the -len flag of build and publish -source. (The hex
// digits of crc32 are those of its size: strategy.CRC32().Size() would
// build crc32's tables when every command starts.)
var LenUsage = fmt.Sprintf("hex digits of the hash in file names and URLs, at most the hash has; unset, all %d of crc32 (the manifest keeps the full digest)", 2*crc32.Size)

// HashFlag returns the hash the -hash flag names.
func HashFlag(name string) (strategy.Hash, error) {
	h, err := strategy.HashByName(name)
	if err != nil {
		return h, fmt.Errorf("%w: -hash %q: want crc32, md5 or sha256", ErrUsage, name)
	}
	return h, nil
}

// LengthFlag returns the hash length to build with: n, if the -len flag of
// fs was set, which must fit the hash h; otherwise 0, the library's
// default, which fits every hash.
func LengthFlag(fs *flag.FlagSet, h strategy.Hash, n int) (int, error) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "len" })
	if !set {
		return 0, nil
	}
	if n < 1 || n > h.Size() {
		return 0, fmt.Errorf("%w: -len %d: want 1 to %d, the hex digits of %s", ErrUsage, n, h.Size(), h.Name)
	}
	return n, nil
}

// Plural returns n and the noun, in the plural unless n is 1.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// FormatBytes formats n in binary units.
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
