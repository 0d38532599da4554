// Package rewrite finds asset references in CSS, JavaScript and source maps
// and rewrites them byte-exactly.
//
// In rename mode a build copies css/app.css to css/app-<hash>.css beside the
// original. References inside the copy must then point at the hashed names of
// the assets they reference. This package finds those references, resolves
// them to logical asset paths and replaces their file names. It knows nothing
// about hashing or manifests: the caller supplies the new names.
//
// # Finding references
//
// [FindCSS] runs a tokenizer that follows CSS Syntax Level 3, so it reports
// url() values (quoted or not, in any case), the strings of image-set() and
// -webkit-image-set(), the URL of every @import form and the URL of a
// /*# sourceMappingURL=... */ comment, and nothing inside other comments,
// ordinary strings or escaped identifiers. [FindJS] runs a JavaScript
// tokenizer that knows strings, template literals, comments and
// regular-expression literals, and reports module specifiers (import and
// export declarations, and import() with a string literal, which
// [Ref.Dynamic] tells apart), the string of
// new URL("...", import.meta.url) and sourceMappingURL comments wherever a
// comment may stand. [FindSourceMap] reports the "file" of a source map.
// [Find] picks one of the three by file extension, and [Scans] says which
// files it reads.
//
// # Resolving references
//
// [Resolve] turns the URL of a reference into a slash-separated path relative
// to the asset root, or reports that the reference does not name a local
// asset (it has a scheme, is protocol-relative, is a bare fragment, or is
// root-relative outside the URL prefix). [Ref.Resolve] does the same for a
// reference, and also leaves bare module specifiers ("lit") alone, which
// only an import map resolves.
//
// # Rewriting
//
// [Rewrite] replaces only the last path segment of each reference with the new
// name the caller returns, keeping the directory part, the query, the fragment
// and the quotes exactly as written. Every other byte is copied unchanged.
//
// Typical use:
//
//	refs := rewrite.Find("css/app.css", src)
//	out := rewrite.Rewrite(src, refs, func(r rewrite.Ref) (string, bool) {
//		target, _, ok, err := r.Resolve("css/app.css", "/static/")
//		if err != nil || !ok {
//			return "", false
//		}
//		hashed, found := manifest[target]
//		if !found {
//			return "", false
//		}
//		return path.Base(hashed), true
//	})
package rewrite
