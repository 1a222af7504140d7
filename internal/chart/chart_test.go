package chart_test

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/chart"
)

// wellFormed fails the test unless doc is well-formed XML, as inline SVG
// in HTML must be for every browser to draw it.
func wellFormed(t *testing.T, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
	}
}

var hrefRe = regexp.MustCompile(`<a href="([^"]*)"`)

func hrefs(doc string) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(doc, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

func TestBars(t *testing.T) {
	risk := []chart.Part{{Label: "low", Short: "low", Href: "risk=low", Class: "c-green"}, {Label: "medium", Href: "risk=medium", Class: "c-yellow"}, {Label: "high", Href: "risk=high", Class: "c-red"}}
	tests := []struct {
		name       string
		bars       chart.Bars
		want       []string // in the output
		wantHrefs  []string // every link, in order
		wantAbsent []string
	}{
		{
			name: "stacked, with a zero part left out of the drawing",
			bars: chart.Bars{ID: "r", Title: "Risk by area", Parts: risk, Table: "As a table", Empty: "none",
				Rows: []chart.Bar{{Label: "Gloves", Href: "/assessments?riskArea=gloves", Values: []int{3, 0, 1}}}},
			want: []string{`<figcaption>Risk by area</figcaption>`, `aria-label="Gloves, low: 3"`, `aria-label="Gloves, high: 1"`, `<summary>As a table</summary>`,
				`<ul class="legend">`, `>4</text>`},
			wantHrefs: []string{"/assessments?riskArea=gloves", "/assessments?risk=low&riskArea=gloves", "/assessments?risk=high&riskArea=gloves",
				"/assessments?riskArea=gloves", "/assessments?risk=low&riskArea=gloves", "/assessments?risk=medium&riskArea=gloves", "/assessments?risk=high&riskArea=gloves"},
			wantAbsent: []string{`aria-label="Gloves, medium`},
		},
		{
			name: "labels escaped",
			bars: chart.Bars{ID: "x", Title: `<b>"T"</b>`, Parts: risk[:1], Table: "t",
				Rows: []chart.Bar{{Label: `<script>alert(1)</script>`, Href: `/a?x="y"`, Values: []int{2}}}},
			want:       []string{`&lt;script&gt;`, `&lt;b&gt;&#34;T&#34;&lt;/b&gt;`, `href="/a?risk=low&amp;x=%22y%22"`},
			wantAbsent: []string{`<script>`, `<b>`},
			wantHrefs:  []string{`/a?x=&#34;y&#34;`, `/a?risk=low&x=%22y%22`, `/a?x=&#34;y&#34;`, `/a?risk=low&x=%22y%22`},
		},
		{
			name:       "nothing counted",
			bars:       chart.Bars{ID: "e", Title: "Empty", Parts: risk, Empty: "Nothing to show yet.", Rows: []chart.Bar{{Label: "A", Values: []int{0, 0, 0}}}},
			want:       []string{`<p class="muted">Nothing to show yet.</p>`},
			wantAbsent: []string{`<svg`, `<table`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(tt.bars.HTML())
			wellFormed(t, out)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %q\n%s", w, out)
				}
			}
			for _, w := range tt.wantAbsent {
				if strings.Contains(out, w) {
					t.Errorf("has %q", w)
				}
			}
			if tt.wantHrefs != nil && strings.Join(hrefs(out), " ") != strings.Join(tt.wantHrefs, " ") {
				t.Errorf("links\n got %q\nwant %q", hrefs(out), tt.wantHrefs)
			}
		})
	}
}

var rectRe = regexp.MustCompile(`<rect class="[^"]*" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"`)

// A funnel centres its bars: the widest starts at the label column, a
// narrower one further right by half the difference.
func TestFunnelCentred(t *testing.T) {
	b := chart.Bars{ID: "f", Title: "Status", Funnel: true, Parts: []chart.Part{{Label: "n", Class: "c-brand"}},
		Rows: []chart.Bar{{Label: "Issued", Values: []int{10}}, {Label: "Closed", Values: []int{4}}}}
	m := rectRe.FindAllStringSubmatch(string(b.HTML()), -1)
	if len(m) != 2 {
		t.Fatalf("%d bars", len(m))
	}
	centre := func(x, w string) string {
		fx, _ := strconv.ParseFloat(x, 64)
		fw, _ := strconv.ParseFloat(w, 64)
		return strconv.FormatFloat(fx+fw/2, 'f', 0, 64)
	}
	if centre(m[0][1], m[0][2]) != centre(m[1][1], m[1][2]) {
		t.Errorf("bars not centred: %v", m)
	}
}

func TestLines(t *testing.T) {
	l := chart.Lines{ID: "t", Title: "Over time", Table: "As a table", Empty: "Counted from today.",
		Series: []chart.Part{{Label: "Overdue", Href: "/assessments?overdue=true", Class: "c-red"}, {Label: "Undelivered", Href: "/assessments?undelivered=true", Class: "c-brand"}},
		Points: []chart.Point{{Label: "1 Nov 2026", Values: []int{2, 0}}, {Label: "2 Nov 2026", Values: []int{5, 1}}, {Label: "3 Nov 2026", Values: []int{3, 1}}}}
	out := string(l.HTML())
	wellFormed(t, out)
	for _, w := range []string{`<polyline class="line c-red s0"`, `<polyline class="line c-brand s1"`, `<title>2 Nov 2026, Overdue: 5</title>`,
		`>1 Nov 2026</text>`, `>3 Nov 2026</text>`, `>5</text>`, `<td>5</td><td>1</td>`} {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q\n%s", w, out)
		}
	}
	if got := strings.Count(out, "<circle"); got != 6 {
		t.Errorf("%d points drawn, want 6", got)
	}
	if h := hrefs(out); len(h) != 4 || h[0] != "/assessments?overdue=true" || h[1] != "/assessments?undelivered=true" {
		t.Errorf("links %q", h)
	}
	if empty := string((chart.Lines{Title: "x", Empty: "Counted from today."}).HTML()); !strings.Contains(empty, "Counted from today.") || strings.Contains(empty, "<svg") {
		t.Errorf("empty: %s", empty)
	}
}
