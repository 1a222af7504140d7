// Package chart draws the figures' charts as SVG on the server, so they
// need no script: stacked bars (a funnel when centred) and lines over time.
// Every chart comes with its numbers as a table, for screen readers and
// for anyone who would rather read them, and every bar and line leads to
// the list behind it. Colours are never alone: each part carries its
// label or count in text, and lines differ in dash and marker too.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
)

// Part is one part of a bar, or one series of a line chart: what it
// counts, its short label inside the bar, where its list is, and its
// colour (a class of the style sheet: c-green, c-yellow, c-red, c-brand,
// c-grey).
type Part struct {
	Label, Short, Href, Class string
}

// Bar is one row: its label, its list, and a count for each of the
// chart's parts.
type Bar struct {
	Label, Href string
	Values      []int
}

// Bars is a chart of horizontal bars, each split into the parts.
type Bars struct {
	ID, Title string
	Parts     []Part
	Rows      []Bar
	Funnel    bool   // centre the bars, for stages that narrow
	Table     string // the summary of the table's disclosure, in the reader's language
	Empty     string // said instead of a chart without counts
}

const (
	width  = 480.0 // narrow, so that its text stays legible when a phone scales it down
	rowH   = 48.0  // a row's label above its bar, so long names are never cut
	labelH = 18.0
	barH   = 22.0
)

