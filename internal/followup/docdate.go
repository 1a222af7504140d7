package followup

import "github.com/regionerna/saq/internal/assessment"

// AgedEvidence lists an assessment's aged evidence by the service's clock;
// none when its questionnaire version is not loaded.
func (s *Service) AgedEvidence(a *assessment.Assessment) []assessment.AgedEvidence {
	q, err := s.Questionnaire(a)
	if err != nil {
		return nil
	}
	return a.AgedEvidence(q, s.Now())
}
