package realpart

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	missing.parts = map[string]int{
		"Chromium (apt-get install chromium)": 3,
		"an S3 server (go install x)":         1,
	}
	t.Cleanup(func() { missing.parts = nil })
	got := summary("example.com/e2e")
	want := "example.com/e2e: NOT RUN: 1 test need an S3 server (go install x); 3 tests need Chromium (apt-get install chromium)"
	if got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}

func TestSummaryNothingMissed(t *testing.T) {
	if got := summary("p"); got != "" {
		t.Errorf("summary with nothing missed = %q, want \"\"", got)
	}
}

// TestMissingInCI runs a test that misses a part in a child process, with
// and without CI set: under CI it must fail, elsewhere skip and say so on
// standard error (the child has no terminal).
func TestMissingInCI(t *testing.T) {
	if os.Getenv("REALPART_CHILD") == "1" {
		return
	}
	for _, ci := range []string{"true", ""} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestChild$", "-test.v")
		cmd.Env = append(os.Environ(), "REALPART_CHILD=1", "CI="+ci)
		cmd.Stdin = nil
		out, err := cmd.CombinedOutput()
		switch {
		case ci != "" && err == nil:
			t.Errorf("CI=%s: the child passed, want a failure:\n%s", ci, out)
		case ci == "" && err != nil:
			t.Errorf("CI unset: the child failed (%v), want a skip:\n%s", err, out)
		case ci == "" && !strings.Contains(string(out), "realpart: NOT RUN: 1 test need a thing (get it)"):
			t.Errorf("CI unset: no summary line in the output:\n%s", out)
		}
	}
}

func TestChild(t *testing.T) {
	if os.Getenv("REALPART_CHILD") != "1" {
		t.Skip("run by TestMissingInCI")
	}
	Missing(t, "a thing", "not here", "get it")
}

func TestMain(m *testing.M) {
	if os.Getenv("REALPART_CHILD") == "1" {
		tty = "" // write the line on standard error, for the parent to read
		Main(m, "realpart")
	}
	os.Exit(m.Run())
}
