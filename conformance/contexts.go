package conformance

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A pageContext is a part of a page a URL can go in, with the way a
// browser reads a value there.
type pageContext struct {
	name string
	// what names the context in failures.
	what string
	// page and integrity are pages with %s for an action printing a URL
	// and an integrity value; integrity is "" where none belongs (in an
	// unquoted attribute, html/template prints an empty value as
	// "ZgotmplZ").
	page, integrity string
	// decode returns the value a browser reads from the raw output of
	// the action, or an error if the output leaves its context.
	decode func(raw string) (string, error)
}

// contexts are the parts of a page every URL is checked in.
var contexts = []pageContext{
	{
		name: "text", what: "HTML text",
		page: "<p>%s</p>", integrity: "<p>%s</p>",
		decode: func(raw string) (string, error) { return attrValue(raw, "<") },
	},
	{
		name: "attr", what: "a quoted attribute",
		page:      `<link rel="stylesheet" href="%s">`,
		integrity: `<link rel="stylesheet" href="/x.css" integrity="%s">`,
		decode:    func(raw string) (string, error) { return attrValue(raw, `"`) },
	},
	{
		name: "attr-unquoted", what: "an unquoted attribute",
		page:   `<a href=%s>`,
		decode: func(raw string) (string, error) { return attrValue(raw, " \t\n\f\r\"'<>`") },
	},
	{
		name: "script", what: "a JavaScript string in a <script> element",
		page:   `<script>var u = "%s";</script>`,
		decode: jsString,
	},
	{
		name: "style", what: "a CSS url() in a style attribute",
		page: `<div style="background:url(%s)">`,
		decode: func(raw string) (string, error) {
			v, err := attrValue(raw, `"`)
			if err != nil {
				return "", err
			}
			return cssURLValue(v)
		},
	},
	{
		name: "srcset", what: "a srcset candidate",
		page: `<img srcset="%s 2x">`,
		decode: func(raw string) (string, error) {
			v, err := attrValue(raw, `"`)
			if err != nil {
				return "", err
			}
			if i := strings.IndexAny(v, " \t\n\f\r,"); i >= 0 {
				return "", fmt.Errorf("%q ends the candidate's URL early", v[i])
			}
			return v, nil
		},
	},
}

// attrValue returns the entity-decoded raw output of an action in HTML
// text or an attribute value, which ends at any of the bytes in end.
func attrValue(raw, end string) (string, error) {
	if i := strings.IndexAny(raw, end); i >= 0 {
		return "", fmt.Errorf("%q leaves the context", raw[i])
	}
	return html.UnescapeString(raw), nil
}

// jsString returns the value of the inside of a JavaScript string in
// double quotes, within a <script> element, whose text no entity decoding
// touches.
func jsString(raw string) (string, error) {
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "</script") || strings.Contains(raw, "<!--") {
		return "", errors.New("the output ends the script element")
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"' || c == '\n' || c == '\r':
			return "", fmt.Errorf("an unescaped %q ends the string", c)
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(raw) {
			return "", errors.New("the string ends in a backslash")
		}
		switch e := raw[i]; e {
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
			}
			if i+n >= len(raw) {
				return "", fmt.Errorf("short \\%c escape", e)
			}
			v, err := strconv.ParseUint(raw[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", fmt.Errorf("bad \\%c escape: %v", e, err)
			}
			b.WriteRune(rune(v))
			i += n
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\n':
			// A line continuation adds nothing.
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), nil
}

// cssURLValue returns the value of the inside of an unquoted CSS url(), after
// CSS unescaping.
func cssURLValue(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case strings.IndexByte(" \t\n\f\r\"'()", c) >= 0:
			return "", fmt.Errorf("an unescaped %q ends the url()", c)
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(v) || v[i] == '\n' {
			return "", errors.New("bad escape in url()")
		}
		n := 0
		for n < 6 && i+n < len(v) && strings.IndexByte("0123456789abcdefABCDEF", v[i+n]) >= 0 {
			n++
		}
		if n == 0 {
			r, size := utf8.DecodeRuneInString(v[i:])
			b.WriteRune(r)
			i += size - 1
			continue
		}
		r, _ := strconv.ParseUint(v[i:i+n], 16, 32)
		b.WriteRune(rune(r))
		i += n - 1
		if i+1 < len(v) && strings.IndexByte(" \t\n\f\r", v[i+1]) >= 0 {
			i++ // the white space that ends a hex escape
		}
	}
	return b.String(), nil
}
