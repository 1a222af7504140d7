// Package report writes the PDF documents that leave the service: the audit
// report of a follow-up, the annual risk-area summary and the supplier's
// receipt. It lays out domain values; it knows nothing of HTTP or storage.
package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/regionerna/saq/internal/i18n"
)

// A4, in millimetres; pages are portrait unless a wide table needs landscape.
const (
	margin   = 15.0
	contentW = 210.0 - 2*margin // of a portrait page
	bottom   = 18.0             // room for the footer
	bodySize = 9.0
	lineH    = 4.2 // for bodySize
	smallH   = 3.8 // for table text
	cellPad  = 1.2 // above and below a table row's text
)

// Colours, as RGB.
type rgb [3]int

var (
	ink     = rgb{33, 37, 41}
	muted   = rgb{96, 104, 112}
	rule    = rgb{200, 205, 210}
	shade   = rgb{234, 238, 242}
	accent  = rgb{0, 94, 133}
	critCol = rgb{176, 32, 32}
	majCol  = rgb{222, 120, 20}
	minCol  = rgb{230, 190, 40}
)

// meta is what every document says about itself.
type meta struct {
	Title   string // on the cover, in the header and in the PDF's metadata
	Subject string
	Header  string // the running head, after the title
	Lang    string
	Now     time.Time // when the document was made
}

// doc is one PDF being laid out.
type doc struct {
	pdf    *fpdf.Fpdf
	lang   string
	orient string // of the current page: "P" or "L"
}

func newDoc(m meta) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &doc{pdf: pdf, lang: m.Lang, orient: "P"}
	// The same data and clock give the same bytes.
	now := m.Now.UTC()
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetCatalogSort(true)
	// Page streams stay uncompressed: fpdf makes a fresh zlib writer (about
	// 1 MB) per page, which made a report three times slower (27 ms against
	// 8 ms) for a file a third of the size (64 kB against 175 kB).
	pdf.SetCompression(false)
	pdf.SetProducer(i18n.T(m.Lang, "service.name"), true)
	pdf.SetCreator(i18n.T(m.Lang, "service.name"), true)
	pdf.SetAuthor(i18n.T(m.Lang, "service.owner"), true)
	pdf.SetTitle(clean(m.Title), true)
	pdf.SetSubject(clean(m.Subject), true)
	pdf.SetLang(m.Lang)
	pdf.AddUTF8FontFromBytes("go", "", fontRegular)
	pdf.AddUTF8FontFromBytes("go", "B", fontBold)
	pdf.SetMargins(margin, margin+6, margin)
	pdf.SetAutoPageBreak(true, bottom)
	pdf.AliasNbPages("{nb}")
	head := clean(m.Title + " · " + m.Header)
	made := fmt.Sprintf(i18n.T(m.Lang, "r.made"), i18n.Time(m.Lang, now))
	pdf.SetHeaderFunc(func() {
		w := d.width()
		d.font("", 7.5, muted)
		pdf.SetXY(margin, 8)
		pdf.CellFormat(w, 4, d.fit(head, w-2), "", 0, "L", false, 0, "")
		d.line(margin, 13, margin+w, 13, rule)
		pdf.SetXY(margin, margin+6)
	})
	pdf.SetFooterFunc(func() {
		w, h := d.width(), d.height()
		d.font("", 7.5, muted)
		d.line(margin, h-12, margin+w, h-12, rule)
		pdf.SetXY(margin, h-11)
		pdf.CellFormat(w/2, 4, made, "", 0, "L", false, 0, "")
		page := fmt.Sprintf(i18n.T(m.Lang, "r.page"), pdf.PageNo(), "{nb}")
		pdf.CellFormat(w/2, 4, page, "", 0, "R", false, 0, "")
	})
	d.next()
	return d
}

