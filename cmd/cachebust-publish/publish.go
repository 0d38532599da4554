package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/internal/cli"
	"github.com/cachebust/cachebust/publish"
)

const publishSynopsis = `[flags] DIR BUCKET_URL

Upload the build in DIR, the output of cachebust build with its manifest, to
the bucket at BUCKET_URL: s3://bucket?region=REGION (for an S3-compatible
server add &endpoint=URL&use_path_style=true), azblob://container,
file:///path, or gs://bucket in a cachebust-publish built with -tags gcs.
Credentials come from each provider's usual chain, for S3
the AWS_* variables and files. With -source, DIR is a source tree,
fingerprinted in memory. Objects the bucket holds already are not sent
again; the manifest is written last; objects of publishes older than -keep
are deleted after it. A publish whose manifest is already in place reads two
objects and stops.`

// publishCmd runs "cachebust publish". Progress goes to stderr when it is a
// terminal.
func publishCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("publish", publishSynopsis, stdout)
	manifest := fs.String("manifest", "", "manifest of the build (default DIR/"+core.ManifestName+")")
	source := fs.Bool("source", false, "DIR is a source tree: fingerprint it in memory (sha256, rename form) and publish the result")
	hashName := fs.String("hash", "sha256", "with -source: content hash, crc32, md5 or sha256")
	length := fs.Int("len", fingerprint.DefaultLength, "with -source: "+cli.LenUsage)
	var exclude cli.MultiFlag
	fs.Var(&exclude, "exclude", "with -source: glob of files or directories to leave out (repeatable)")
	prefix := fs.String("prefix", core.DefaultPrefix, "with -source: URL path the assets are served under, to resolve root-relative references")
	keyPrefix := fs.String("key-prefix", "", "path inside the bucket to publish under, such as assets/")
	keep := fs.Int("keep", publish.DefaultKeep, "earlier publishes whose objects stay for pages still using them")
	plain := fs.Bool("plain", false, "also publish each asset under its plain name, with Cache-Control no-cache")
	workers := fs.Int("workers", publish.DefaultWorkers, "requests at once")
	verify := fs.Bool("verify", false, "list the bucket even when its manifest is this build's, to upload objects deleted behind publish's back, and write again objects whose type or caching headers are wrong")
	dryRun := fs.Bool("dry-run", false, "print what would be uploaded, skipped and deleted, and change nothing")
	operands, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(operands) != 2 {
		return fmt.Errorf("%w: want DIR and BUCKET_URL, got %s", cli.ErrUsage, cli.Plural(len(operands), "argument"))
	}
	dir, bucketURL := operands[0], operands[1]
	if *keep < 0 {
		return fmt.Errorf("%w: -keep %d: want 0 or more", cli.ErrUsage, *keep)
	}
	if *workers < 1 {
		return fmt.Errorf("%w: -workers %d: want 1 or more", cli.ErrUsage, *workers)
	}
	if *source && *manifest != "" {
		return fmt.Errorf("%w: -manifest and -source exclude each other", cli.ErrUsage)
	}
	opts := publish.Options{KeyPrefix: *keyPrefix, Keep: *keep, Plain: *plain, Workers: *workers, Verify: *verify, DryRun: *dryRun}
	var bopts fingerprint.Options
	if *source {
		if bopts.Hash, err = cli.HashFlag(*hashName); err != nil {
			return err
		}
		if bopts.Length, err = cli.LengthFlag(fs, bopts.Hash, *length); err != nil {
			return err
		}
		bopts.Exclude, bopts.Prefix = exclude, *prefix
		if err := bopts.Validate(); err != nil {
			return fmt.Errorf("%w: %v", cli.ErrUsage, err)
		}
	}
	line := &publishLine{}
	if cli.IsTerminal(stderr) && !*dryRun {
		line.w = stderr
		opts.Progress = line.update
	}
	defer line.clear()

	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	bucket, err := publish.OpenBucket(ctx, bucketURL)
	if err != nil {
		return err
	}
	defer bucket.Close()

	var res *publish.Result
	switch {
	case *source:
		res, err = publish.Source(ctx, bucket, root.FS(), bopts, opts)
	default:
		name := *manifest
		if name == "" {
			name = filepath.Join(dir, core.ManifestName)
		}
		var m *core.Manifest
		if m, err = core.ReadManifest(name); err != nil {
			return err
		}
		res, err = publish.Files(ctx, bucket, root.FS(), m, opts)
	}
	if err != nil {
		return cli.InDir(dir, err)
	}
	line.clear()
	for _, l := range []struct {
		verb string
		keys []string
	}{{"upload", res.ToUpload}, {"skip", res.ToSkip}, {"delete", res.ToDelete}} {
		for _, k := range l.keys {
			fmt.Fprintf(stdout, "would %s %s\n", l.verb, k)
		}
	}
	fmt.Fprintln(stdout, summary(res, bucketURL, *keyPrefix, *dryRun))
	return nil
}

// summary is the line a publish ends with.
func summary(res *publish.Result, bucketURL, keyPrefix string, dryRun bool) string {
	manifest := "manifest unchanged"
	if res.ManifestWritten {
		manifest = "manifest " + keyPrefixed(keyPrefix) + publish.ManifestKey + " written"
	}
	verb := "published"
	if dryRun {
		verb = "dry run, would publish"
		if res.ManifestWritten {
			manifest = "manifest " + keyPrefixed(keyPrefix) + publish.ManifestKey + " would be written"
		}
	}
	return fmt.Sprintf("%s %s to %s: %d uploaded (%s), %d skipped (%s), %d deleted; %s",
		verb, cli.Plural(res.Objects, "object"), bucketURL, res.Uploaded, cli.FormatBytes(res.UploadedBytes),
		res.Skipped, cli.FormatBytes(res.SkippedBytes), res.Deleted, manifest)
}

// keyPrefixed returns the key prefix as it precedes a key.
func keyPrefixed(p string) string {
	if p == "" || p[len(p)-1] == '/' {
		return p
	}
	return p + "/"
}

// publishLine redraws one line of progress on w, at most ten times a
// second; with no w it draws nothing.
type publishLine struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func (p *publishLine) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); done == total || now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.shown = true
		fmt.Fprintf(p.w, "\r\033[Kcachebust publish: %d/%d objects uploaded", done, total)
	}
}

// clear erases the progress line, if one is shown, so that the summary or
// an error starts a line of its own.
func (p *publishLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
