// Package mediatype gives the media type of a web asset by its file name,
// from one fixed table, so that a server and a publish send the same
// Content-Type on every machine, whatever MIME tables its host has (a
// scratch or distroless container has none; Debian's give .ts and .otf
// types no browser wants).
package mediatype

import (
	"path"
	"strings"
)

// Default is the media type of a name whose extension is not in the table.
const Default = "application/octet-stream"

// types maps a lower-case extension to its media type. Text types name
// their charset, UTF-8, as Go's built-in table does.
var types = map[string]string{
	// Documents, styles and scripts.
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".cjs":         "text/javascript; charset=utf-8",
	".map":         "application/json",
	".json":        "application/json",
	".jsonld":      "application/ld+json",
	".webmanifest": "application/manifest+json",
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".xml":         "text/xml; charset=utf-8",
	".atom":        "application/atom+xml",
	".rss":         "application/rss+xml",
	".vtt":         "text/vtt; charset=utf-8",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
	".zip":         "application/zip",
	// Images.
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".apng": "image/apng",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".ico":  "image/vnd.microsoft.icon",
	".bmp":  "image/bmp",
	// Fonts.
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	".eot":   "application/vnd.ms-fontobject",
	// Audio and video. ".ts" is an MPEG transport stream, the segments of
	// HLS video; browsers do not run TypeScript.
	".mp4":  "video/mp4",
	".webm": "video/webm",
	".ogv":  "video/ogg",
	".ts":   "video/mp2t",
	".m3u8": "application/vnd.apple.mpegurl",
	".mp3":  "audio/mpeg",
	".m4a":  "audio/mp4",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/ogg",
	".wav":  "audio/wav",
	".flac": "audio/flac",
}

// Of returns the media type of the file name, by its extension in any
// case: the table's, or Default.
func Of(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return Default
}
