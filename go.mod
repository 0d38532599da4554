module github.com/cachebust/cachebust

go 1.25

require (
	github.com/andybalholm/brotli v1.2.8
	golang.org/x/sys v0.41.0
)
