package rewrite_test

import (
	"fmt"
	"path"

	"github.com/cachebust/cachebust/build/rewrite"
)

func Example() {
	src := []byte(`@import "base.css" screen;
.logo { background: url(../img/logo.png) no-repeat; }
.icon { background: url("data:image/svg+xml,%3csvg%3e%3c/svg%3e"); }
@font-face { src: url('../fonts/icons.woff2?v=3#x') format("woff2"); }
/*# sourceMappingURL=app.css.map */
`)
	hashed := map[string]string{
		"css/base.css":      "css/base-5d41402a.css",
		"img/logo.png":      "img/logo-7d793037.png",
		"fonts/icons.woff2": "fonts/icons-0cc175b9.woff2",
		"css/app.css.map":   "css/app-92eb5ffe.css.map",
	}
	const from = "css/app.css"
	refs := rewrite.Find(from, src)
	out := rewrite.Rewrite(src, refs, func(r rewrite.Ref) (string, bool) {
		target, _, ok, err := rewrite.Resolve(from, r.URL, "/static/")
		if err != nil {
			fmt.Printf("%s:%d: %v\n", from, r.Line, err)
		}
		if !ok {
			return "", false
		}
		h, found := hashed[target]
		if !found {
			fmt.Printf("%s:%d: missing reference %s (resolved %s)\n", from, r.Line, r.Raw, target)
			return "", false
		}
		return path.Base(h), true
	})
	fmt.Print(string(out))
	// Output:
	// @import "base-5d41402a.css" screen;
	// .logo { background: url(../img/logo-7d793037.png) no-repeat; }
	// .icon { background: url("data:image/svg+xml,%3csvg%3e%3c/svg%3e"); }
	// @font-face { src: url('../fonts/icons-0cc175b9.woff2?v=3#x') format("woff2"); }
	// /*# sourceMappingURL=app-92eb5ffe.css.map */
}
