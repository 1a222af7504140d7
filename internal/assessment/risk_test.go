package assessment_test

import (
	"testing"

	"github.com/regionerna/saq/internal/assessment"
)

// The country risk is read from the production countries the supplier
// names, not from its own country: a Swedish distributor whose goods are
// made in China, Malaysia and Pakistan is rated as their producer would be.
func TestRiskFromProductionCountries(t *testing.T) {
	for _, tt := range []struct {
		name, q11, country, countries string
	}{
		{"production in CN, MY and PK", "Kina, Malaysia och Pakistan", "high", "CN, MY, PK"},
		{"codes", "MY, TH", "high", "MY, TH"},
		{"no country named: the supplier's own", "Vi köper från en grossist", "low", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			in := validIssue
			in.RiskArea, in.ForceNew = "dressings", true // medium inherent risk
			_, token, err := s.Issue(ctx, coordinator, "ip", in)
			if err != nil {
				t.Fatal(err)
			}
			answerAll(t, s, token)
			a, _ := s.ForSupplier(ctx, token)
			if _, err := s.SaveAnswers(ctx, token, a.Version, map[string]assessment.Input{"Q1.1": {Value: tt.q11, HasValue: true}}); err != nil {
				t.Fatal(err)
			}
			a, err = s.Submit(ctx, token, "ip")
			if err != nil {
				t.Fatal(err)
			}
			if in := a.Risk.Inputs; in.Country != tt.country || in.Countries != tt.countries {
				t.Errorf("country risk %s from %q, want %s from %q", in.Country, in.Countries, tt.country, tt.countries)
			}
		})
	}
}
