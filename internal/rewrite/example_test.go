package rewrite_test

import (
	"fmt"
	"path"

	"github.com/cachebust/cachebust/internal/rewrite"
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

// Rewriting the module specifiers of a script: relative and root-relative
// ones that name files of the build change, bare ones and full URLs stay.
func ExampleFindJS() {
	src := []byte(`import { html } from "lit";
import { format } from "./format.js";
export * from '../shared/icons.js';
const page = await import("./pages/home.js");
const logo = new URL("../img/logo.svg", import.meta.url);
const re = /import\("\.\/not-a-module\.js"\)/; // import "./not-this-either.js"
import "https://cdn.example/analytics.js"; //# sourceMappingURL=app.js.map
`)
	hashed := map[string]string{
		"js/format.js":     "js/format-2c26b46b.js",
		"shared/icons.js":  "shared/icons-fcde2b2e.js",
		"js/pages/home.js": "js/pages/home-b5bb9d80.js",
		"img/logo.svg":     "img/logo-7d865e95.svg",
		"js/app.js.map":    "js/app.js-d3b07384.map",
	}
	const from = "js/app.js"
	out := rewrite.Rewrite(src, rewrite.FindJS(src), func(r rewrite.Ref) (string, bool) {
		target, _, ok, err := r.Resolve(from, "/static/")
		if err != nil || !ok {
			return "", false
		}
		h, found := hashed[target]
		return path.Base(h), found
	})
	fmt.Print(string(out))
	// Output:
	// import { html } from "lit";
	// import { format } from "./format-2c26b46b.js";
	// export * from '../shared/icons-fcde2b2e.js';
	// const page = await import("./pages/home-b5bb9d80.js");
	// const logo = new URL("../img/logo-7d865e95.svg", import.meta.url);
	// const re = /import\("\.\/not-a-module\.js"\)/; // import "./not-this-either.js"
	// import "https://cdn.example/analytics.js"; //# sourceMappingURL=app.js-d3b07384.map
}
