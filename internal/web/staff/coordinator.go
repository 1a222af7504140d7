package staff

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/web/core"
)

// Coordinator pages: issue a questionnaire, and follow the progress of those issued.
func (s *handlers) coordinatorRoutes() {
	s.Handle("GET", "/assessments", account.ReadAssessments, s.assessmentsPage)
	s.Handle("GET", "/assessments/new", account.WriteAssessment, s.issuePage)
	s.Handle("POST", "/assessments", account.WriteAssessment, s.issueForm)
	s.Handle("GET", "/assessments/:id", account.ReadAssessments, s.detailPage)
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

func (s *handlers) issuePage(c *fiber.Ctx) error {
	return s.renderIssue(c, fiber.StatusOK, fiber.Map{"Form": issueFormData{
		Language: "sv", Level: "basic", Questionnair: "code-of-conduct",
		DueDate: time.Now().AddDate(0, 3, 0).Format(time.DateOnly),
	}})
}

func (s *handlers) renderIssue(c *fiber.Ctx, status int, data fiber.Map) error {
	lang := core.Language(c)
	var areas, qs []core.Option
	for _, a := range s.Org.RiskAreas {
		areas = append(areas, core.Option{ID: a.ID, Label: a.Name.In(lang)})
	}
	for _, q := range s.Set.Questionnaires {
		if latest, _ := s.Set.Latest(q.ID); latest == q {
			qs = append(qs, core.Option{ID: q.ID, Label: q.Title.In(lang) + " (v" + strconv.Itoa(q.Version) + ")"})
		}
	}
	data["RiskAreas"], data["Questionnaires"], data["Countries"] = areas, qs, s.Countries[lang]
	return s.Render(c, status, "coordinator_issue", data)
}

func (s *handlers) issueForm(c *fiber.Ctx) error {
	var f issueFormData
	err := core.DecodeForm(c, &f)
	var a *assessment.Assessment
	var token string
	if err == nil {
		a, token, err = s.Assessments.Issue(c.UserContext(), core.Principal(c), c.IP(), followup.IssueInput{
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
		summary, fields := core.FieldErrors(err, core.Language(c))
		// Domain field names (supplier.country) map onto the form's (country).
		for k, v := range fields {
			if len(k) > 9 && k[:9] == "supplier." {
				fields[k[9:]] = v
			}
		}
		return s.renderIssue(c, core.StatusOf[ae.Code], fiber.Map{"Form": f, "Error": summary, "Fields": fields})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := fiber.Map{"A": a}
	if a.ReusedFrom == "" {
		data["Link"] = s.SupplierLink(c, token)
		s.Invite(c, a, data["Link"].(string))
	}
	return s.Render(c, fiber.StatusCreated, "coordinator_issued", data)
}
