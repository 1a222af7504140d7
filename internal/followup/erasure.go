package followup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/secret"
)

// EraseContacts replaces the name and e-mail address of the contact person
// of every follow-up of the supplier with orgNumber by a pseudonym, in the
// follow-up, its trail, the outbox and the audit log. The follow-ups stay,
// answers and scores included: they are public records. Admins only.
func (s *Service) EraseContacts(ctx context.Context, by *account.Principal, ip, orgNumber string) (int, error) {
	if !account.Allowed(by, account.ErasePersonalData, "", "") {
		return 0, assessment.ErrNoAccess
	}
	orgNumber = strings.TrimSpace(orgNumber)
	all, err := s.OfSupplier(ctx, orgNumber)
	if err != nil {
		return 0, err
	}
	if len(all) == 0 {
		return 0, apperr.New(apperr.NotFound, "Ingen uppföljning har det organisationsnumret.", "No follow-up has that organisation number.")
	}
	ids := make([]string, len(all))
	for i, sum := range all {
		ids[i] = sum.ID
	}
	return s.erase(ctx, account.Actor{Name: by.Email, IP: ip}, ids, orgNumber)
}

// EraseContactsBefore pseudonymises the contact persons of the follow-ups
// whose last event (issue, submission or close) came before cutoff: the
// retention period has run out. The scheduled job calls it.
func (s *Service) EraseContactsBefore(ctx context.Context, cutoff time.Time) (int, error) {
	c, err := s.catalogs.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	ids := c.IDs(func(sum *assessment.Summary) bool {
		last := max(sum.IssuedAt.Unix(), sum.SubmittedAt.Unix(), sum.ClosedAt.Unix())
		return !sum.ContactErased && last < cutoff.Unix()
	})
	if len(ids) == 0 {
		return 0, nil
	}
	return s.erase(ctx, account.Actor{Name: "retention", IP: "local"}, ids, "retention "+cutoff.Format(time.DateOnly))
}

// erase pseudonymises the contacts of the follow-ups ids and returns how
// many it changed. One person keeps one pseudonym across them.
func (s *Service) erase(ctx context.Context, by account.Actor, ids []string, subject string) (int, error) {
	p := assessment.Pseudonyms{}
	alias := func(v, suffix string) { // a new pseudonym for v, unless it has one or is one
		if _, ok := p[v]; !ok && v != "" && !strings.HasPrefix(v, "kontakt-") {
			p[v] = "kontakt-" + secret.ID()[:10] + suffix
		}
	}
	changed, err := s.updateEach(ctx, ids, "erase the contact of", func(a *assessment.Assessment) error {
		if a.Supplier.ContactErased() {
			return assessment.ErrUnchanged
		}
		alias(a.Supplier.ContactName, "")
		alias(a.Supplier.ContactEmail, assessment.PseudonymDomain)
		for _, e := range a.Trail { // names and addresses the contact had before a correction
			for _, c := range e.Changes {
				switch c.Field {
				case "contactName":
					alias(c.Before, "")
				case "contactEmail":
					alias(c.Before, assessment.PseudonymDomain)
				}
			}
		}
		replace := func(v string) string {
			if r, ok := p[v]; ok {
				return r
			}
			return v
		}
		a.Supplier.ContactName, a.Supplier.ContactEmail = replace(a.Supplier.ContactName), replace(a.Supplier.ContactEmail)
		for i := range a.Trail {
			a.Trail[i].By = replace(a.Trail[i].By)
			for j := range a.Trail[i].Changes {
				c := &a.Trail[i].Changes[j]
				c.Before, c.After = replace(c.Before), replace(c.After)
			}
		}
		a.Trail = append(a.Trail, assessment.TrailEntry{At: s.Now().UTC(), By: by.Name, Action: assessment.ActContactErased})
		return nil
	})
	if err != nil || len(changed) == 0 {
		return len(changed), err
	}
	for _, erase := range s.erasers {
		if err := erase(ctx, changed, p); err != nil {
			return len(changed), err
		}
	}
	_ = s.Audit(ctx, by, "contact_erased", subject, fmt.Sprintf("%d follow-ups", len(changed)))
	return len(changed), nil
}
