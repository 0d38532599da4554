package generations_test

import (
	"reflect"
	"testing"

	"github.com/cachebust/cachebust/core"
	"github.com/cachebust/cachebust/internal/generations"
)

func asset(file, hash string) core.Asset { return core.Asset{File: file, Hash: hash} }

func TestKept(t *testing.T) {
	m := &core.Manifest{Assets: map[string]core.Asset{
		"a.css": asset("a-3333.css", "3333"),
		"b.js":  asset("b-bbbb.js", "bbbb"),
	}}
	old := &core.Manifest{
		Assets: map[string]core.Asset{
			"a.css":   asset("a-2222.css", "2222"),
			"b.js":    asset("b-bbbb.js", "bbbb"), // m has it still
			"x.txt":   asset("x.txt", "cccc"),     // served at its own name
			"gone.js": asset("gone-dddd.js", "dddd"),
		},
		Generations: []core.Generation{
			{Assets: map[string]core.Asset{"a.css": asset("a-1111.css", "1111"), "b.js": asset("b-bbbb.js", "bbbb")}},
			{Assets: map[string]core.Asset{"a.css": asset("a-2222.css", "2222")}}, // old's build has it
			{Assets: map[string]core.Asset{"a.css": asset("a-0000.css", "0000")}},
		},
	}
	gen := func(assets map[string]core.Asset) core.Generation { return core.Generation{Assets: assets} }
	all := []core.Generation{
		gen(map[string]core.Asset{"a.css": asset("a-2222.css", "2222"), "gone.js": asset("gone-dddd.js", "dddd")}),
		gen(map[string]core.Asset{"a.css": asset("a-1111.css", "1111")}),
		gen(map[string]core.Asset{"a.css": asset("a-0000.css", "0000")}),
	}
	for _, tt := range []struct {
		name string
		old  *core.Manifest
		keep int
		want []core.Generation
	}{
		{"NoOld", nil, 2, nil},
		{"KeepNone", old, 0, nil},
		{"KeepOne", old, 1, all[:1]},
		{"KeepTwo", old, 2, all[:2]},
		{"KeepAll", old, 5, all},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := generations.Kept(m, tt.old, tt.keep); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Kept(keep %d) = %+v, want %+v", tt.keep, got, tt.want)
			}
		})
	}
}

// A kept asset keeps no edges of the graph: only the current build renders
// pages.
func TestKeptDropsGraph(t *testing.T) {
	m := &core.Manifest{Assets: map[string]core.Asset{"a.js": asset("a-2222.js", "2222")}}
	a := asset("a-1111.js", "1111")
	a.Imports, a.Refs, a.CSS = []string{"b.js"}, []string{"f.woff2"}, []string{"a.css"}
	old := &core.Manifest{Assets: map[string]core.Asset{"a.js": a}}
	want := []core.Generation{{Assets: map[string]core.Asset{"a.js": asset("a-1111.js", "1111")}}}
	if got := generations.Kept(m, old, 1); !reflect.DeepEqual(got, want) {
		t.Errorf("Kept = %+v, want %+v", got, want)
	}
	if len(old.Assets["a.js"].Imports) != 1 {
		t.Errorf("Kept changed the old manifest")
	}
}
