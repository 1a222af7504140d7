package listing

import (
	"math"
	"slices"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Dashboard is the coordinator's overview.
type Dashboard struct {
	ByStatus     map[assessment.Status]int
	Lights       map[assessment.Light]int // of the follow-ups under review or later
	OverdueCount int
	Overdue      []assessment.Summary // the longest overdue first, at most DashboardRows
	// Undelivered are the follow-ups whose invitation did not arrive (see
	// Summary.Undelivered), the oldest first, at most DashboardRows.
	UndeliveredCount int
	Undelivered      []assessment.Summary
	// AreaAverages is the average score per area for each risk area, over
	// its scored follow-ups: risk area → area → percentage.
	AreaAverages map[string]map[string]float64
	Scored       map[string]int       // risk area → scored follow-ups
	Newest       []assessment.Summary // the newest submissions, at most DashboardRows
	// RiskByArea and RiskByRegion count the rated follow-ups: risk area
	// or region → rating (low, medium, high) → count.
	RiskByArea, RiskByRegion map[string]map[string]int
	// AreaBands counts the scored follow-ups by each area's score band:
	// area → band (low, mid, high) → count.
	AreaBands map[string]map[string]int
}

// add counts one in m[k][v], making the inner map when needed.
func add(m map[string]map[string]int, k, v string) {
	if m[k] == nil {
		m[k] = map[string]int{}
	}
	m[k][v]++
}

// DashboardRows bounds the dashboard's lists.
const DashboardRows = 10

// MakeDashboard sums up summaries on day today.
func MakeDashboard(all []assessment.Summary, today string) Dashboard {
	d := Dashboard{ByStatus: map[assessment.Status]int{}, Lights: map[assessment.Light]int{}, AreaAverages: map[string]map[string]float64{}, Scored: map[string]int{},
		RiskByArea: map[string]map[string]int{}, RiskByRegion: map[string]map[string]int{}, AreaBands: map[string]map[string]int{}}
	sums := map[string]map[string][2]float64{} // risk area → area → {sum, n}
	var overdue, undelivered, submitted []*assessment.Summary
	for i := range all {
		s := &all[i]
		d.ByStatus[s.Status]++
		if s.Overdue(today) {
			d.OverdueCount++
			overdue = append(overdue, s)
		}
		if s.Undelivered() {
			d.UndeliveredCount++
			undelivered = append(undelivered, s)
		}
		if s.Status.Reviewed() {
			d.Lights[s.Light(today)]++
		}
		if !s.SubmittedAt.IsZero() && s.Status != assessment.Withdrawn {
			submitted = append(submitted, s)
		}
		if s.Risk != "" { // as the list's risk filter finds them
			add(d.RiskByArea, s.RiskArea, s.Risk)
			add(d.RiskByRegion, s.Region, s.Risk)
		}
		if s.Total != nil {
			d.Scored[s.RiskArea]++
			if sums[s.RiskArea] == nil {
				sums[s.RiskArea] = map[string][2]float64{}
			}
			for area, v := range s.Areas {
				if v != nil {
					add(d.AreaBands, area, band(v))
					acc := sums[s.RiskArea][area]
					sums[s.RiskArea][area] = [2]float64{acc[0] + *v, acc[1] + 1}
				}
			}
		}
	}
	for ra, areas := range sums {
		d.AreaAverages[ra] = map[string]float64{}
		for area, acc := range areas {
			d.AreaAverages[ra][area] = math.Round(acc[0]/acc[1]*10) / 10
		}
	}
	// In the list's orders, so the database answers them from its indexes.
	slices.SortFunc(overdue, order("due"))
	slices.SortFunc(submitted, order("-submitted"))
	slices.SortFunc(undelivered, order("issued"))
	d.Overdue, d.Undelivered, d.Newest = firstRows(overdue), firstRows(undelivered), firstRows(submitted)
	return d
}

// firstRows copies the first DashboardRows summaries.
func firstRows(list []*assessment.Summary) []assessment.Summary {
	out := make([]assessment.Summary, 0, DashboardRows)
	for _, s := range list[:min(len(list), DashboardRows)] {
		out = append(out, *s)
	}
	return out
}

// Figures are the annual-report numbers for one group of follow-ups: those
// issued in the year by one region, or in one risk area.
type Figures struct {
	Group        string   `json:"group"`
	Issued       int      `json:"issued"`
	Submitted    int      `json:"submitted"`
	ResponseRate *float64 `json:"responseRate"` // submitted / issued, 0–1; null when none were issued
	MedianScore  *float64 `json:"medianScore"`  // of the scored ones; null when none
	// Deviations counts the deviations that stand (not dismissed): area → severity → count.
	Deviations        map[string]map[questionnaire.Severity]int `json:"deviations"`
	ActionsOpened     int                                       `json:"actionsOpened"`
	ActionsClosed     int                                       `json:"actionsClosed"`
	MedianDaysToClose *float64                                  `json:"medianDaysToClose"` // from planned to verified; null when none closed
}

// Stats are the annual figures by risk area and by region.
type Stats struct {
	Year      int       `json:"year"`
	Total     Figures   `json:"total"`
	RiskAreas []Figures `json:"riskAreas"`
	Regions   []Figures `json:"regions"`
	// RiskAreaRegions break each risk area down by region, in RiskAreas' order.
	RiskAreaRegions []AreaRegions `json:"riskAreaRegions"`
}

// AreaRegions are one risk area's figures per region.
type AreaRegions struct {
	RiskArea string    `json:"riskArea"`
	Regions  []Figures `json:"regions"`
}

// MakeStats counts the follow-ups issued in year. Withdrawn ones are left out.
func MakeStats(all []assessment.Summary, year int) Stats {
	st := Stats{Year: year}
	byArea, byRegion := map[string][]*assessment.Summary{}, map[string][]*assessment.Summary{}
	var every []*assessment.Summary
	for i := range all {
		s := &all[i]
		if s.IssuedAt.Year() != year || s.Status == assessment.Withdrawn {
			continue
		}
		every = append(every, s)
		byArea[s.RiskArea] = append(byArea[s.RiskArea], s)
		byRegion[s.Region] = append(byRegion[s.Region], s)
	}
	st.Total = figures("all", every)
	for _, k := range sortedKeys(byArea) {
		st.RiskAreas = append(st.RiskAreas, figures(k, byArea[k]))
		cross := map[string][]*assessment.Summary{}
		for _, s := range byArea[k] {
			cross[s.Region] = append(cross[s.Region], s)
		}
		ar := AreaRegions{RiskArea: k}
		for _, r := range sortedKeys(cross) {
			ar.Regions = append(ar.Regions, figures(r, cross[r]))
		}
		st.RiskAreaRegions = append(st.RiskAreaRegions, ar)
	}
	for _, k := range sortedKeys(byRegion) {
		st.Regions = append(st.Regions, figures(k, byRegion[k]))
	}
	return st
}

func sortedKeys(m map[string][]*assessment.Summary) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func figures(group string, list []*assessment.Summary) Figures {
	f := Figures{Group: group, Issued: len(list), Deviations: map[string]map[questionnaire.Severity]int{}}
	var scores, days []float64
	for _, s := range list {
		if !s.SubmittedAt.IsZero() {
			f.Submitted++
		}
		if s.Total != nil {
			scores = append(scores, *s.Total)
		}
		for _, d := range s.Deviations {
			if d.Stands() {
				if f.Deviations[d.Area] == nil {
					f.Deviations[d.Area] = map[questionnaire.Severity]int{}
				}
				f.Deviations[d.Area][d.Severity]++
			}
			if d.ActionDue != "" {
				f.ActionsOpened++
			}
			if d.ActionDue != "" && !d.ClosedAt.IsZero() {
				f.ActionsClosed++
				days = append(days, math.Round(d.ClosedAt.Sub(d.PlannedAt).Hours()/24*10)/10)
			}
		}
	}
	if f.Issued > 0 {
		r := math.Round(float64(f.Submitted)/float64(f.Issued)*1000) / 1000
		f.ResponseRate = &r
	}
	f.MedianScore, f.MedianDaysToClose = median(scores), median(days)
	return f
}

// median of xs, nil when there are none.
func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + m) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}
