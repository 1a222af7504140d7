package listing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
)

// DayCount is one region's count on one day of the follow-ups that wait
// on the coordinator: overdue, and not started with the invitation not
// delivered.
type DayCount struct {
	Day         string // YYYY-MM-DD
	Region      string
	Overdue     int
	Undelivered int
}

// History keeps a DayCount a day and region, for the trend on the
// dashboard: today's counts are not in the summaries tomorrow.
type History interface {
	// Put stores counts, replacing those of the same day and region.
	Put(ctx context.Context, counts []DayCount) error
	// Since returns the counts from day on, in no order.
	Since(ctx context.Context, day string) ([]DayCount, error)
	// DropBefore deletes the counts of days before day.
	DropBefore(ctx context.Context, day string) error
}

// RecordDay stores today's counts for every region, each counted by the
// database (nothing is read into memory). A job calls it at start and
// hourly on every instance: a day's counts are replaced, so its last run
// stands for the day.
func (s *Service) RecordDay(ctx context.Context) error {
	if s.history == nil || s.Org == nil {
		return nil
	}
	day := assessment.Day(s.Now())
	byRegion := map[string]*DayCount{}
	for _, r := range s.Org.Regions {
		d := &DayCount{Day: day, Region: r.ID}
		for _, c := range []struct {
			q  Query
			to *int
		}{{Query{Filter: assessment.Filter{Region: r.ID}, Overdue: true, PerPage: 1}, &d.Overdue}, {Query{Filter: assessment.Filter{Region: r.ID}, Undelivered: true, PerPage: 1}, &d.Undelivered}} {
			page, err := s.store.List(ctx, c.q, day)
			if err != nil {
				return fmt.Errorf("count %s on %s: %w", r.ID, day, err)
			}
			*c.to = page.Total
		}
		byRegion[r.ID] = d
	}
	counts := make([]DayCount, 0, len(byRegion))
	for _, d := range byRegion {
		counts = append(counts, *d)
	}
	if err := s.history.Put(ctx, counts); err != nil {
		return fmt.Errorf("record the counts of %s: %w", day, err)
	}
	// Older days are never shown: keep the collection a trend's size.
	return s.history.DropBefore(ctx, assessment.Day(s.Now().Add(-TrendDays*24*time.Hour)))
}

// TrendDays is how far back the dashboard's trend reaches.
const TrendDays = 90

// Trend is the daily counts of the last TrendDays days for a region (""
// for all), oldest first; days the service did not run are left out.
func (s *Service) Trend(ctx context.Context, by *account.Principal, region string) ([]DayCount, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return nil, assessment.ErrNoAccess
	}
	if s.history == nil {
		return nil, nil
	}
	from := assessment.Day(s.Now().Add(-TrendDays * 24 * time.Hour))
	list, err := s.history.Since(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("read the counts since %s: %w", from, err)
	}
	byDay := map[string]*DayCount{}
	for _, d := range list {
		t := byDay[d.Day]
		if t == nil { // a day the job ran: zero for a region without follow-ups
			t = &DayCount{Day: d.Day, Region: region}
			byDay[d.Day] = t
		}
		if region != "" && d.Region != region {
			continue
		}
		t.Overdue += d.Overdue
		t.Undelivered += d.Undelivered
	}
	out := make([]DayCount, 0, len(byDay))
	for _, d := range byDay {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DayCount) int { return strings.Compare(a.Day, b.Day) })
	return out, nil
}
