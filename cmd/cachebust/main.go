// Command cachebust fingerprints the static assets of a web application.
//
// Usage:
//
//	cachebust build [flags] DIR        hash DIR, write renamed copies and the manifest
//	cachebust url [flags] LOGICAL...   print the URLs of assets
//	cachebust verify [flags] [DIR]     check every file the manifest names
//	cachebust clean [flags] [DIR]      remove files of builds no longer kept
//	cachebust publish [flags] DIR BUCKET_URL   upload a build to object storage
//
// The publish command runs cachebust-publish, a program of its own, which
// go install github.com/cachebust/cachebust/cmd/...@latest puts beside
// cachebust. Run "cachebust COMMAND -h" for the flags of each command.
// Errors are printed as one line naming the input and the problem, and the
// exit status is 1, or 2 for a usage mistake.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/cli"
	"github.com/cachebust/cachebust/strategy"
)

func main() {
	// The first interrupt cancels the command, which stops within a second
	// and removes what it wrote; the handler is then stopped, so that a
	// second one ends the process at once, as by default.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `cachebust gives every static asset a content-fingerprinted URL.

Usage:

	cachebust build [flags] DIR        hash DIR, write renamed copies and the manifest
	cachebust url [flags] LOGICAL...   print the URLs of assets
	cachebust verify [flags] [DIR]     check every file the manifest names
	cachebust clean [flags] [DIR]      remove files of builds no longer kept
	cachebust publish [flags] DIR BUCKET   upload a build to object storage
	cachebust version                  print the version

Flags and operands may come in any order. Run "cachebust COMMAND -h" for the
flags of a command.
`

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"build":   runBuild,
		"url":     runURL,
		"verify":  runVerify,
		"clean":   runClean,
		"publish": publishCmd,
		"version": runVersion,
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "cachebust: unknown command %q (want build, url, verify, clean, publish or version; see cachebust -h)\n", name)
		return 2
	}
	warnings.set(name, stderr)
	err := cmd(ctx, args[1:], stdout, stderr)
	if exit, ok := errors.AsType[exitStatus](err); ok {
		return int(exit) // the command printed its error itself
	}
	return cli.Status(ctx, name, err, stderr)
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("build", "[flags] DIR\n\nHash every file in DIR and write the manifest. In the rename form each file\ngets a renamed copy beside it, such as css/app-3f2a9c1b2c4d.css. Files of the\nprevious -keep builds stay; older ones are removed after the new manifest is\nin place. Dotfiles are always left out.", stdout)
	hashName := fs.String("hash", "sha256", "content hash: crc32, md5 or sha256")
	form := fs.String("url", "rename", "URL form: rename (css/app-HASH.css) or query (css/app.css?v=HASH)")
	param := fs.String("param", "v", "query parameter name for -url query; empty for the bare form css/app.css?HASH")
	length := fs.Int("len", fingerprint.DefaultLength, cli.LenUsage)
	out := fs.String("out", "", "output directory (default DIR itself); a different one also gets copies of the originals")
	manifest := fs.String("manifest", "", "manifest path (default OUT/"+core.ManifestName+")")
	keep := fs.Int("keep", fingerprint.DefaultKeep, "earlier builds to keep on disk for pages still using them")
	var exclude cli.MultiFlag
	fs.Var(&exclude, "exclude", "glob of files or directories to leave out, matched against the relative path and the name (repeatable)")
	prefix := fs.String("prefix", core.DefaultPrefix, "URL path the assets are served under, to resolve root-relative references such as /static/img/a.png")
	noRewrite := fs.Bool("no-rewrite", false, "leave url(), @import, module specifier and source map references in renamed copies as written")
	strictRefs := fs.Bool("strict-refs", false, "fail on a reference to a file missing from the build instead of warning")
	integrity := fs.String("integrity", "", "record a Subresource Integrity value per asset: sha256, sha384 or sha512")
	gz := fs.Bool("gzip", false, "write .gz siblings of text-like assets where smaller")
	br := fs.Bool("brotli", false, "write .br siblings of text-like assets where smaller")
	verbose := fs.Bool("v", false, "list every asset and the file that serves it")
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(operands) != 1 {
		return fmt.Errorf("%w: want exactly one DIR, got %s", cli.ErrUsage, cli.Plural(len(operands), "argument"))
	}
	dir := operands[0]
	if *keep < 0 {
		return fmt.Errorf("%w: -keep %d: want 0 or more", cli.ErrUsage, *keep)
	}
	opts := fingerprint.DirOptions{
		Options: fingerprint.Options{
			Exclude:    exclude,
			Integrity:  *integrity,
			Prefix:     *prefix,
			NoRewrite:  *noRewrite,
			StrictRefs: *strictRefs,
		},
		Manifest: *manifest,
		Keep:     *keep,
		Gzip:     *gz,
		Brotli:   *br,
	}
	if opts.Hash, err = cli.HashFlag(*hashName); err != nil {
		return err
	}
	if opts.Length, err = cli.LengthFlag(fs, opts.Hash, *length); err != nil {
		return err
	}
	if err := integrityFlag(*integrity); err != nil {
		return err
	}
	switch *form {
	case "rename":
		opts.Form = strategy.Rename{}
	case "query":
		if opts.Form, err = strategy.FormByName("query:" + *param); err != nil {
			return fmt.Errorf("%w: -param: %v", cli.ErrUsage, err)
		}
	default:
		return fmt.Errorf("%w: -url %q: want query or rename", cli.ErrUsage, *form)
	}
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	opts.Logger = warnings.logger()
	line := newProgressLine(stdout, stderr, *verbose)
	if line.shows() {
		opts.Progress = line.update
	}
	warnings.before(line.clear)
	start := time.Now()
	res, err := fingerprint.Dir(ctx, dir, *out, opts)
	if err != nil {
		line.finish(nil)
		if *out == "" || *out == dir {
			err = cli.InDir(dir, err) // else the paths may be in either
		}
		return withHint(err)
	}
	line.finish(res.Manifest.Assets)
	fmt.Fprintf(stdout, "built %s (%s) in %s: %d written, %d removed, manifest %s\n",
		cli.Plural(res.Files, "file"), cli.FormatBytes(res.Bytes), time.Since(start).Round(time.Millisecond),
		len(res.Written), len(res.Removed), res.ManifestPath)
	return nil
}

func runURL(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("url", "[flags] LOGICAL...\n\nPrint the URL of each logical asset path, one a line.", stdout)
	manifest := fs.String("manifest", core.ManifestName, "manifest path")
	prefix := fs.String("prefix", core.DefaultPrefix, "URL prefix or base URL, such as https://cdn.example.com/assets/")
	strict := fs.Bool("strict", false, "fail for assets missing from the manifest instead of printing their plain URL")
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(operands) == 0 {
		return fmt.Errorf("%w: want at least one LOGICAL path", cli.ErrUsage)
	}
	r, err := core.Load(*manifest, core.Options{Prefix: *prefix, Strict: *strict, Logger: warnings.logger()})
	if err != nil {
		return err
	}
	for _, name := range operands {
		u, err := r.URL(name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u)
	}
	return nil
}

// manifestAndDir works out the manifest and output directory of verify and
// clean: DIR/cachebust.json when DIR is given, otherwise the manifest's own
// directory.
func manifestAndDir(operands []string, manifest string) (string, string, error) {
	switch len(operands) {
	case 0:
		if manifest == "" {
			manifest = core.ManifestName
		}
		return manifest, filepath.Dir(manifest), nil
	case 1:
		dir := operands[0]
		if manifest == "" {
			manifest = filepath.Join(dir, core.ManifestName)
		}
		return manifest, dir, nil
	}
	return "", "", fmt.Errorf("%w: want at most one DIR, got %s", cli.ErrUsage, cli.Plural(len(operands), "argument"))
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("verify", "[flags] [DIR]\n\nCheck that every file the manifest names exists in DIR (default: the\nmanifest's directory) with the recorded size and hash.", stdout)
	manifest := fs.String("manifest", "", "manifest path (default DIR/"+core.ManifestName+")")
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	manifestPath, dir, err := manifestAndDir(operands, *manifest)
	if err != nil {
		return err
	}
	m, err := core.ReadManifest(manifestPath)
	if err != nil {
		return err
	}
	// Through a root, so that a link in the output cannot lead out of it.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := fingerprint.Verify(root.FS(), m); err != nil {
		return cli.InDir(dir, fmt.Errorf("%s: %w", manifestPath, err))
	}
	fmt.Fprintln(stdout, verified(m))
	return nil
}

// verified is the line verify ends with: how many assets it checked, and
// how.
func verified(m *core.Manifest) string {
	n := 0 // assets that are files, rather than URLs on another host
	for _, assets := range append([]map[string]core.Asset{m.Assets}, generationAssets(m)...) {
		for _, a := range assets {
			if a.ExternalURL == "" {
				n++
			}
		}
	}
	switch {
	case n == 0:
		return "verified nothing: the manifest names no files, only URLs on other hosts"
	case m.Foreign():
		return fmt.Sprintf("verified %s: all files present (the manifest, from another tool, records no hash to check them against)", cli.Plural(n, "asset"))
	}
	return fmt.Sprintf("verified %s in %s: all files present with the recorded hash", cli.Plural(n, "asset"), cli.Plural(1+len(m.Generations), "build"))
}

// generationAssets returns the assets of m's kept generations.
func generationAssets(m *core.Manifest) []map[string]core.Asset {
	var gs []map[string]core.Asset
	for _, g := range m.Generations {
		gs = append(gs, g.Assets)
	}
	return gs
}

func runClean(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("clean", "[flags] [DIR]\n\nKeep only the newest -keep earlier builds listed in the manifest and remove\nthe files of the others, and any temporary files a killed build left.", stdout)
	manifest := fs.String("manifest", "", "manifest path (default DIR/"+core.ManifestName+")")
	keep := fs.Int("keep", fingerprint.DefaultKeep, "earlier builds to keep")
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if *keep < 0 {
		return fmt.Errorf("%w: -keep %d: want 0 or more", cli.ErrUsage, *keep)
	}
	manifestPath, dir, err := manifestAndDir(operands, *manifest)
	if err != nil {
		return err
	}
	removed, err := fingerprint.Clean(ctx, dir, fingerprint.CleanOptions{Manifest: manifestPath, Keep: *keep})
	for _, f := range removed {
		fmt.Fprintf(stdout, "removed %s\n", f)
	}
	if err != nil {
		return cli.InDir(dir, withHint(err))
	}
	fmt.Fprintf(stdout, "cleaned %s: %s removed\n", dir, cli.Plural(len(removed), "file"))
	return nil
}

// integrityFlag checks the value of the -integrity flag.
func integrityFlag(alg string) error {
	if err := (fingerprint.Options{Integrity: alg}).Validate(); err != nil {
		return fmt.Errorf("%w: -integrity %q: want sha256, sha384 or sha512", cli.ErrUsage, alg)
	}
	return nil
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("version", "\n\nPrint the version of cachebust, from the module's build information.", stdout)
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(operands) > 0 {
		return fmt.Errorf("%w: want no arguments, got %s", cli.ErrUsage, cli.Plural(len(operands), "argument"))
	}
	fmt.Fprintln(stdout, "cachebust", version())
	return nil
}

// version returns the module version cachebust was built as: a release
// such as v1.2.0 for go install …@v1.2.0, or "(devel)" with the VCS
// revision for a build from a checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " (" + rev[:min(12, len(rev))] + dirty + ")"
	}
	return v + " " + info.GoVersion
}

// withHint adds to an error the flag that gets past it, where there is one.
func withHint(err error) error {
	if errors.Is(err, fingerprint.ErrForeignManifest) {
		return fmt.Errorf("%w (-manifest PATH)", err)
	}
	return err
}
