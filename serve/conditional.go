package serve

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Preconditions holds the request header fields that make a GET or HEAD
// request conditional or partial (RFC 9110, sections 13 and 14).
type Preconditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   string
	IfUnmodifiedSince string
	IfRange           string
	Range             string
}

// Reply is how to answer a GET or HEAD request, as Preconditions.Evaluate
// decides it.
type Reply struct {
	// Status is http.StatusOK, StatusPartialContent, StatusNotModified,
	// StatusPreconditionFailed or StatusRequestedRangeNotSatisfiable.
	Status int
	// Start and Length are the bytes of the content to send with a 200 or
	// 206.
	Start, Length int64

	noOverlap bool // a 416 because no range overlaps the content
}

// Evaluate decides, the way http.ServeContent does, how to answer a GET or
// HEAD request with the preconditions p for content of size bytes with the
// entity tag etag (quoted, or "" for none) and the modification time
// modtime (zero for none).
//
// It is for servers that cannot call http.ServeContent, such as the Fiber
// middlewares. The one difference: a request for several ranges is
// answered with the whole content (200, which RFC 9110 allows), where
// http.ServeContent sends multipart/byteranges.
func (p Preconditions) Evaluate(etag string, modtime time.Time, size int64) Reply {
	whole := Reply{Status: http.StatusOK, Length: size}
	c := ifMatch(p.IfMatch, etag)
	if c == condNone {
		c = ifUnmodifiedSince(p.IfUnmodifiedSince, modtime)
	}
	if c == condFalse {
		return Reply{Status: http.StatusPreconditionFailed}
	}
	switch ifNoneMatch(p.IfNoneMatch, etag) {
	case condFalse:
		return Reply{Status: http.StatusNotModified}
	case condNone:
		if ifModifiedSince(p.IfModifiedSince, modtime) == condFalse {
			return Reply{Status: http.StatusNotModified}
		}
	}
	rng := p.Range
	if rng == "" || ifRange(p.IfRange, etag, modtime) == condFalse {
		return whole
	}
	start, length, n, err := parseRange(rng, size)
	switch {
	case err == errNoOverlap && size == 0:
		return whole
	case err != nil:
		return Reply{Status: http.StatusRequestedRangeNotSatisfiable, noOverlap: err == errNoOverlap}
	case n != 1:
		return whole
	}
	return Reply{Status: http.StatusPartialContent, Start: start, Length: length}
}

// ContentRange returns the Content-Range header value of the reply for
// content of size bytes: "bytes start-end/size" for a 206,
// "bytes */size" for a 416 because no range overlaps the content, and ""
// otherwise.
func (r Reply) ContentRange(size int64) string {
	switch r.Status {
	case http.StatusPartialContent:
		return "bytes " + strconv.FormatInt(r.Start, 10) + "-" + strconv.FormatInt(r.Start+r.Length-1, 10) + "/" + strconv.FormatInt(size, 10)
	case http.StatusRequestedRangeNotSatisfiable:
		if r.noOverlap {
			return "bytes */" + strconv.FormatInt(size, 10)
		}
	}
	return ""
}

type cond int

const (
	condNone cond = iota
	condTrue
	condFalse
)

func ifMatch(h, etag string) cond {
	if h == "" {
		return condNone
	}
	for {
		h = strings.TrimSpace(h)
		if h == "" {
			return condFalse
		}
		if h[0] == ',' {
			h = h[1:]
			continue
		}
		if h[0] == '*' {
			return condTrue
		}
		tag, rest := scanETag(h)
		if tag == "" {
			return condFalse
		}
		if tag == etag && tag[0] == '"' {
			return condTrue
		}
		h = rest
	}
}

func ifNoneMatch(h, etag string) cond {
	if h == "" {
		return condNone
	}
	for {
		h = strings.TrimSpace(h)
		if h == "" {
			return condTrue
		}
		if h[0] == ',' {
			h = h[1:]
			continue
		}
		if h[0] == '*' {
			return condFalse
		}
		tag, rest := scanETag(h)
		if tag == "" {
			return condTrue
		}
		if strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
			return condFalse
		}
		h = rest
	}
}

