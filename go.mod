module github.com/cachebust/cachebust

go 1.25.0

require (
	github.com/CloudyKit/jet/v6 v6.3.3
	github.com/andybalholm/brotli v1.2.8
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/flosch/pongo2/v6 v6.0.0
	github.com/gofiber/fiber/v2 v2.52.15
	github.com/gofiber/fiber/v3 v3.1.0
	github.com/gofiber/template v1.8.3
	github.com/gofiber/template/ace/v2 v2.1.8
	github.com/gofiber/template/amber/v2 v2.1.8
	github.com/gofiber/template/django/v3 v3.1.14
	github.com/gofiber/template/handlebars/v2 v2.1.12
	github.com/gofiber/template/html/v2 v2.1.3
	github.com/gofiber/template/jet/v2 v2.1.13
	github.com/gofiber/template/mustache/v2 v2.0.14
	github.com/gofiber/template/pug/v2 v2.1.9
	github.com/gofiber/template/slim/v2 v2.1.8
	github.com/mailgun/raymond/v2 v2.0.48
	github.com/mattn/go-slim v0.0.4
	github.com/valyala/fasthttp v1.69.0
	golang.org/x/sys v0.41.0
	golang.org/x/term v0.40.0
)

require (
	github.com/CloudyKit/fastprinter v0.0.0-20200109182630-33d98a066a53 // indirect
	github.com/Joker/hpp v1.0.0 // indirect
	github.com/Joker/jade v1.1.3 // indirect
	github.com/cbroglie/mustache v1.4.0 // indirect
	github.com/eknkc/amber v0.0.0-20171010120322-cdade1c07385 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/gofiber/schema v1.7.0 // indirect
	github.com/gofiber/utils v1.1.0 // indirect
	github.com/gofiber/utils/v2 v2.0.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/klauspost/compress v1.18.4 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-runewidth v0.0.16 // indirect
	github.com/philhofer/fwd v1.2.0 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/sirupsen/logrus v1.8.1 // indirect
	github.com/tinylib/msgp v1.6.3 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/yosssi/ace v0.0.5 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/net v0.50.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)
