package staff

import (
	"html/template"
	"net/url"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/chart"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/listing"
)

// The charts of the dashboard and the annual figures, each leading to the
// list behind it.

// funnelStatuses are the statuses a follow-up passes through, in order;
// expired and withdrawn ones have left the funnel.
var funnelStatuses = []assessment.Status{assessment.Issued, assessment.InProgress, assessment.Returned, assessment.Submitted,
	assessment.InReview, assessment.CorrectiveActions, assessment.Closed}

// listHref is the list with the given filters, of region ("" for all).
func listHref(region string, kv ...string) string {
	v := url.Values{}
	if region == "" {
		region = "all"
	}
	v.Set("region", region)
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return "/assessments?" + v.Encode()
}

// lightParts are three levels in the traffic light's colours, from the
// first class to the last: a part per id, labelled by key+id and leading to
// the list with param=id.
func lightParts(lang, key, param string, classes [3]string, ids ...string) []chart.Part {
	out := make([]chart.Part, len(ids))
	for i, id := range ids {
		label := i18n.T(lang, key+id)
		out[i] = chart.Part{Label: label, Short: label, Href: param + "=" + id, Class: classes[i]}
	}
	return out
}

// dashboardCharts are the dashboard's charts for region ("" for all).
func (s *handlers) dashboardCharts(lang, region string, d listing.Dashboard, trend []listing.DayCount) []template.HTML {
	table, empty := i18n.T(lang, "chart.table"), i18n.T(lang, "chart.empty")
	funnel := chart.Bars{ID: "chart-status", Title: i18n.T(lang, "chart.status"), Funnel: true, Table: table, Empty: empty,
		Parts: []chart.Part{{Label: i18n.T(lang, "chart.followups"), Class: "c-brand"}}}
	for _, st := range funnelStatuses {
		funnel.Rows = append(funnel.Rows, chart.Bar{Label: st.Label(lang), Href: listHref(region, "status", string(st)), Values: []int{d.ByStatus[st]}})
	}

	risk := lightParts(lang, "c.risk.", "risk", [3]string{"c-green", "c-yellow", "c-red"}, listing.RiskLevels...)
	byArea := chart.Bars{ID: "chart-risk-area", Title: i18n.T(lang, "chart.risk.area"), Parts: risk, Table: table, Empty: empty}
	for _, ra := range s.Org.RiskAreas {
		if n := d.RiskByArea[ra.ID]; len(n) > 0 {
			byArea.Rows = append(byArea.Rows, chart.Bar{Label: ra.Name.In(lang), Href: listHref(region, "riskArea", ra.ID, "risk", listing.RiskRated), Values: counts(n, listing.RiskLevels)})
		}
	}
	byRegion := chart.Bars{ID: "chart-risk-region", Title: i18n.T(lang, "chart.risk.region"), Parts: risk, Table: table, Empty: empty}
	for _, r := range s.Org.Regions {
		if n := d.RiskByRegion[r.ID]; len(n) > 0 {
			byRegion.Rows = append(byRegion.Rows, chart.Bar{Label: r.Name.In(lang), Href: listHref(r.ID, "risk", listing.RiskRated), Values: counts(n, listing.RiskLevels)})
		}
	}

	bands := []string{"low", "mid", "high"}
	scores := chart.Bars{ID: "chart-scores", Title: i18n.T(lang, "chart.scores"), Table: table, Empty: empty,
		// A low score is red, a high one green: the reverse of risk.
		Parts: lightParts(lang, "c.band.", "scoreBand", [3]string{"c-red", "c-yellow", "c-green"}, bands...)}
	if s.Set != nil {
		for _, a := range s.Set.Catalogue.Areas {
			if n := d.AreaBands[a.ID]; len(n) > 0 {
				scores.Rows = append(scores.Rows, chart.Bar{Label: a.Title.In(lang), Href: listHref(region, "area", a.ID, "scoreBand", "scored"), Values: counts(n, bands)})
			}
		}
	}

	lines := chart.Lines{ID: "chart-trend", Title: i18n.T(lang, "chart.trend"), Table: table, Empty: i18n.T(lang, "chart.trend.empty"),
		Series: []chart.Part{
			{Label: i18n.T(lang, "c.dash.overdue"), Href: listHref(region, "overdue", "true"), Class: "c-red"},
			{Label: i18n.T(lang, "c.dash.undelivered"), Href: listHref(region, "undelivered", "true"), Class: "c-brand"},
		}}
	for _, day := range trend {
		lines.Points = append(lines.Points, chart.Point{Label: i18n.Day(lang, day.Day), Values: []int{day.Overdue, day.Undelivered}})
	}
	return []template.HTML{funnel.HTML(), byArea.HTML(), byRegion.HTML(), scores.HTML(), lines.HTML()}
}

// statsCharts are the annual figures' charts: submitted and not yet
// submitted, by risk area and by region.
func (s *handlers) statsCharts(lang string, st listing.Stats, names map[string]string) []template.HTML {
	table, empty := i18n.T(lang, "chart.table"), i18n.T(lang, "chart.empty")
	parts := []chart.Part{
		{Label: i18n.T(lang, "c.stats.submitted"), Class: "c-brand"},
		{Label: i18n.T(lang, "chart.notsubmitted"), Class: "c-grey"},
	}
	byArea := chart.Bars{ID: "chart-year-area", Title: i18n.T(lang, "c.stats.byArea"), Parts: parts, Table: table, Empty: empty}
	for _, f := range st.RiskAreas {
		byArea.Rows = append(byArea.Rows, chart.Bar{Label: names[f.Group], Href: listHref("", "riskArea", f.Group), Values: []int{f.Submitted, f.Issued - f.Submitted}})
	}
	byRegion := chart.Bars{ID: "chart-year-region", Title: i18n.T(lang, "c.stats.byRegion"), Parts: parts, Table: table, Empty: empty}
	for _, f := range st.Regions {
		byRegion.Rows = append(byRegion.Rows, chart.Bar{Label: names[f.Group], Href: listHref(f.Group), Values: []int{f.Submitted, f.Issued - f.Submitted}})
	}
	return []template.HTML{byArea.HTML(), byRegion.HTML()}
}

// counts are n's counts in the order of ids.
func counts(n map[string]int, ids []string) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = n[id]
	}
	return out
}