// write finishes the document into w.
func (d *doc) write(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// width is what lies between the margins of the current page.
func (d *doc) width() float64 {
	w, _ := d.pdf.GetPageSize()
	return w - 2*margin
}

func (d *doc) height() float64 {
	_, h := d.pdf.GetPageSize()
	return h
}

// landscape starts a landscape page, for a table too wide to read upright;
// portrait goes back.
func (d *doc) landscape() { d.orient = "L"; d.next() }
func (d *doc) portrait()  { d.orient = "P"; d.next() }

// next starts a page like the current one.
func (d *doc) next() { d.pdf.AddPageFormat(d.orient, fpdf.SizeType{Wd: 210, Ht: 297}) }

func (d *doc) t(key string) string { return i18n.T(d.lang, key) }

func (d *doc) font(style string, size float64, c rgb) {
	d.pdf.SetFont("go", style, size)
	d.pdf.SetTextColor(c[0], c[1], c[2])
}

func (d *doc) line(x1, y1, x2, y2 float64, c rgb) {
	d.pdf.SetDrawColor(c[0], c[1], c[2])
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(x1, y1, x2, y2)
}

func (d *doc) fill(x, y, w, h float64, c rgb) {
	d.pdf.SetFillColor(c[0], c[1], c[2])
	d.pdf.Rect(x, y, w, h, "F")
}

// fit shortens s with an ellipsis until it fits in w at the current font.
func (d *doc) fit(s string, w float64) string {
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// room makes sure h millimetres are left on the page, starting a new one if not.
func (d *doc) room(h float64) {
	if d.pdf.GetY()+h > d.height()-bottom {
		d.next()
	}
}

// title is the document's title on its first page.
func (d *doc) title(text, sub string) {
	d.font("B", 20, accent)
	d.pdf.MultiCell(0, 9, clean(text), "", "L", false)
	if sub != "" {
		d.font("", 11, muted)
		d.pdf.MultiCell(0, 5.5, clean(sub), "", "L", false)
	}
	d.pdf.Ln(4)
}

// heading starts a section, in the PDF's outline too; a heading never ends a page.
func (d *doc) heading(text string, level int) {
	size, h := 14.0, 7.0
	if level > 0 {
		size, h = 11, 5.5
	}
	d.room(h + 20)
	if d.pdf.GetY() > margin+8 {
		d.pdf.Ln(3)
	}
	d.pdf.Bookmark(clean(text), level, -1)
	d.font("B", size, accent)
	d.pdf.MultiCell(0, h, clean(text), "", "L", false)
	d.pdf.Ln(1)
}

// para is a paragraph of running text.
func (d *doc) para(text string, c rgb) {
	d.font("", bodySize, c)
	d.pdf.MultiCell(0, lineH, clean(text), "", "L", false)
}

// column of a table: its heading, width and alignment ("L", "R", "C").
type column struct {
	Title string
	Width float64
	Align string
}

// facts is a two-column table of labels and values.
func (d *doc) facts(rows [][2]string) {
	cols := []column{{"", 52, "L"}, {"", contentW - 52, "L"}}
	body := make([][]string, len(rows))
	for i, r := range rows {
		body[i] = []string{r[0], r[1]}
	}
	d.table(cols, body, tableOpts{noHead: true, boldFirst: true})
}

type tableOpts struct {
	noHead    bool
	boldFirst bool // the first column as row headings
}

// table lays out rows under the column headings. Cells wrap; a row taller
// than what is left of the page continues on the next, under the headings
// again, so no text is ever cut. A short table is kept on one page.
func (d *doc) table(cols []column, rows [][]string, o tableOpts) {
	pdf := d.pdf
	xs := make([]float64, len(cols))
	for i := range cols {
		xs[i] = margin
		if i > 0 {
			xs[i] = xs[i-1] + cols[i-1].Width
		}
	}
	split := func(row []string, style func(int) string) ([][]string, int) {
		lines := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			d.font(style(i), 8, ink)
			text := ""
			if i < len(row) {
				text = clean(row[i])
			}
			lines[i] = pdf.SplitText(text, c.Width)
			n = max(n, len(lines[i]))
		}
		return lines, n
	}
	var headLines [][]string
	headN := 0
	if !o.noHead {
		titles := make([]string, len(cols))
		for i, c := range cols {
			titles[i] = c.Title
		}
		headLines, headN = split(titles, func(int) string { return "B" })
	}
	head := func() {
		if o.noHead {
			return
		}
		h := float64(headN)*smallH + 2*cellPad
		y := pdf.GetY()
		d.fill(margin, y, d.width(), h, shade)
		d.font("B", 8, ink)
		for i, c := range cols {
			d.cells(xs[i], c, headLines[i], 0, headN, y)
		}
		pdf.SetY(y + h)
	}
	body := make([][][]string, len(rows))
	counts := make([]int, len(rows))
	total := float64(headN)*smallH + 2*cellPad
	for r, row := range rows {
		body[r], counts[r] = split(row, func(i int) string { return styleOf(o, i) })
		total += float64(counts[r])*smallH + 2*cellPad
	}
	if total < 80 {
		d.room(total)
	} else {
		d.room(float64(headN+2)*smallH + 4*cellPad)
	}
	head()
	for r := range rows {
		lines, n := body[r], counts[r]
		// turned says the row was moved to a new page once: it is then set
		// there, splitting if it must, never moved again (a page's own
		// header may leave less room than reckoned, and a row that moved
		// on forever would add pages forever).
		turned := false
		for from := 0; from < n; {
			y := pdf.GetY()
			// A row that would fit on a page of its own starts one rather
			// than break: only a row taller than a page is split.
			need, fresh := float64(n)*smallH+2*cellPad, d.height()-bottom-margin-float64(headN)*smallH-2*cellPad
			if from == 0 && !turned && y+need > d.height()-bottom && need <= fresh {
				d.next()
				head()
				turned = true
				continue
			}
			fit := int(math.Floor((d.height() - bottom - y - 2*cellPad) / smallH))
			if fit < min(n-from, 2) && !turned { // never leave a lone line at the foot of a page
				d.next()
				head()
				turned = true
				continue
			}
			fit = max(fit, 1)
			turned = false
			to := min(n, from+fit)
			for i, c := range cols {
				d.font(styleOf(o, i), 8, ink)
				d.cells(xs[i], c, lines[i], from, to, y)
			}
			h := float64(to-from)*smallH + 2*cellPad
			d.line(margin, y+h, margin+d.width(), y+h, rule)
			pdf.SetY(y + h)
			from = to
		}
	}
	pdf.Ln(2)
}

func styleOf(o tableOpts, col int) string {
	if o.boldFirst && col == 0 {
		return "B"
	}
	return ""
}

// cells sets lines [from, to) of one column's wrapped text at x, starting at y.
func (d *doc) cells(x float64, c column, lines []string, from, to int, y float64) {
	for k := from; k < to && k < len(lines); k++ {
		d.pdf.SetXY(x, y+cellPad+float64(k-from)*smallH)
		d.pdf.CellFormat(c.Width, smallH, lines[k], "", 0, c.Align, false, 0, "")
	}
}

// bar is one bar of a chart: a label and a value of 0–100, nil for none.
type bar struct {
	Label string
	Value *float64
}

// bars draws a horizontal bar chart of percentages, 0 to 100.
func (d *doc) bars(items []bar, none string) {
	const labelW, barW, rowH = 62.0, 96.0, 6.0
	pdf := d.pdf
	d.room(float64(len(items))*rowH + 10)
	top := pdf.GetY()
	x0 := margin + labelW
	// scale lines at every quarter
	d.font("", 6.5, muted)
	for _, p := range []float64{0, 25, 50, 75, 100} {
		x := x0 + barW*p/100
		d.line(x, top, x, top+float64(len(items))*rowH, rule)
		pdf.SetXY(x-5, top+float64(len(items))*rowH+0.5)
		pdf.CellFormat(10, 3, fmt.Sprintf("%.0f", p), "", 0, "C", false, 0, "")
	}
	for i, it := range items {
		y := top + float64(i)*rowH
		d.font("", 8, ink)
		pdf.SetXY(margin, y+1)
		pdf.CellFormat(labelW-2, 4, d.fit(clean(it.Label), labelW-4), "", 0, "L", false, 0, "")
		if it.Value == nil {
			d.font("", 8, muted)
			pdf.SetXY(x0+1, y+1)
			pdf.CellFormat(barW, 4, none, "", 0, "L", false, 0, "")
			continue
		}
		v := math.Max(0, math.Min(100, *it.Value))
		d.fill(x0, y+1, barW*v/100, 4, scoreColour(v))
		d.font("B", 8, ink)
		pdf.SetXY(x0+barW+1, y+1)
		pdf.CellFormat(contentW-labelW-barW-1, 4, d.percent(it.Value), "", 0, "L", false, 0, "")
	}
	pdf.SetY(top + float64(len(items))*rowH + 6)
}

// stack is one row of a stacked bar chart: a label and counts in the order of the chart's series.
type stack struct {
	Label  string
	Counts []int
}

// stacks draws a horizontal stacked bar chart of counts, with a legend.
func (d *doc) stacks(items []stack, series []string, colours []rgb) {
	const labelW, barW, rowH = 62.0, 96.0, 6.0
	pdf := d.pdf
	d.room(float64(len(items))*rowH + 14)
	most := 1
	for _, it := range items {
		sum := 0
		for _, n := range it.Counts {
			sum += n
		}
		most = max(most, sum)
	}
	top := pdf.GetY()
	x0 := margin + labelW
	for i, it := range items {
		y := top + float64(i)*rowH
		d.font("", 8, ink)
		pdf.SetXY(margin, y+1)
		pdf.CellFormat(labelW-2, 4, d.fit(clean(it.Label), labelW-4), "", 0, "L", false, 0, "")
		x, sum := x0, 0
		for k, n := range it.Counts {
			w := barW * float64(n) / float64(most)
			d.fill(x, y+1, w, 4, colours[k])
			x += w
			sum += n
		}
		d.font("B", 8, ink)
		pdf.SetXY(x+1, y+1)
		pdf.CellFormat(20, 4, fmt.Sprint(sum), "", 0, "L", false, 0, "")
	}
	y := top + float64(len(items))*rowH + 1.5
	x := x0
	d.font("", 7, muted)
	for k, s := range series {
		d.fill(x, y+0.5, 3, 3, colours[k])
		pdf.SetXY(x+3.5, y)
		pdf.CellFormat(28, 4, s, "", 0, "L", false, 0, "")
		x += 32
	}
	pdf.SetY(y + 8)
}

// scoreColour goes from red through amber to green with the score.
func scoreColour(v float64) rgb {
	switch {
	case v >= 80:
		return rgb{46, 125, 50}
	case v >= 50:
		return rgb{230, 160, 30}
	}
	return rgb{190, 50, 40}
}

// percent is a score for print: one decimal, "–" for none.
func (d *doc) percent(v *float64) string {
	if v == nil {
		return "–"
	}
	return d.decimal(*v) + " %"
}

// decimal is v with one decimal, with a decimal comma in Swedish.
func (d *doc) decimal(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if d.lang == i18n.SV {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// date is the day of t in Swedish time as the reader writes it, "–" when
// t is zero.
func (d *doc) date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return i18n.Day(d.lang, t.In(i18n.Stockholm).Format(time.DateOnly))
}

// stamp is t to the minute in Swedish time, with the zone, "–" when it is zero.
func (d *doc) stamp(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return i18n.Time(d.lang, t)
}

// or is s, or "–" when s is empty.
func or(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}
