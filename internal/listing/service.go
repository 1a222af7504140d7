// Package listing reads follow-ups many at a time: the lists with their
// filters, sorts and pages, the catalog of every summary, the dashboard,
// the annual figures, the daily trend and a supplier's record.
package listing

import (
	"context"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
)

// Service reads follow-ups many at a time: the lists, the dashboard, the
// annual figures, the trend and a supplier's record.
type Service struct {
	assessment.Records
	store   Store
	history History // nil: no trend is kept
}

// Store is where the lists are read, sorted and counted.
type Store interface {
	// List returns one page of the summaries that match q on day today,
	// sorted, with how many match in all, as Select would make it.
	List(ctx context.Context, q Query, today string) (Page, error)
	// Catalog returns every summary as of the call, for the figures and
	// the jobs that look over all follow-ups.
	Catalog(ctx context.Context) (*Catalog, error)
	// Dashboard is MakeDashboard over a region's summaries ("" for all) on
	// day today, without reading every summary where the database can sum.
	Dashboard(ctx context.Context, region, today string) (Dashboard, error)
}

// New returns the reading of follow-ups many at a time from store;
// history keeps the trend (none is kept when it is nil).
func New(cfg assessment.Config, store Store, history History) *Service {
	return &Service{assessment.NewRecords(cfg), store, history}
}

// List returns one page of the assessments that match q; every account may
// read every region's, as the regions share results.
func (s *Service) List(ctx context.Context, by *account.Principal, q Query) (Page, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return Page{}, assessment.ErrNoAccess
	}
	return s.store.List(ctx, q, assessment.Day(s.Now()))
}

// Export returns every assessment that matches q, sorted, unpaged.
func (s *Service) Export(ctx context.Context, by *account.Principal, q Query) ([]*assessment.Summary, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return nil, assessment.ErrNoAccess
	}
	all, err := s.Repo.Summaries(ctx, q.Filter)
	if err != nil {
		return nil, err
	}
	return Match(all, q, assessment.Day(s.Now())), nil
}

// Dashboard sums up the follow-ups of a region ("" for all).
func (s *Service) Dashboard(ctx context.Context, by *account.Principal, region string) (Dashboard, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return Dashboard{}, assessment.ErrNoAccess
	}
	return s.store.Dashboard(ctx, region, assessment.Day(s.Now()))
}

// CountByStatus counts every follow-up by status, for the metrics.
func (s *Service) CountByStatus(ctx context.Context) (map[string]int, error) {
	d, err := s.store.Dashboard(ctx, "", assessment.Day(s.Now()))
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for status, n := range d.ByStatus {
		counts[string(status)] = n
	}
	return counts, nil
}

// Stats are the annual-report figures for the follow-ups issued in year.
func (s *Service) Stats(ctx context.Context, by *account.Principal, year int) (Stats, error) {
	if !account.Allowed(by, account.ReadAnnualFigures, "", "") {
		return Stats{}, assessment.ErrNoAccess
	}
	if year < 2000 || year > 9999 {
		return Stats{}, assessment.Invalid(assessment.Problem("year", "Ange ett år, t.ex. 2026.", "Give a year, e.g. 2026."))
	}
	issued, err := s.Repo.Summaries(ctx, assessment.Filter{Year: year})
	if err != nil {
		return Stats{}, err
	}
	return MakeStats(issued, year), nil
}
