package coding_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/coding"
)

func TestNewReader(t *testing.T) {
	const text = "body{color:red}\n"
	var gz, br bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	bw := brotli.NewWriter(&br)
	bw.Write([]byte(text))
	bw.Close()
	for _, tt := range []struct {
		enc     string
		data    []byte
		want    string
		wantErr string
	}{
		{core.Gzip, gz.Bytes(), text, ""},
		{core.Brotli, br.Bytes(), text, ""},
		{core.Gzip, []byte("not a gzip stream"), "", "gzip: invalid header"},
		{core.Brotli, []byte{0xff, 0xff}, "", "brotli"},
		{"zstd", gz.Bytes(), "", `unknown encoding "zstd"`},
	} {
		r, err := coding.NewReader(tt.enc, bytes.NewReader(tt.data))
		var got []byte
		if err == nil {
			got, err = io.ReadAll(r)
		}
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s of %q: error %v, want one containing %q", tt.enc, tt.data, err, tt.wantErr)
			}
		case err != nil || string(got) != tt.want:
			t.Errorf("%s: got %q, %v; want %q", tt.enc, got, err, tt.want)
		}
	}
}
