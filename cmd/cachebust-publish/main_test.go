package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// cachebust-publish speaks as cachebust publish: its help and its errors
// name that command.
func TestSpeaksAsCachebustPublish(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-h"}, 0, "usage: cachebust publish [flags] DIR BUCKET_URL\n", ""},
		{[]string{"dir"}, 2, "", "cachebust publish: want DIR and BUCKET_URL, got 1 argument (see cachebust publish -h)\n"},
		{[]string{"-workers", "0", "dir", "file:///x"}, 2, "", "cachebust publish: -workers 0: want 1 or more (see cachebust publish -h)\n"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, &stdout, &stderr)
		if code != tc.code || !strings.HasPrefix(stdout.String(), tc.stdout) || stderr.String() != tc.stderr {
			t.Errorf("cachebust-publish %q: exit %d, stdout %.60q, stderr %q; want %d, %q…, %q", tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}