// HTML is the chart, its legend and its table.
func (b Bars) HTML() template.HTML {
	var w strings.Builder
	fmt.Fprintf(&w, `<figure class="chart" id="%s"><figcaption>%s</figcaption>`, esc(b.ID), esc(b.Title))
	most := 0
	for _, r := range b.Rows {
		most = max(most, sum(r.Values))
	}
	if most == 0 {
		fmt.Fprintf(&w, `<p class="muted">%s</p></figure>`, esc(b.Empty))
		return template.HTML(w.String())
	}
	if len(b.Parts) > 1 {
		legend(&w, b.Parts)
	}
	h := rowH*float64(len(b.Rows)) + 4
	fmt.Fprintf(&w, `<svg class="bars" viewBox="0 0 %.0f %.0f" width="100%%" role="group" aria-labelledby="%s-t"><title id="%s-t">%s</title>`,
		width, h, esc(b.ID), esc(b.ID), esc(b.Title))
	scale := (width - 40) / float64(most)
	for i, r := range b.Rows {
		y := float64(i)*rowH + 2
		total := sum(r.Values)
		fmt.Fprintf(&w, `<a href="%s" aria-label="%s: %d"><text class="label" x="0" y="%.1f">%s</text></a>`,
			esc(r.Href), esc(r.Label), total, y+labelH-4, esc(clip(r.Label, 60)))
		y += labelH
		x := 0.0
		if b.Funnel {
			x = (width - 40 - float64(total)*scale) / 2
		}
		for k, v := range r.Values {
			if v == 0 {
				continue
			}
			p := b.Parts[k]
			bw := float64(v) * scale
			href := r.Href
			if p.Href != "" {
				href = joinQuery(r.Href, p.Href)
			}
			text := strconv.Itoa(v)
			if p.Short != "" && bw > 60 {
				text = p.Short + " " + text
			}
			fmt.Fprintf(&w, `<a href="%s" aria-label="%s, %s: %d"><rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.0f"><title>%s, %s: %d</title></rect>`,
				esc(href), esc(r.Label), esc(p.Label), v, esc(p.Class), x, y, bw, barH, esc(r.Label), esc(p.Label), v)
			if bw >= 18 {
				fmt.Fprintf(&w, `<text class="in %s" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, esc(p.Class), x+bw/2, y+barH/2+5, esc(text))
			}
			w.WriteString(`</a>`)
			x += bw
		}
		if !b.Funnel || len(b.Parts) == 1 {
			fmt.Fprintf(&w, `<text class="total" x="%.1f" y="%.1f">%d</text>`, x+6, y+barH/2+5, total)
		}
	}
	w.WriteString(`</svg>`)
	b.table(&w)
	w.WriteString(`</figure>`)
	return template.HTML(w.String())
}

func (b Bars) table(w *strings.Builder) {
	fmt.Fprintf(w, `<details><summary>%s</summary><table><thead><tr><th scope="col">%s</th>`, esc(b.Table), esc(b.Title))
	for _, p := range b.Parts {
		fmt.Fprintf(w, `<th scope="col">%s</th>`, esc(p.Label))
	}
	w.WriteString(`</tr></thead><tbody>`)
	for _, r := range b.Rows {
		fmt.Fprintf(w, `<tr><th scope="row"><a href="%s">%s</a></th>`, esc(r.Href), esc(r.Label))
		for k, v := range r.Values {
			href := r.Href
			if b.Parts[k].Href != "" {
				href = joinQuery(r.Href, b.Parts[k].Href)
			}
			fmt.Fprintf(w, `<td><a href="%s">%d</a></td>`, esc(href), v)
		}
		w.WriteString(`</tr>`)
	}
	w.WriteString(`</tbody></table></details>`)
}

// Point is one day's counts, one for each series.
type Point struct {
	Label  string // the day as the reader writes it
	Values []int
}

// Lines is a chart of counts over time, one line per part (series).
type Lines struct {
	ID, Title string
	Series    []Part
	Points    []Point
	Table     string
	Empty     string
}

// HTML is the chart, its legend and its table.
func (l Lines) HTML() template.HTML {
	var w strings.Builder
	fmt.Fprintf(&w, `<figure class="chart" id="%s"><figcaption>%s</figcaption>`, esc(l.ID), esc(l.Title))
	if len(l.Points) == 0 {
		fmt.Fprintf(&w, `<p class="muted">%s</p></figure>`, esc(l.Empty))
		return template.HTML(w.String())
	}
	legend(&w, l.Series)
	most := 1
	for _, p := range l.Points {
		for _, v := range p.Values {
			most = max(most, v)
		}
	}
	const h, left, bottom, top = 220.0, 40.0, 28.0, 10.0
	fmt.Fprintf(&w, `<svg class="lines" viewBox="0 0 %.0f %.0f" width="100%%" role="group" aria-labelledby="%s-t"><title id="%s-t">%s</title>`,
		width, h, esc(l.ID), esc(l.ID), esc(l.Title))
	plotW, plotH := width-left-20, h-bottom-top
	x := func(i int) float64 {
		if len(l.Points) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(l.Points)-1)
	}
	y := func(v int) float64 { return top + plotH - plotH*float64(v)/float64(most) }
	// The axes: zero and the largest count, the first and last day.
	fmt.Fprintf(&w, `<line class="axis" x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f"/>`, left, y(0), width-20, y(0))
	fmt.Fprintf(&w, `<text class="tick" x="%.0f" y="%.1f" text-anchor="end">0</text><text class="tick" x="%.0f" y="%.1f" text-anchor="end">%d</text>`,
		left-6, y(0)+4, left-6, y(most)+4, most)
	fmt.Fprintf(&w, `<text class="tick" x="%.0f" y="%.0f">%s</text>`, left, h-8, esc(l.Points[0].Label))
	if n := len(l.Points); n > 1 {
		fmt.Fprintf(&w, `<text class="tick" x="%.0f" y="%.0f" text-anchor="end">%s</text>`, width-20, h-8, esc(l.Points[n-1].Label))
	}
	for k, s := range l.Series {
		var pts []string
		for i, p := range l.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Values[k])))
		}
		fmt.Fprintf(&w, `<a href="%s" aria-label="%s"><polyline class="line %s s%d" points="%s"/>`, esc(s.Href), esc(s.Label), esc(s.Class), k, strings.Join(pts, " "))
		for i, p := range l.Points {
			fmt.Fprintf(&w, `<circle class="%s s%d" cx="%.1f" cy="%.1f" r="%d"><title>%s, %s: %d</title></circle>`,
				esc(s.Class), k, x(i), y(p.Values[k]), 3+k, esc(p.Label), esc(s.Label), p.Values[k])
		}
		w.WriteString(`</a>`)
	}
	w.WriteString(`</svg>`)
	fmt.Fprintf(&w, `<details><summary>%s</summary><table><thead><tr><th scope="col">%s</th>`, esc(l.Table), esc(l.Title))
	for _, s := range l.Series {
		fmt.Fprintf(&w, `<th scope="col"><a href="%s">%s</a></th>`, esc(s.Href), esc(s.Label))
	}
	w.WriteString(`</tr></thead><tbody>`)
	for _, p := range l.Points {
		fmt.Fprintf(&w, `<tr><th scope="row">%s</th>`, esc(p.Label))
		for _, v := range p.Values {
			fmt.Fprintf(&w, `<td>%d</td>`, v)
		}
		w.WriteString(`</tr>`)
	}
	w.WriteString(`</tbody></table></details></figure>`)
	return template.HTML(w.String())
}

// legend names each part beside a swatch of its colour.
func legend(w *strings.Builder, parts []Part) {
	w.WriteString(`<ul class="legend">`)
	for k, p := range parts {
		fmt.Fprintf(w, `<li><span class="swatch %s s%d" aria-hidden="true"></span>%s</li>`, esc(p.Class), k, esc(p.Label))
	}
	w.WriteString(`</ul>`)
}

// joinQuery adds the query parameters extra ("risk=high") to href.
func joinQuery(href, extra string) string {
	u, err := url.Parse(href)
	add, err2 := url.ParseQuery(extra)
	if err != nil || err2 != nil {
		return href
	}
	q := u.Query()
	for k, v := range add { // a part's value stands for its row's (risk=low over risk=rated)
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func sum(vs []int) int {
	n := 0
	for _, v := range vs {
		n += v
	}
	return n
}

func esc(s string) string { return html.EscapeString(s) }
