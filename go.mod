module github.com/cachebust/cachebust

go 1.25

require github.com/andybalholm/brotli v1.2.8
