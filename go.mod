module github.com/cachebust/cachebust

go 1.25

require github.com/flosch/pongo2/v6 v6.0.0
