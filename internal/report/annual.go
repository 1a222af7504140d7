package report

import (
	"fmt"
	"io"
	"time"

	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/listing"
)

// Annual is what the risk-area summary of a year is made from.
type Annual struct {
	Stats listing.Stats
	Names map[string]string // region and risk-area ids → names in Lang
	Lang  string
	Now   time.Time
}

// WriteAnnual writes the summary by risk area and region of one year, for
// the national office's annual report.
func WriteAnnual(w io.Writer, in Annual) error {
	st := in.Stats
	title := fmt.Sprintf(i18n.T(in.Lang, "r.annual"), st.Year)
	d := newDoc(meta{Title: title, Subject: i18n.T(in.Lang, "r.audit.subject"), Header: i18n.T(in.Lang, "service.owner"),
		Lang: in.Lang, Now: in.Now})
	name := func(id string) string {
		if n, ok := in.Names[id]; ok {
			return n
		}
		return id
	}
	d.title(title, d.t("service.owner"))
	d.para(d.t("r.annual.lead"), ink)
	if st.Total.Issued == 0 {
		d.para(d.t("r.annual.none"), muted)
		return d.write(w)
	}
	d.heading(d.t("r.all"), 0)
	d.figures(d.t("c.f.riskArea"), st.RiskAreas, name, st.Total)
	for _, ar := range st.RiskAreaRegions {
		// A risk area's table and charts stay together when a page holds them.
		n := float64(len(ar.Regions))
		d.room(min(40+n*8+2*(n*6+20), 250))
		d.heading(name(ar.RiskArea), 0)
		var total listing.Figures
		for _, f := range st.RiskAreas {
			if f.Group == ar.RiskArea {
				total = f
			}
		}
		d.figures(d.t("c.f.region"), ar.Regions, name, total)
		d.heading(d.t("r.annual.scores"), 1)
		var bs []bar
		var ss []stack
		for _, f := range ar.Regions {
			bs = append(bs, bar{name(f.Group), f.MedianScore})
			ss = append(ss, stack{name(f.Group), bySeverity(f)})
		}
		d.bars(bs, d.t("r.na"))
		d.heading(d.t("r.annual.devs"), 1)
		var series []string
		for _, s := range severities {
			series = append(series, d.t("c.sev."+string(s)))
		}
		d.stacks(ss, series, []rgb{critCol, majCol, minCol})
	}
	d.heading(d.t("c.stats.byRegion"), 0)
	d.figures(d.t("c.f.region"), st.Regions, name, st.Total)
	return d.write(w)
}

// bySeverity counts a group's standing deviations per severity, in the order of severities.
func bySeverity(f listing.Figures) []int {
	out := make([]int, len(severities))
	for _, bySev := range f.Deviations {
		for i, s := range severities {
			out[i] += bySev[s]
		}
	}
	return out
}

// figures is a table of groups' annual figures with a total row.
func (d *doc) figures(group string, rows []listing.Figures, name func(string) string, total listing.Figures) {
	cols := []column{{group, 36, "L"}, {d.t("c.stats.issued"), 14, "R"}, {d.t("c.stats.submitted"), 16, "R"},
		{d.t("c.stats.rate"), 16, "R"}, {d.t("c.stats.median"), 16, "R"}}
	for _, s := range severities {
		cols = append(cols, column{d.t("c.sev." + string(s)), 13, "R"})
	}
	cols = append(cols, column{d.t("c.stats.actions"), 22, "R"}, column{d.t("c.stats.days"), contentW - 158, "R"})
	line := func(label string, f listing.Figures) []string {
		rate := "–"
		if f.ResponseRate != nil {
			rate = d.decimal(*f.ResponseRate*100) + " %"
		}
		days := "–"
		if f.MedianDaysToClose != nil {
			days = d.decimal(*f.MedianDaysToClose)
		}
		row := []string{label, fmt.Sprint(f.Issued), fmt.Sprint(f.Submitted), rate, d.percent(f.MedianScore)}
		for _, n := range bySeverity(f) {
			row = append(row, fmt.Sprint(n))
		}
		return append(row, fmt.Sprintf("%d / %d", f.ActionsOpened, f.ActionsClosed), days)
	}
	var body [][]string
	for _, f := range rows {
		body = append(body, line(name(f.Group), f))
	}
	body = append(body, line(d.t("r.sum"), total))
	d.table(cols, body, tableOpts{boldFirst: true})
}
