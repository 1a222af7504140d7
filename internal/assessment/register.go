package assessment

import (
	"context"

	"github.com/regionerna/saq/internal/orgnr"
)

// OpenDeviations counts the deviations of s still to be dealt with.
func (s *Summary) OpenDeviations() int {
	n := 0
	for _, d := range s.Deviations {
		if d.Status == DevOpen || d.Status == DevConfirmed {
			n++
		}
	}
	return n
}

// OfSupplier is the summaries of every follow-up whose organisation number
// is number in any form it is written in (5566778899, 556677-8899), so
// that follow-ups stored before numbers were normalised are found too.
func (s *Records) OfSupplier(ctx context.Context, number string) ([]Summary, error) {
	var list []Summary
	seen := map[string]bool{}
	for _, n := range orgnr.Forms(number) {
		found, err := s.Repo.Summaries(ctx, Filter{OrgNumber: n})
		if err != nil {
			return nil, err
		}
		for _, sum := range found {
			if !seen[sum.ID] {
				seen[sum.ID] = true
				list = append(list, sum)
			}
		}
	}
	return list, nil
}
