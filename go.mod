module github.com/cachebust/cachebust

go 1.25

require (
	github.com/CloudyKit/jet/v6 v6.3.3
	github.com/flosch/pongo2/v6 v6.0.0
)

require github.com/CloudyKit/fastprinter v0.0.0-20200109182630-33d98a066a53 // indirect
