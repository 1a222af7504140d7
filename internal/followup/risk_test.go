package followup_test

import (
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// The country risk is read from the production countries the supplier
// names, not from its own country: a Swedish distributor whose goods are
// made in China, Malaysia and Pakistan is rated as their producer would be.
func TestRiskFromProductionCountries(t *testing.T) {
	for _, tt := range []struct {
		name    string
		version int // 2: Q1.1 is free text, read for names; 3: a list of codes
		q11     any
		country string
		from    string
	}{
		{"a list: CN, MY and PK", 3, []any{"PK", "CN", "MY"}, "high", "CN, MY, PK"},
		{"a list: Sweden alone", 3, []any{"SE"}, "low", "SE"},
		{"text: production in CN, MY and PK", 2, "Kina, Malaysia och Pakistan", "high", "CN, MY, PK"},
		{"text: codes", 2, "MY, TH", "high", "MY, TH"},
		{"text: no country named, the supplier's own", 2, "Vi köper från en grossist", "low", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			in := validIssue
			in.RiskArea, in.ForceNew, in.QuestionnaireVersion = "dressings", true, tt.version // medium inherent risk
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
			if in := a.Risk.Inputs; in.Country != tt.country || in.Countries != tt.from {
				t.Errorf("country risk %s from %q, want %s from %q", in.Country, in.Countries, tt.country, tt.from)
			}
		})
	}
}

// The list of production countries takes ISO codes only.
func TestProductionCountriesAreCodes(t *testing.T) {
	s := newService(t)
	_, token, err := s.Issue(ctx, coordinator, "ip", validIssue)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []any{[]any{"Kina"}, []any{"XX"}, "CN"} {
		a, _ := s.ForSupplier(ctx, token)
		if _, err := s.SaveAnswers(ctx, token, a.Version, map[string]assessment.Input{"Q1.1": {Value: bad, HasValue: true}}); codeOf(err) != apperr.Invalid {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}
