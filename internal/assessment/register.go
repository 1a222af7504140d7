package assessment

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/orgnr"
)

// SupplierRecord is the supplier register's entry for one supplier: every
// follow-up of it in every region, and the contacts they were sent to. The
// regions share results so that a supplier is asked once; this is where a
// coordinator sees what the others already know.
type SupplierRecord struct {
	OrgNumber string
	Name      string // as the newest follow-up has it
	Country   string
	FollowUps []Summary // newest first
	Contacts  []Contact // most recently used first
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
func (s *Lists) Supplier(ctx context.Context, by *account.Principal, number string) (*SupplierRecord, error) {
	if !account.Allowed(by, account.ReadAssessments, "", "") {
		return nil, errNoAccess
	}
	list, err := s.ofSupplier(ctx, number)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "Leverantören finns inte i registret.", "The supplier is not in the register.")
	}
	slices.SortFunc(list, func(a, b Summary) int { return cmp.Or(b.IssuedAt.Compare(a.IssuedAt), strings.Compare(a.ID, b.ID)) })
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

// ofSupplier is the summaries of every follow-up whose organisation number
// is number in any form it is written in (5566778899, 556677-8899), so
// that follow-ups stored before numbers were normalised are found too.
func (s *Records) ofSupplier(ctx context.Context, number string) ([]Summary, error) {
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
