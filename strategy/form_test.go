package strategy_test

import (
	"path"
	"strings"
	"testing"

	"github.com/cachebust/cachebust/internal/hexdigest"
	"github.com/cachebust/cachebust/strategy"
)

func TestRename(t *testing.T) {
	tests := []struct {
		name, in, hash, want string
	}{
		{"WithExt", "main.css", "3f2a9c1b", "main-3f2a9c1b.css"},
		{"WithDir", "css/main.css", "3f2a9c1b", "css/main-3f2a9c1b.css"},
		{"NoExt", "LICENSE", "3f2a9c1b", "LICENSE-3f2a9c1b"},
		{"NoExtWithDir", "docs/LICENSE", "ab", "docs/LICENSE-ab"},
		{"MultipleExt", "js/app.min.js", "00ff", "js/app.min-00ff.js"},
		{"TarGz", "dist/x.tar.gz", "abc", "dist/x.tar-abc.gz"},
		{"DotInDir", "v1.2/app", "abc", "v1.2/app-abc"},
		{"DotInDirWithExt", "v1.2/app.js", "abc", "v1.2/app-abc.js"},
		{"DashInName", "x-1a2b3c4d.css", "ff", "x-1a2b3c4d-ff.css"},
		{"TrailingDash", "a-.css", "ff", "a--ff.css"},
		{"Dotfile", "dir/.htaccess", "ff", "dir/-ff.htaccess"},
		{"Spaces", "img/my photo.jpg", "ff", "img/my photo-ff.jpg"},
	}
	var r strategy.Rename
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Format(tt.in, tt.hash); got != tt.want {
				t.Errorf("Format(%q, %q) = %q, want %q", tt.in, tt.hash, got, tt.want)
			}
			if got := r.File(tt.in, tt.hash); got != tt.want {
				t.Errorf("File(%q, %q) = %q, want %q", tt.in, tt.hash, got, tt.want)
			}
			name, hash, ok := r.Parse(tt.want)
			if !ok || name != tt.in || hash != tt.hash {
				t.Errorf("Parse(%q) = %q, %q, %v, want %q, %q, true", tt.want, name, hash, ok, tt.in, tt.hash)
			}
		})
	}
}

func TestRenameParseRejects(t *testing.T) {
	for _, s := range []string{
		"main.css",          // no dash
		"main-.css",         // empty hash
		"main-XYZ.css",      // not hex
		"main-3F2A.css",     // upper case is not what Format makes
		"a-b/main.css",      // the dash is in a directory
		"css/main-3f2a.x/y", // the dash is in a directory
		"",
	} {
		if name, hash, ok := (strategy.Rename{}).Parse(s); ok {
			t.Errorf("Parse(%q) = %q, %q, true, want false", s, name, hash)
		}
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		name, param, in, hash, want string
	}{
		{"Param", "v", "css/main.css", "3f2a9c1b", "css/main.css?v=3f2a9c1b"},
		{"Bare", "", "slider/title-img-01.jpg", "5849f6f0", "slider/title-img-01.jpg?5849f6f0"},
		{"LongParam", "version", "a.js", "ab", "a.js?version=ab"},
		{"QuestionMarkInName", "v", "a?v=b.css", "ab", "a?v=b.css?v=ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := strategy.Query{Param: tt.param}
			if got := q.Format(tt.in, tt.hash); got != tt.want {
				t.Errorf("Format(%q, %q) = %q, want %q", tt.in, tt.hash, got, tt.want)
			}
			if got := q.File(tt.in, tt.hash); got != tt.in {
				t.Errorf("File(%q, %q) = %q, want %q", tt.in, tt.hash, got, tt.in)
			}
			name, hash, ok := q.Parse(tt.want)
			if !ok || name != tt.in || hash != tt.hash {
				t.Errorf("Parse(%q) = %q, %q, %v, want %q, %q, true", tt.want, name, hash, ok, tt.in, tt.hash)
			}
		})
	}
	for _, s := range []string{"main.css", "main.css?v=", "main.css?v=zz", "main.css?w=ab"} {
		if _, _, ok := (strategy.Query{Param: "v"}).Parse(s); ok {
			t.Errorf("Query{v}.Parse(%q) ok, want false", s)
		}
	}
}

func TestFormByName(t *testing.T) {
	tests := []struct {
		in       string
		wantName string
		wantErr  bool
	}{
		{"rename", "rename", false},
		{"query", "query", false},
		{"query:v", "query", false},
		{"query:", "query:", false},
		{"query:ver", "query:ver", false},
		{"query:a=b", "", true},
		{"hashed", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		f, err := strategy.FormByName(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("FormByName(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && f.Name() != tt.wantName {
			t.Errorf("FormByName(%q).Name() = %q, want %q", tt.in, f.Name(), tt.wantName)
		}
	}
}

// FuzzFormRoundTrip checks that Parse undoes Format for every form, and that
// Format undoes Parse whenever Parse accepts.
func FuzzFormRoundTrip(f *testing.F) {
	for _, s := range []string{"css/main.css", "LICENSE", "v1.2/app", "a-.css", "x.tar.gz", "a?v=b", ".htaccess", "ü/π.svg"} {
		f.Add(s, "3f2a9c1b")
	}
	forms := []strategy.Form{strategy.Rename{}, strategy.Query{Param: "v"}, strategy.Query{}}
	f.Fuzz(func(t *testing.T, name, hash string) {
		for _, form := range forms {
			if hexdigest.Valid(hash) && name != "" && path.Clean(name) == name && !strings.HasPrefix(name, "/") {
				s := form.Format(name, hash)
				gotName, gotHash, ok := form.Parse(s)
				if !ok || gotName != name || gotHash != hash {
					t.Fatalf("%s: Parse(Format(%q, %q)) = %q, %q, %v", form.Name(), name, hash, gotName, gotHash, ok)
				}
			}
			if n, h, ok := form.Parse(name); ok {
				if got := form.Format(n, h); got != name {
					t.Fatalf("%s: Format(Parse(%q)) = %q", form.Name(), name, got)
				}
			}
		}
	})
}
