module github.com/cachebust/cachebust

go 1.25