func ifUnmodifiedSince(h string, modtime time.Time) cond {
	t, ok := parseDate(h, modtime)
	if !ok {
		return condNone
	}
	if modtime.Truncate(time.Second).Compare(t) <= 0 {
		return condTrue
	}
	return condFalse
}

func ifModifiedSince(h string, modtime time.Time) cond {
	t, ok := parseDate(h, modtime)
	if !ok {
		return condNone
	}
	if modtime.Truncate(time.Second).Compare(t) <= 0 {
		return condFalse
	}
	return condTrue
}

func ifRange(h, etag string, modtime time.Time) cond {
	if h == "" {
		return condNone
	}
	if tag, _ := scanETag(h); tag != "" {
		if tag == etag && tag[0] == '"' {
			return condTrue
		}
		return condFalse
	}
	if modtime.IsZero() {
		return condFalse
	}
	t, err := http.ParseTime(h)
	if err == nil && t.Unix() == modtime.Unix() {
		return condTrue
	}
	return condFalse
}

// parseDate parses the HTTP date h, if both it and modtime are set.
func parseDate(h string, modtime time.Time) (time.Time, bool) {
	if h == "" || modtime.IsZero() || modtime.Equal(time.Unix(0, 0)) {
		return time.Time{}, false
	}
	t, err := http.ParseTime(h)
	return t, err == nil
}

// scanETag returns the first entity tag of s and what follows it, or ""
// if s does not start with one.
func scanETag(s string) (etag, rest string) {
	s = strings.TrimSpace(s)
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s[start:]) < 2 || s[start] != '"' {
		return "", ""
	}
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0x21 || c >= 0x23 && c <= 0x7e || c >= 0x80:
		case c == '"':
			return s[:i+1], s[i+1:]
		default:
			return "", ""
		}
	}
	return "", ""
}

type rangeError string

func (e rangeError) Error() string { return string(e) }

const (
	errInvalidRange rangeError = "invalid range"
	errNoOverlap    rangeError = "invalid range: failed to overlap"
)

// parseRange parses a Range header for content of size bytes as
// http.ServeContent does. It returns the first range and how many there
// are, counting them only while their total fits in size (beyond that
// http.ServeContent sends the whole content, reported as n = 0).
func parseRange(s string, size int64) (start, length int64, n int, err error) {
	const b = "bytes="
	if !strings.HasPrefix(s, b) {
		return 0, 0, 0, errInvalidRange
	}
	var sum int64
	noOverlap := false
	for ra := range strings.SplitSeq(s[len(b):], ",") {
		ra = strings.TrimSpace(ra)
		if ra == "" {
			continue
		}
		rs, rl, err := parseOneRange(ra, size)
		if err == errNoOverlap {
			noOverlap = true
			continue
		}
		if err != nil {
			return 0, 0, 0, err
		}
		if n == 0 {
			start, length = rs, rl
		}
		n++
		sum += rl
	}
	if noOverlap && n == 0 {
		return 0, 0, 0, errNoOverlap
	}
	if sum > size {
		n = 0
	}
	return start, length, n, nil
}

// parseOneRange parses one range of a Range header, such as "0-99",
// "100-" or "-5", for content of size bytes. It fails with errNoOverlap
// for a range that starts beyond the content.
func parseOneRange(ra string, size int64) (start, length int64, err error) {
	first, last, ok := strings.Cut(ra, "-")
	if !ok {
		return 0, 0, errInvalidRange
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" {
		// A suffix: the last bytes.
		if last == "" || last[0] == '-' {
			return 0, 0, errInvalidRange
		}
		i, err := strconv.ParseInt(last, 10, 64)
		if i < 0 || err != nil {
			return 0, 0, errInvalidRange
		}
		i = min(i, size)
		return size - i, i, nil
	}
	i, err := strconv.ParseInt(first, 10, 64)
	if err != nil || i < 0 {
		return 0, 0, errInvalidRange
	}
	if i >= size {
		return 0, 0, errNoOverlap
	}
	if last == "" {
		return i, size - i, nil
	}
	j, err := strconv.ParseInt(last, 10, 64)
	if err != nil || i > j {
		return 0, 0, errInvalidRange
	}
	return i, min(j, size-1) - i + 1, nil
}
