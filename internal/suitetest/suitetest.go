// Package suitetest checks that a test suite catches what it must: it runs
// the test binary again, once per broken implementation that an
// environment variable chooses, and checks which of the suite's cases
// fail, what their failures say, and that the others still pass.
package suitetest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Broken is one broken implementation and what the suite must say of it.
type Broken struct {
	// Kind is the value of the environment variable that chooses it.
	Kind string
	// Fail lists the cases that must fail, each with text its failure
	// prints.
	Fail map[string]string
	// Pass lists cases that must still pass.
	Pass []string
}

// Check runs the top-level test named test of the running test binary
// once per broken implementation, with env set to its Kind, as a subtest
// named after it; what names the implementation in messages ("engine",
// "server"). Each run must fail, and its cases as Broken says.
func Check(t *testing.T, test, env, what string, broken []Broken) {
	t.Helper()
	for _, b := range broken {
		t.Run(b.Kind, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), env+"="+b.Kind)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("suite against the %s %s: err = %v, want a failing exit\n%s", b.Kind, what, err, out)
			}
			for name, text := range b.Fail {
				block := failure(string(out), test, name)
				if block == "" {
					t.Errorf("case %s passed against the %s %s; want a failure", name, b.Kind, what)
					continue
				}
				if !strings.Contains(block, text) {
					t.Errorf("failure of case %s against the %s %s does not say %q:\n%s", name, b.Kind, what, text, block)
				}
			}
			for _, name := range b.Pass {
				if !strings.Contains(string(out), "--- PASS: "+test+"/"+name+" ") {
					t.Errorf("case %s did not pass against the %s %s, which breaks another rule", name, b.Kind, what)
				}
			}
		})
	}
}

// failure returns the output of the subtest test/name, from its "=== RUN"
// line to its "--- FAIL" line, or "" if it did not fail.
func failure(out, test, name string) string {
	start := strings.Index(out, "=== RUN   "+test+"/"+name+"\n")
	end := strings.Index(out, "--- FAIL: "+test+"/"+name+" ")
	if start < 0 || end < start {
		return ""
	}
	return out[start:end]
}
