package assessment

import (
	"context"
	"errors"
	"fmt"

	"github.com/regionerna/saq/internal/identity"
)

var errAlreadyNormal = errors.New("organisation number already normalised")

// NormaliseOrgNumbers rewrites the organisation numbers stored before they
// were normalised on input (5566778899 becomes 556677-8899), so that reuse,
// duplicate checks and the supplier register find every follow-up of a
// company. A number that does not pass the checks is left as it was. The
// scheduled job calls it; it changes nothing the second time.
func (s *Service) NormaliseOrgNumbers(ctx context.Context) (int, error) {
	c, err := s.repo.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	ids := c.IDs(func(sum *Summary) bool {
		n, p := identity.Normalise(sum.Country, sum.OrgNumber)
		return p == nil && n != sum.OrgNumber
	})
	changed := 0
	for _, id := range ids {
		_, err := s.repo.Update(ctx, id, func(a *Assessment) error {
			n, p := identity.Normalise(a.Supplier.Country, a.Supplier.OrgNumber)
			if p != nil || n == a.Supplier.OrgNumber {
				return errAlreadyNormal
			}
			a.Trail = append(a.Trail, TrailEntry{At: s.now().UTC(), By: "system", Action: "org_number_normalised",
				Changes: []Change{{"orgNumber", a.Supplier.OrgNumber, n}}})
			a.Supplier.OrgNumber = n
			return nil
		})
		if errors.Is(err, errAlreadyNormal) {
			continue
		}
		if err != nil {
			return changed, fmt.Errorf("normalise the organisation number of %s: %w", id, err)
		}
		changed++
	}
	return changed, nil
}
