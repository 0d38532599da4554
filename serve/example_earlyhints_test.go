package serve_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/earlyhints/hintstest"
	"github.com/cachebust/cachebust/serve"
)

// Announce the assets of a page in a 103 Early Hints response, sent
// before the page handler runs: the entry module and the modules it
// imports, its stylesheet and a font. The Link header stays on the page's
// response.
func ExampleEarlyHints() {
	r, err := core.New(hintstest.Manifest("1a2b"), core.Options{Prefix: "/static/"})
	if err != nil {
		log.Fatal(err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.WriteString(w, "<!DOCTYPE html>") // a template with asset_entry "js/app.js" …
	})
	hints := serve.EarlyHints(r, "js/app.js", "css/app.css", "fonts/f.woff2")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", hints(page))

	srv := httptest.NewServer(mux)
	defer srv.Close()
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		fmt.Println(code, len(h.Values("Link")), "Link values")
		for _, v := range h.Values("Link") {
			fmt.Println("  " + v)
		}
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", srv.URL, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, len(res.Header.Values("Link")), "Link values")
	// Output:
	// 103 4 Link values
	//   </static/js/app.1a2b.js>; rel=modulepreload; integrity="sha384-APP"
	//   </static/js/util.1a2b.js>; rel=modulepreload
	//   </static/css/app.1a2b.css>; rel=preload; as=style
	//   </static/fonts/f.1a2b.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin
	// 200 4 Link values
}
