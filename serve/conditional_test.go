package serve_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cachebust/cachebust/serve"
)

// TestEvaluateMatchesServeContent checks Preconditions.Evaluate against
// http.ServeContent on every combination of the header values below.
func TestEvaluateMatchesServeContent(t *testing.T) {
	const content = "0123456789abcdef"
	const etag = `"3f2a9c1b"`
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	dates := []string{"", mod.Format(http.TimeFormat), mod.Add(-time.Hour).Format(http.TimeFormat), mod.Add(time.Hour).Format(http.TimeFormat), "garbage"}
	etags := []string{"", etag, "W/" + etag, `"other"`, `"other", ` + etag, "*", "garbage", `W/"other"`}
	ranges := []string{"", "bytes=0-3", "bytes=-4", "bytes=10-", "bytes=100-", "bytes=5-2", "bytes=0-3,5-6", "bytes=0-,0-", "pages=1", "bytes=", "bytes=-0", "bytes=0-100"}
	ifRanges := []string{"", etag, `"other"`, mod.Format(http.TimeFormat), "W/" + etag}

	var cases []serve.Preconditions
	for _, e := range etags {
		cases = append(cases, serve.Preconditions{IfMatch: e}, serve.Preconditions{IfNoneMatch: e})
		for _, d := range dates {
			cases = append(cases, serve.Preconditions{IfNoneMatch: e, IfModifiedSince: d}, serve.Preconditions{IfMatch: e, IfUnmodifiedSince: d})
		}
	}
	for _, d := range dates {
		cases = append(cases, serve.Preconditions{IfModifiedSince: d}, serve.Preconditions{IfUnmodifiedSince: d})
	}
	for _, r := range ranges {
		for _, ir := range ifRanges {
			cases = append(cases, serve.Preconditions{Range: r, IfRange: ir})
		}
	}
	for _, modtime := range []time.Time{mod, {}} {
		for _, tag := range []string{etag, ""} {
			for _, p := range cases {
				req := httptest.NewRequest("GET", "/x.txt", nil)
				for k, v := range map[string]string{
					"If-Match": p.IfMatch, "If-None-Match": p.IfNoneMatch,
					"If-Modified-Since": p.IfModifiedSince, "If-Unmodified-Since": p.IfUnmodifiedSince,
					"If-Range": p.IfRange, "Range": p.Range,
				} {
					if v != "" {
						req.Header.Set(k, v)
					}
				}
				w := httptest.NewRecorder()
				if tag != "" {
					w.Header().Set("Etag", tag)
				}
				http.ServeContent(w, req, "x.txt", modtime, strings.NewReader(content))

				got := p.Evaluate(tag, modtime, int64(len(content)))
				want := w.Code
				if strings.HasPrefix(w.Header().Get("Content-Type"), "multipart/byteranges") {
					// The one documented difference.
					want = http.StatusOK
				}
				if got.Status != want {
					t.Errorf("%+v (etag %q, modtime %v): status %d, ServeContent %d", p, tag, modtime, got.Status, w.Code)
					continue
				}
				if want == http.StatusOK || want == http.StatusPartialContent {
					if body := content[got.Start : got.Start+got.Length]; w.Code == want && body != w.Body.String() {
						t.Errorf("%+v: body %q, ServeContent %q", p, body, w.Body.String())
					}
				}
				if want == http.StatusPartialContent || want == http.StatusRequestedRangeNotSatisfiable {
					if cr := got.ContentRange(int64(len(content))); cr != w.Header().Get("Content-Range") {
						t.Errorf("%+v: Content-Range %q, ServeContent %q", p, cr, w.Header().Get("Content-Range"))
					}
				}
			}
		}
	}
}
