package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/collate"
	textlang "golang.org/x/text/language"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Coordinator pages: issue a questionnaire, and follow the progress of those issued.
func (s *Server) coordinatorRoutes() {
	s.handle("GET", "/assessments", account.ReadAssessments, s.assessmentsPage)
	s.handle("GET", "/assessments/new", account.WriteAssessment, s.issuePage)
	s.handle("POST", "/assessments", account.WriteAssessment, s.issueForm)
	s.handle("GET", "/assessments/:id", account.ReadAssessments, s.detailPage)
}

type issueFormData struct {
	Email        string `form:"contactEmail"`
	Name         string `form:"name"`
	OrgNumber    string `form:"orgNumber"`
	Country      string `form:"country"`
	ContactName  string `form:"contactName"`
	ContractRef  string `form:"contractRef"`
	RiskArea     string `form:"riskArea"`
	Questionnair string `form:"questionnaire"`
	Level        string `form:"level"`
	Language     string `form:"language"`
	DueDate      string `form:"dueDate"`
	ForceNew     bool   `form:"forceNew"`
}

func (s *Server) issuePage(c *fiber.Ctx) error {
	return s.renderIssue(c, fiber.StatusOK, fiber.Map{"Form": issueFormData{
		Language: "sv", Level: "basic", Questionnair: "code-of-conduct",
		DueDate: time.Now().AddDate(0, 3, 0).Format(time.DateOnly),
	}})
}

func (s *Server) renderIssue(c *fiber.Ctx, status int, data fiber.Map) error {
	lang := language(c)
	var areas, qs []option
	for _, a := range s.org.RiskAreas {
		areas = append(areas, option{a.ID, a.Name.In(lang)})
	}
	for _, q := range s.set.Questionnaires {
		if latest, _ := s.set.Latest(q.ID); latest == q {
			qs = append(qs, option{q.ID, q.Title.In(lang) + " (v" + strconv.Itoa(q.Version) + ")"})
		}
	}
	data["RiskAreas"], data["Questionnaires"], data["Countries"] = areas, qs, s.countries[lang]
	return s.render(c, status, "coordinator_issue", data)
}

func (s *Server) issueForm(c *fiber.Ctx) error {
	var f issueFormData
	err := decodeForm(c, &f)
	var a *assessment.Assessment
	var token string
	if err == nil {
		a, token, err = s.assessments.Issue(c.UserContext(), principal(c), c.IP(), assessment.IssueInput{
			Supplier:    assessment.Supplier{Name: f.Name, OrgNumber: f.OrgNumber, Country: f.Country, ContactName: f.ContactName, ContactEmail: f.Email},
			ContractRef: f.ContractRef, RiskArea: f.RiskArea, Questionnaire: f.Questionnair,
			Level: questionnaire.Level(f.Level), Language: f.Language, DueDate: f.DueDate, ForceNew: f.ForceNew,
		})
	}
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		summary, fields := fieldErrors(err, language(c))
		// Domain field names (supplier.country) map onto the form's (country).
		for k, v := range fields {
			if len(k) > 9 && k[:9] == "supplier." {
				fields[k[9:]] = v
			}
		}
		return s.renderIssue(c, statusOf[ae.Code], fiber.Map{"Form": f, "Error": summary, "Fields": fields})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := fiber.Map{"A": a}
	if a.ReusedFrom == "" {
		data["Link"] = s.supplierLink(c, token)
		s.invite(c, a, data["Link"].(string))
	}
	return s.render(c, fiber.StatusCreated, "coordinator_issued", data)
}

// countryOptions are the countries by name in each language, sorted as a
// reader of it expects (Å, Ä, Ö last in Swedish); made once, at start.
func countryOptions(names map[string]org.Name) map[string][]option {
	out := map[string][]option{}
	for lang, tag := range map[string]textlang.Tag{"sv": textlang.Swedish, "en": textlang.English} {
		list := make([]option, 0, len(names))
		for code, n := range names {
			list = append(list, option{code, n.In(lang)})
		}
		order := collate.New(tag)
		slices.SortFunc(list, func(a, b option) int { return order.CompareString(a.Label, b.Label) })
		out[lang] = list
	}
	return out
}
