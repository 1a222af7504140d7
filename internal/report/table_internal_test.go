package report

import (
	"strings"
	"testing"
	"time"
)

// A row of any height is set: one that fits a page starts a new page once
// at most, and a taller one is split, so the table always ends, in either
// orientation and wherever on the page it starts (a row that moved on
// forever once filled memory with pages).
func TestTableRowsOfEveryHeight(t *testing.T) {
	cols := []column{{"Fält", 40, "L"}, {"Före", 60, "L"}, {"Efter", 70, "L"}}
	for _, orient := range []string{"P", "L"} {
		for lines := 1; lines <= 160; lines += 3 {
			for _, start := range []float64{20, 150, 250} {
				d := newDoc(meta{Title: "T", Lang: "sv", Now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
				d.orient = orient
				d.next()
				d.pdf.SetY(start)
				before := d.pdf.PageCount()
				cell := strings.TrimSuffix(strings.Repeat("rad\n", lines), "\n")
				d.table(cols, [][]string{{"a", cell, cell}, {"b", "kort", "kort"}}, tableOpts{})
				if added := d.pdf.PageCount() - before; added > 2+lines/20 {
					t.Fatalf("%s, %d lines from y %v: %d pages added", orient, lines, start, added)
				}
			}
		}
	}
}
