package perf_test

import (
	"testing"

	"github.com/cachebust/cachebust/internal/perf"
)

func TestTable(t *testing.T) {
	tab := perf.Table{Header: []string{"tree", "ms:"}}
	tab.Add("a|b", "1.0")
	tab.Add("c", "22.5")
	want := "| tree | ms |\n| --- | ---: |\n| a\\|b | 1.0 |\n| c | 22.5 |\n"
	if got := tab.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestSplice(t *testing.T) {
	doc := "# Report\n\n<!-- BEGIN a -->\nold a\n<!-- END a -->\n\ntext\n\n<!-- BEGIN b -->\nold b\n<!-- END b -->\n"
	for _, tt := range []struct {
		name, doc, section, body, want string
	}{
		{"replaces one section", doc, "a", "new a\n",
			"# Report\n\n<!-- BEGIN a -->\nnew a\n<!-- END a -->\n\ntext\n\n<!-- BEGIN b -->\nold b\n<!-- END b -->\n"},
		{"leaves text outside alone", doc, "b", "",
			"# Report\n\n<!-- BEGIN a -->\nold a\n<!-- END a -->\n\ntext\n\n<!-- BEGIN b -->\n<!-- END b -->\n"},
		{"appends a missing section", "# Report\n", "c", "c\n",
			"# Report\n\n<!-- BEGIN c -->\nc\n<!-- END c -->\n"},
		{"starts an empty document", "", "c", "c\n", "<!-- BEGIN c -->\nc\n<!-- END c -->\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := perf.Splice(tt.doc, tt.section, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Splice(%q) =\n%s\nwant\n%s", tt.section, got, tt.want)
			}
		})
	}
	if _, err := perf.Splice("<!-- BEGIN a -->\nx\n", "a", "y\n"); err == nil {
		t.Error("Splice of a section without its END marker: no error")
	}
}
