// Command publishbench measures "cachebust publish" against "rclone copy"
// of the same build directory to the same S3 server, and prints the
// figures and their ratios as Markdown.
//
// Each run publishes into fresh buckets (the first publish) and then again
// into the same buckets with nothing changed (the unchanged publish), each
// tool in turn, the order changing from run to run. Figures are medians
// over the runs; ratios are rclone's median time over cachebust's, so a
// ratio above 1 means cachebust is faster.
//
// Usage:
//
//	publishbench -dir DIST -cachebust BIN -endpoint http://127.0.0.1:PORT \
//	    -access KEY -secret SECRET [-runs 5] [-rclone rclone]
//
// Run it through scripts/publish-bench.sh, which fetches and builds the
// tree and starts the server.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/cachebust/cachebust/internal/s3test"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("publishbench: ")
	dir := flag.String("dir", "", "build directory, the output of cachebust build -out")
	bin := flag.String("cachebust", "cachebust", "the cachebust command")
	rclone := flag.String("rclone", "rclone", "the rclone command")
	endpoint := flag.String("endpoint", "", "S3 endpoint, http://127.0.0.1:PORT")
	access := flag.String("access", "", "S3 access key")
	secret := flag.String("secret", "", "S3 secret key")
	runs := flag.Int("runs", 5, "runs; figures are medians")
	flag.Parse()
	if *dir == "" || *endpoint == "" || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	srv := &s3test.Server{Endpoint: *endpoint, AccessKey: *access, SecretKey: *secret}
	tools := []tool{
		{name: "cachebust publish -plain", cmd: func(bucket string) *exec.Cmd {
			c := exec.Command(*bin, "publish", "-plain", *dir, srv.URL(bucket))
			c.Env = append(os.Environ(), srv.Env()...)
			return c
		}},
		rcloneTool("rclone copy (defaults: 4 transfers, 8 checkers)", *rclone, *dir, srv),
		rcloneTool("rclone copy --transfers 16 --checkers 16", *rclone, *dir, srv, "--transfers", "16", "--checkers", "16"),
	}
	res, err := measure(context.Background(), srv, tools, *runs)
	if err != nil {
		log.Fatal(err)
	}
	res.report(os.Stdout, *runs)
}

// rcloneTool returns rclone copy of dir to the server, with extra flags.
// Debian's rclone 1.60 fails when AWS_CA_BUNDLE is set, so it is unset.
func rcloneTool(name, rclone, dir string, srv *s3test.Server, extra ...string) tool {
	return tool{name: name, cmd: func(bucket string) *exec.Cmd {
		args := append([]string{"copy", dir, ":s3:" + bucket}, extra...)
		c := exec.Command(rclone, args...)
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
				env = append(env, kv)
			}
		}
		c.Env = append(env,
			"RCLONE_CONFIG=/dev/null",
			"RCLONE_S3_PROVIDER=Other",
			"RCLONE_S3_ENDPOINT="+srv.Endpoint,
			"RCLONE_S3_FORCE_PATH_STYLE=true",
			"RCLONE_S3_ACCESS_KEY_ID="+srv.AccessKey,
			"RCLONE_S3_SECRET_ACCESS_KEY="+srv.SecretKey,
		)
		return c
	}}
}

// tool is one way of putting the directory into a bucket.
type tool struct {
	name string
	cmd  func(bucket string) *exec.Cmd
}

// phases of a run.
const (
	first = iota
	unchanged
	phases
)

// measure runs every tool runs times in both phases and returns the
// times.
func measure(ctx context.Context, srv *s3test.Server, tools []tool, runs int) (*results, error) {
	res := &results{tools: tools, times: make([][phases][]time.Duration, len(tools)), objects: make([]int, len(tools))}
	stamp := time.Now().UnixNano()
	for run := range runs {
		buckets := make([]string, len(tools))
		for i := range tools {
			buckets[i] = fmt.Sprintf("bench-%x-%d-%d", stamp, run, i)
			if err := srv.CreateBucket(ctx, buckets[i]); err != nil {
				return nil, err
			}
		}
		for phase := range phases {
			for k := range tools {
				i := (k + run) % len(tools)
				d, err := timeCmd(tools[i].cmd(buckets[i]))
				if err != nil {
					return nil, fmt.Errorf("%s: %w", tools[i].name, err)
				}
				res.times[i][phase] = append(res.times[i][phase], d)
				log.Printf("run %d, %s, %s: %v", run+1, phaseName(phase), tools[i].name, d.Round(time.Millisecond))
			}
		}
		for i := range tools {
			n, err := countObjects(ctx, srv, buckets[i])
			if err != nil {
				return nil, err
			}
			res.objects[i] = n
		}
	}
	return res, nil
}

// timeCmd runs cmd and returns how long it took.
func timeCmd(cmd *exec.Cmd) (time.Duration, error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%v\n%s", err, out.String())
	}
	return time.Since(start), nil
}

// countObjects counts the objects in bucket.
func countObjects(ctx context.Context, srv *s3test.Server, bucket string) (int, error) {
	b, err := srv.OpenBucket(ctx, bucket)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	n := 0
	it := b.List(nil)
	for {
		_, err := it.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

func phaseName(phase int) string {
	return [...]string{"first publish", "unchanged publish"}[phase]
}
