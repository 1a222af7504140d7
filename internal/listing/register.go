package listing

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// SupplierRecord is the supplier register's entry for one supplier: every
// follow-up of it in every region, and the contacts they were sent to. The
// regions share results so that a supplier is asked once; this is where a
// coordinator sees what the others already know.
type SupplierRecord struct {
	OrgNumber string
	Name      string // as the newest follow-up has it
	Country   string
	FollowUps []assessment.Summary // newest first
	Contacts  []Contact            // most recently used first
}

// Contact is one contact person a supplier's follow-ups were sent to.
type Contact struct {
	Name, Email string
	LastUsed    time.Time
	FollowUps   []string // ids
}

// Supplier returns the register entry of the supplier known by number, as
// written in any of the forms Issue accepts. It finds the follow-ups by the
// summary index, like the lists, and reads only those.
func (s *Service) Supplier(ctx context.Context, by *account.Principal, number string) (*SupplierRecord, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return nil, assessment.ErrNoAccess
	}
	list, err := s.OfSupplier(ctx, number)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "Leverantören finns inte i registret.", "The supplier is not in the register.")
	}
	slices.SortFunc(list, func(a, b assessment.Summary) int {
		return cmp.Or(b.IssuedAt.Compare(a.IssuedAt), strings.Compare(a.ID, b.ID))
	})
	r := &SupplierRecord{OrgNumber: list[0].OrgNumber, Name: list[0].SupplierName, Country: list[0].Country, FollowUps: list}
	contacts := map[string]*Contact{}
	for _, sum := range list {
		a, err := s.Repo.Get(ctx, sum.ID)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(a.Supplier.ContactEmail)
		c, ok := contacts[key]
		if !ok {
			c = &Contact{Name: a.Supplier.ContactName, Email: a.Supplier.ContactEmail}
			contacts[key] = c
		}
		c.FollowUps = append(c.FollowUps, a.ID)
		if last := max(a.IssuedAt.Unix(), a.UpdatedAt.Unix()); last > c.LastUsed.Unix() {
			c.LastUsed = time.Unix(last, 0).UTC()
		}
	}
	for _, c := range contacts {
		r.Contacts = append(r.Contacts, *c)
	}
	slices.SortFunc(r.Contacts, func(a, b Contact) int {
		return cmp.Or(b.LastUsed.Compare(a.LastUsed), strings.Compare(a.Email, b.Email))
	})
	return r, nil
}
