package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// publishCommand is the program that runs "cachebust publish". It is a
// program of its own because the clients of the buckets it writes to take
// several milliseconds to initialise when a program starts, more than
// build needs for a small tree, and Go initialises every package a
// program holds whether or not it runs the code.
const publishCommand = "cachebust-publish"

// exitStatus is the exit status of a command that printed its error
// itself.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// publishCmd runs "cachebust publish": it runs cachebust-publish, the one
// beside this program's executable or else the one on PATH, with args.
// When the output is the process's own, the process becomes
// cachebust-publish where the system can do that, so that signals and
// the exit status are its own; otherwise cachebust-publish runs as a
// child writing to stdout and stderr, and its exit status is returned as
// an exitStatus.
func publishCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	bin, err := findPublish()
	if err != nil {
		return err
	}
	if stdout == os.Stdout && stderr == os.Stderr {
		if err := replaceProcess(bin, args); !errors.Is(err, errors.ErrUnsupported) {
			return fmt.Errorf("run %s: %w", bin, err)
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	// Not stopped when ctx is: an interrupt reaches cachebust-publish
	// too, which then stops by itself and removes what it wrote.
	err = cmd.Run()
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		return exitStatus(max(exit.ExitCode(), 1))
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", bin, err)
	}
	return nil
}

// findPublish returns the path of cachebust-publish: beside this
// program's executable, as go install puts it, or else on PATH.
func findPublish() (string, error) {
	if exe, err := os.Executable(); err == nil {
		if p, err := exec.LookPath(filepath.Join(filepath.Dir(exe), publishCommand)); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(publishCommand); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s, which runs cachebust publish, is not installed beside cachebust or on PATH: go install github.com/cachebust/cachebust/cmd/%s@%s",
		publishCommand, publishCommand, installVersion())
}

// installVersion returns the version to install cachebust-publish at:
// this program's, if it is a release such as v1.2.0, and otherwise latest
// (a build from a checkout has a version no proxy knows).
func installVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(info.Main.Version, "v") && !strings.ContainsAny(info.Main.Version, "-+") {
		return info.Main.Version
	}
	return "latest"
}
