package staff

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// The supplier register: one supplier, by its normalised identity, with
// every region's follow-ups of it.
func (s *handlers) registerRoutes() {
	s.Handle("GET", "/api/v1/suppliers/:org", account.ReadAssessments, s.apiSupplierRecord)
	s.Handle("GET", "/suppliers/:org", account.ReadAssessments, s.supplierPage)
}

type apiRecord struct {
	OrgNumber string `json:"orgNumber"`
	Name      string `json:"name"`
	// OtherNames are the other names the supplier was issued under, the
	// newest first: a new name does not silently replace the old.
	OtherNames  []string           `json:"otherNames"`
	Country     string             `json:"country"`
	CountryName string             `json:"countryName"`
	FollowUps   []apiRecordFollow  `json:"followUps"`
	Reuse       []apiReuse         `json:"reuse"`
	Contacts    []apiRecordContact `json:"contacts"`
}

type apiRecordFollow struct {
	api.Summary
	RegionName     string `json:"regionName"`
	OpenDeviations int    `json:"openDeviations"`
}

// apiReuse is one submission and the follow-ups that stand on it.
type apiReuse struct {
	Submission string   `json:"submission"`
	UsedBy     []string `json:"usedBy"`
	// Carried marks answers carried forward for the supplier to confirm,
	// not reused as reviewed.
	Carried bool `json:"carried,omitempty"`
}

type apiRecordContact struct {
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	LastUsed  string   `json:"lastUsed"`
	FollowUps []string `json:"followUps"`
}

func (s *handlers) record(c *fiber.Ctx) (apiRecord, error) {
	org, err := url.PathUnescape(c.Params("org"))
	if err != nil {
		org = c.Params("org")
	}
	r, err := s.Lists.Supplier(c.UserContext(), core.Principal(c), org)
	if err != nil {
		return apiRecord{}, err
	}
	lang, today := core.Language(c), s.Assessments.Today()
	out := apiRecord{OrgNumber: r.OrgNumber, Name: r.Name, Country: r.Country, CountryName: s.Org.CountryName(r.Country, lang),
		FollowUps: []apiRecordFollow{}, Reuse: []apiReuse{}, Contacts: []apiRecordContact{}, OtherNames: []string{}}
	used := map[string]int{} // submission id → index in Reuse
	for i := range r.FollowUps {
		f := &r.FollowUps[i]
		out.FollowUps = append(out.FollowUps, apiRecordFollow{api.SummaryOf(f, today), s.Org.RegionName(f.Region, lang), f.OpenDeviations()})
		if f.SupplierName != r.Name && !slices.Contains(out.OtherNames, f.SupplierName) {
			out.OtherNames = append(out.OtherNames, f.SupplierName)
		}
		from, carried := f.ReusedFrom, false
		if from == "" {
			from, carried = f.CarriedFrom, true
		}
		if from == "" {
			continue
		}
		key := fmt.Sprintf("%s/%v", from, carried)
		if _, ok := used[key]; !ok {
			used[key] = len(out.Reuse)
			out.Reuse = append(out.Reuse, apiReuse{Submission: from, Carried: carried})
		}
		u := &out.Reuse[used[key]]
		u.UsedBy = append(u.UsedBy, f.ID)
	}
	for _, ct := range r.Contacts {
		out.Contacts = append(out.Contacts, apiRecordContact{ct.Name, ct.Email, api.Stamp(ct.LastUsed), ct.FollowUps})
	}
	return out, nil
}

func (s *handlers) apiSupplierRecord(c *fiber.Ctx) error {
	r, err := s.record(c)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *handlers) supplierPage(c *fiber.Ctx) error {
	r, err := s.record(c)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, f := range r.FollowUps {
		labels[f.ID] = f.Status.Label(core.Language(c))
	}
	return s.Render(c, fiber.StatusOK, "supplier_register", fiber.Map{"R": r, "StatusLabels": labels})
}
