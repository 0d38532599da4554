package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/cachebust/cachebust/internal/rewrite"
)

// metafile is the part of an esbuild metafile (esbuild --metafile) that
// lists the imports esbuild's parser found in each input.
type metafile struct {
	Inputs map[string]struct {
		Imports []struct {
			Path     string `json:"path"`
			Kind     string `json:"kind"`
			Original string `json:"original"`
		} `json:"imports"`
	} `json:"inputs"`
}

// esbuildImports returns, for every input of the esbuild metafile data, the
// sorted specifiers of its import and export declarations and dynamic
// imports, as written.
func esbuildImports(data []byte) (map[string][]string, error) {
	var m metafile
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("esbuild metafile: %w", err)
	}
	specs := make(map[string][]string, len(m.Inputs))
	for name, in := range m.Inputs {
		var s []string
		for _, imp := range in.Imports {
			p := imp.Path
			if imp.Original != "" {
				p = imp.Original
			}
			if (imp.Kind == "import-statement" || imp.Kind == "dynamic-import") && p != "<runtime>" {
				s = append(s, p)
			}
		}
		slices.Sort(s)
		specs[name] = s
	}
	return specs, nil
}

// crossCheck compares the module specifiers rewrite.FindJS finds in every
// file of out that imports names with those esbuild found, reporting each
// file where they differ. It returns how many files and specifiers it
// compared and how many files differed.
func crossCheck(out fs.FS, imports map[string][]string, report func(string)) (files, specifiers, differ int, err error) {
	for _, name := range slices.Sorted(maps.Keys(imports)) {
		src, err := fs.ReadFile(out, name)
		if err != nil {
			return files, specifiers, differ, err
		}
		var ours []string
		for _, r := range rewrite.FindJS(src) {
			if r.Kind == rewrite.Module {
				ours = append(ours, r.URL)
			}
		}
		slices.Sort(ours)
		files++
		specifiers += len(imports[name])
		if !slices.Equal(ours, imports[name]) {
			differ++
			report(fmt.Sprintf("%s: module specifiers %q, esbuild finds %q", name, ours, imports[name]))
		}
	}
	return files, specifiers, differ, nil
}
