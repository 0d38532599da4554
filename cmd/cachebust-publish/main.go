// Command cachebust-publish uploads a build of cachebust to object
// storage. It is what "cachebust publish" runs, and takes the same flags
// and operands:
//
//	cachebust-publish [flags] DIR BUCKET_URL
//
// It is a program of its own so that the other commands of cachebust
// start without initialising the clients of S3 and Azure Blob Storage;
// install both with
//
//	go install github.com/cachebust/cachebust/cmd/...@latest
//
// Run "cachebust publish -h" for its flags. Errors are printed as one
// line naming the input and the problem, and the exit status is 1, or 2
// for a usage mistake.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cachebust/cachebust/internal/cli"
)

func main() {
	// The first interrupt cancels the publish, which stops and leaves the
	// bucket's manifest as it was; the handler is then stopped, so that a
	// second one ends the process at once, as by default.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs "cachebust publish" with the flags and operands args and
// returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Status(ctx, "publish", publishCmd(ctx, args, stdout, stderr), stderr)
}
