package recordfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cachebust/cachebust/internal/specialtest"
)

// A reader that gives more than its source said, or more than the limit,
// is refused once it passes the limit.
func TestReadAll(t *testing.T) {
	tests := []struct {
		data    string
		size    int64
		wantErr string
	}{
		{"0123456789", 10, ""},
		{"0123456789", 0, ""},
		{"0123456789", -1, ""},
		{"0123456789", 11, "11 bytes, more than 10 bytes"},
		{"0123456789", 1 << 40, "1099511627776 bytes, more than 10 bytes"},
		{"01234567890", 10, "grew past 10 bytes"},
		{"01234567890", -1, "grew past 10 bytes"},
	}
	for _, tt := range tests {
		got, err := readAll(strings.NewReader(tt.data), tt.size, 10)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || !errors.Is(err, ErrTooLarge)):
			t.Errorf("readAll(%q, %d) = %q, %v, want an error wrapping ErrTooLarge saying %s", tt.data, tt.size, got, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.data):
			t.Errorf("readAll(%q, %d) = %q, %v, want the data", tt.data, tt.size, got, err)
		}
	}
}

// Every reader refuses, with one line naming the file, what is not a
// regular file and a file larger than MaxSize; Read and ReadRoot open a
// named pipe without waiting for a writer, so even one put there after a
// look at the file does not block them.
func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	specialtest.Sparse(t, filepath.Join(dir, "big.json"), MaxSize+1)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"ok.json":  "",
		"big.json": "268435457 bytes, more than 268435456 bytes (256 MiB), the most a manifest or record may have",
		"sub":      "a directory, not a regular file",
	}
	if specialtest.FIFO(t, filepath.Join(dir, "fifo.json")) {
		tests["fifo.json"] = "a named pipe, not a regular file"
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	readers := map[string]func(name string) (string, error){
		"Read":     func(name string) (string, error) { return Read(filepath.Join(dir, name)) },
		"ReadRoot": func(name string) (string, error) { return ReadRoot(root, name) },
		"ReadFS":   func(name string) (string, error) { return ReadFS(os.DirFS(dir), name) },
	}
	for reader, read := range readers {
		for name, want := range tests {
			shown := filepath.Join(dir, name)
			if reader == "ReadFS" {
				shown = name
			}
			done := make(chan error, 1)
			go func() {
				_, err := read(name)
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatalf("%s(%s) has not returned after a minute", reader, name)
			}
			switch {
			case want == "" && err != nil:
				t.Errorf("%s(%s): %v", reader, name, err)
			case want != "" && (err == nil || err.Error() != shown+": "+want):
				t.Errorf("%s(%s) error %v, want %s: %s", reader, name, err, shown, want)
			}
		}
	}
	if _, err := ReadFS(fstest.MapFS{"d/x": {}}, "d"); err == nil || err.Error() != "d: a directory, not a regular file" {
		t.Errorf("ReadFS of a directory of a MapFS: error %v", err)
	}
	if _, err := ReadRoot(root, "missing.json"); !errors.Is(err, fs.ErrNotExist) || err.Error() != "open "+filepath.Join(dir, "missing.json")+": no such file or directory" {
		t.Errorf("ReadRoot of a missing file: error %v, want one naming its path and wrapping fs.ErrNotExist", err)
	}
}
