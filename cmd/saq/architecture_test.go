package main

import (
	"flag"
	"fmt"
	gobuild "go/build"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updatePicture = flag.Bool("update-architecture", false, "redraw docs/architecture.svg from the package graph")

const module = "github.com/regionerna/saq/"

// packageGraph reads which of the module's packages each imports, from
// their source (tests and test helpers left out): the real graph.
func packageGraph(t *testing.T, root string) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	for _, top := range []string{"cmd", "internal", "questionnaires", "templates"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			p, err := gobuild.ImportDir(path, 0)
			if err != nil {
				return nil // no Go files here
			}
			name := strings.TrimPrefix(p.ImportPath, module)
			if p.ImportPath == "." {
				rel, _ := filepath.Rel(root, path)
				name = filepath.ToSlash(rel)
			}
			if strings.HasSuffix(name, "test") || strings.Contains(name, "testsuite") || strings.Contains(name, "/sample") || strings.Contains(name, "/pdfcheck") {
				return nil // helpers only tests import
			}
			graph[name] = []string{}
			for _, imp := range p.Imports {
				if strings.HasPrefix(imp, module) {
					graph[name] = append(graph[name], strings.TrimPrefix(imp, module))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return graph
}

// drawGraph lays the packages out in rows, each package below everything
// that imports it, and draws an arrow for every import.
func drawGraph(graph map[string][]string) string {
	depth := map[string]int{}
	var height func(p string) int
	height = func(p string) int {
		if d, ok := depth[p]; ok {
			return d
		}
		d := 0
		for _, q := range graph[p] {
			d = max(d, height(q)+1)
		}
		depth[p] = d
		return d
	}
	top := 0
	for p := range graph {
		top = max(top, height(p))
	}
	rows := make([][]string, top+1)
	for p, d := range depth {
		if strings.HasPrefix(p, "cmd/") {
			d = top // the commands on top, whatever they import
		}
		rows[top-d] = append(rows[top-d], p)
	}
	const boxW, boxH, gapX, gapY, margin = 170, 30, 14, 70, 20
	width := 0
	for _, r := range rows {
		slices.Sort(r)
		width = max(width, len(r)*(boxW+gapX)-gapX)
	}
	width += 2 * margin
	at := map[string][2]int{}
	for i, r := range rows {
		rowW := len(r)*(boxW+gapX) - gapX
		for j, p := range r {
			at[p] = [2]int{margin + (width-2*margin-rowW)/2 + j*(boxW+gapX), margin + i*(boxH+gapY)}
		}
	}
	h := margin*2 + len(rows)*(boxH+gapY) - gapY
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n", width, h, width, h)
	b.WriteString(`<title>The packages of the SAQ service and what imports what</title>` + "\n")
	b.WriteString(`<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#667"/></marker></defs>` + "\n")
	names := make([]string, 0, len(graph))
	for p := range graph {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		for _, q := range graph[p] {
			from, to := at[p], at[q]
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#99a" marker-end="url(#a)"/>`+"\n",
				from[0]+boxW/2, from[1]+boxH, to[0]+boxW/2, to[1])
		}
	}
	for _, p := range names {
		xy := at[p]
		fill := "#e8f0f8"
		switch {
		case strings.HasPrefix(p, "cmd/"):
			fill = "#fde8c8"
		case !strings.HasPrefix(p, "internal/"):
			fill = "#eeeeee" // data: questionnaires, templates
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="5" fill="%s" stroke="#556"/>`+"\n", xy[0], xy[1], boxW, boxH, fill)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", xy[0]+boxW/2, xy[1]+20, html.EscapeString(strings.TrimPrefix(p, "internal/")))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// The architecture picture in the README is the real package graph: a
// package added, removed or importing another shows here until it is
// redrawn (go test ./cmd/saq -run Architecture -update-architecture).
func TestArchitecturePicture(t *testing.T) {
	root, _ := filepath.Abs("../..")
	got := drawGraph(packageGraph(t, root))
	file := filepath.Join(root, "docs", "architecture.svg")
	if *updatePicture {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil || string(want) != got {
		t.Errorf("docs/architecture.svg is not the package graph; redraw it with -update-architecture (%v)", err)
	}
	// The layering the code keeps: the domain imports neither the web nor the store.
	graph := packageGraph(t, root)
	for _, domain := range []string{"internal/assessment", "internal/scoring", "internal/questionnaire", "internal/org"} {
		for _, imp := range graph[domain] {
			if imp == "internal/web" || imp == "internal/store" {
				t.Errorf("%s imports %s", domain, imp)
			}
		}
	}
}
