package followup

import (
	"context"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/orgnr"
)

// NormaliseOrgNumbers rewrites the organisation numbers stored before they
// were normalised on input (5566778899 becomes 556677-8899), so that reuse,
// duplicate checks and the supplier register find every follow-up of a
// company. A number that does not pass the checks is left as it was. The
// scheduled job calls it; it changes nothing the second time.
func (s *Service) NormaliseOrgNumbers(ctx context.Context) (int, error) {
	c, err := s.catalogs.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	ids := c.IDs(func(sum *assessment.Summary) bool {
		n, p := orgnr.Normalise(sum.Country, sum.OrgNumber)
		return p == nil && n != sum.OrgNumber
	})
	changed, err := s.updateEach(ctx, ids, "normalise the organisation number of", func(a *assessment.Assessment) error {
		n, p := orgnr.Normalise(a.Supplier.Country, a.Supplier.OrgNumber)
		if p != nil || n == a.Supplier.OrgNumber {
			return assessment.ErrUnchanged
		}
		a.Trail = append(a.Trail, assessment.TrailEntry{At: s.Now().UTC(), By: "system", Action: assessment.ActOrgNumberNormalised,
			Changes: []assessment.Change{{Field: "orgNumber", Before: a.Supplier.OrgNumber, After: n}}})
		a.Supplier.OrgNumber = n
		return nil
	})
	return len(changed), err
}
