package perf

import (
	"fmt"
	"strings"
)

// Table is a Markdown table.
type Table struct {
	// Header names the columns. A name ending in ":" is right-aligned
	// (the colon is not printed), for numbers.
	Header []string
	// Rows holds the cells, each row as long as Header.
	Rows [][]string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// String returns the table in Markdown, with a newline after each line.
// A "|" in a cell is escaped.
func (t *Table) String() string {
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`) + " |")
		}
		b.WriteString("\n")
	}
	names := make([]string, len(t.Header))
	rule := make([]string, len(t.Header))
	for i, h := range t.Header {
		names[i], rule[i] = h, "---"
		if n, ok := strings.CutSuffix(h, ":"); ok {
			names[i], rule[i] = n, "---:"
		}
	}
	row(names)
	b.WriteString("|")
	for _, r := range rule {
		b.WriteString(" " + r + " |")
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	return b.String()
}

// Splice returns doc with the text between the lines "<!-- BEGIN name -->"
// and "<!-- END name -->" replaced by body, so that one section of a
// report can be regenerated alone. A section doc lacks is appended, with
// its markers, after a blank line. body should end in a newline.
func Splice(doc, name, body string) (string, error) {
	begin, end := "<!-- BEGIN "+name+" -->\n", "<!-- END "+name+" -->\n"
	i := strings.Index(doc, begin)
	if i < 0 {
		if doc != "" && !strings.HasSuffix(doc, "\n\n") {
			doc = strings.TrimRight(doc, "\n") + "\n\n"
		}
		return doc + begin + body + end, nil
	}
	j := strings.Index(doc[i+len(begin):], end)
	if j < 0 {
		return "", fmt.Errorf("section %s: %q without %q", name, strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	j += i + len(begin)
	return doc[:i+len(begin)] + body + doc[j:], nil
}
