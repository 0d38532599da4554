package rewrite

import "bytes"

// FindSourceMap returns the "file" of a source map: the string value of
// every "file" member of its top-level JSON object, which names the
// generated file the map belongs to. Nothing else in a map is reported:
// "sources" and "sourceRoot" name the original sources, which a build
// does not rename. The ")]}'" line a map may start with is skipped.
// Malformed JSON ends the search; FindSourceMap never fails.
func FindSourceMap(src []byte) []Ref {
	i := 0
	if bytes.HasPrefix(src, []byte(")]}")) {
		i = lineEnd(src, 0)
	}
	i = skipJSONSpace(src, i)
	if i >= len(src) || src[i] != '{' {
		return nil
	}
	var refs []Ref
	for i = skipJSONSpace(src, i+1); i < len(src) && src[i] == '"'; {
		keyEnd, ok := jsonStringEnd(src, i)
		if !ok {
			break
		}
		key := decodeJS(string(src[i+1 : keyEnd-1]))
		i = skipJSONSpace(src, keyEnd)
		if i >= len(src) || src[i] != ':' {
			break
		}
		i = skipJSONSpace(src, i+1)
		if key == "file" && i < len(src) && src[i] == '"' {
			if end, ok := jsonStringEnd(src, i); ok {
				raw := string(src[i+1 : end-1])
				refs = append(refs, Ref{Start: i + 1, End: end - 1, Raw: raw, URL: decodeJS(raw), Kind: MapFile, Quote: '"'})
			}
		}
		i = skipJSONSpace(src, jsonValueEnd(src, i))
		if i >= len(src) || src[i] != ',' {
			break
		}
		i = skipJSONSpace(src, i+1)
	}
	lines := lineCounter{src: src, line: 1}
	for k := range refs {
		refs[k].Line = lines.at(refs[k].Start)
	}
	return refs
}

func skipJSONSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// jsonStringEnd returns the offset after the JSON string whose quote is at
// src[i]; ok is false, and end is len(src), if it is not closed.
//
// Source maps are mostly long strings ("mappings", "sourcesContent"), so
// it looks for each quote with bytes.IndexByte, many bytes at a time: a
// quote closes the string unless an odd number of backslashes precede it.
func jsonStringEnd(src []byte, i int) (end int, ok bool) {
	for j := i + 1; ; {
		k := bytes.IndexByte(src[j:], '"')
		if k < 0 {
			return len(src), false
		}
		q := j + k
		escaped := false
		for p := q - 1; p > i && src[p] == '\\'; p-- {
			escaped = !escaped
		}
		if !escaped {
			return q + 1, true
		}
		j = q + 1
	}
}

// jsonValueEnd returns the offset after the JSON value starting at src[i]:
// a string, an object or array with everything in it, or a scalar up to
// the next ",", "}" or "]".
func jsonValueEnd(src []byte, i int) int {
	depth := 0
	for i < len(src) {
		switch src[i] {
		case '"':
			i, _ = jsonStringEnd(src, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}
