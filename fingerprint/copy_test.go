package fingerprint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/fingerprint"
	"github.com/cachebust/cachebust/strategy"
)

// With an output directory apart from the source, a build copies each
// original as it hashes it. Whenever the process could be killed, every
// file of the output directory that no manifest names is one the pending
// record lists, so that the next build removes it: the test looks at the
// output directory each time a file is hashed, and again as the renamed
// copies are written.
func TestDirApartRecordsCopiesBeforeWriting(t *testing.T) {
	fingerprint.NoSync(t)
	files := map[string]string{
		"css/app.css":   "body { background: url(../img/a.png) }\n",
		"img/a.png":     "png",
		"js/app.js":     "x()\n",
		"js/vendor.js":  "y()\n",
		"fonts/f.woff2": "woff",
	}
	f := newDirFixture(t, files)
	f.out = t.TempDir()
	checked := 0
	check := func(p fingerprint.Progress) {
		data, err := os.ReadFile(filepath.Join(f.out, ".cachebust-pending.json"))
		if err != nil {
			t.Errorf("%s %s: no pending record while writing: %v", p.Phase, p.Asset, err)
			return
		}
		var pending []string
		if err := json.Unmarshal(data, &pending); err != nil {
			t.Fatal(err)
		}
		for name := range f.files() {
			if strings.HasPrefix(name, ".cachebust-") {
				continue
			}
			if !slices.Contains(pending, name) {
				t.Errorf("%s %s: %s is in the output directory and not in the pending record %q", p.Phase, p.Asset, name, pending)
			}
		}
		checked++
	}
	opts := fingerprint.DirOptions{Options: fingerprint.Options{Form: strategy.Rename{}, Workers: 1, Progress: check}}
	f.build(opts)
	if checked < 2*len(files) {
		t.Errorf("checked the output directory %d times, want at least %d", checked, 2*len(files))
	}
	m, _ := f.manifest()
	for name, a := range m.Assets {
		for _, out := range []string{name, a.File} {
			if _, err := os.Stat(filepath.Join(f.out, filepath.FromSlash(out))); err != nil {
				t.Errorf("%s: %v", out, err)
			}
		}
	}
}

// A build apart from the source that fails after it copied originals (here
// because an input has the name of another input's renamed copy, found
// once every file is hashed) removes every copy it wrote, and the previous
// build's manifest and files are as they were.
func TestDirApartFailedBuildRemovesCopies(t *testing.T) {
	fingerprint.NoSync(t)
	v1 := map[string]string{"css/a.css": "a{}", "js/b.js": "b()"}
	f := newDirFixture(t, v1)
	f.out = t.TempDir()
	opts := fingerprint.DirOptions{Options: fingerprint.Options{Form: strategy.Rename{}, Workers: 1}}
	f.build(opts)
	_, manifest := f.manifest()
	before := f.files()

	v2 := map[string]string{"css/a.css": "a{color:red}", "js/c.js": "c()", "img/new.png": "png"}
	f.write(v2)
	v2["js/b.js"] = v1["js/b.js"]
	want := inMemory(t, v2, opts.Options)
	// An input with the name of a.css's new renamed copy.
	f.write(map[string]string{want.Assets["css/a.css"].File: "mine"})
	err := f.buildErr(opts)
	if !strings.Contains(err.Error(), "would replace it") {
		t.Errorf("error = %v, want one naming the file in the way", err)
	}
	after := f.files()
	for name, info := range after {
		prev, ok := before[name]
		switch {
		case !ok:
			t.Errorf("the failed build left %s", name)
		case !os.SameFile(prev, info):
			t.Errorf("the failed build replaced %s", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("the failed build removed %s", name)
		}
	}
	if _, data := f.manifest(); string(data) != string(manifest) {
		t.Errorf("the failed build changed the manifest")
	}
	if _, err := os.Stat(filepath.Join(f.out, "img")); err == nil {
		t.Errorf("the failed build left the directory img it made")
	}
}
