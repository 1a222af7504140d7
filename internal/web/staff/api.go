package staff

import (
	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// apiEraseContacts pseudonymises the contact persons of every follow-up of
// one supplier, by organisation number.
func (s *handlers) apiEraseContacts(c *fiber.Ctx) error {
	n, err := s.Assessments.EraseContacts(c.UserContext(), core.Principal(c), c.IP(), c.Params("org"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"followUps": n})
}

// issueRequest is the JSON body of POST /api/v1/assessments. The service
// checks every field in one pass (followup.Service.Issue).
type issueRequest struct {
	Supplier struct {
		Name         string `json:"name"`
		OrgNumber    string `json:"orgNumber"`
		Country      string `json:"country"`
		ContactName  string `json:"contactName"`
		ContactEmail string `json:"contactEmail"`
	} `json:"supplier"`
	ContractRef          string `json:"contractRef"`
	RiskArea             string `json:"riskArea"`
	Questionnaire        string `json:"questionnaire"`
	QuestionnaireVersion int    `json:"questionnaireVersion"`
	Level                string `json:"level"`
	Language             string `json:"language"`
	DueDate              string `json:"dueDate"`
	ForceNew             bool   `json:"forceNew"`
}

func (s *handlers) apiIssue(c *fiber.Ctx) error {
	var r issueRequest
	if err := core.DecodeJSON(c, &r); err != nil {
		return err
	}
	if err := core.ValidateStruct(&r); err != nil {
		return err
	}
	a, token, err := s.Assessments.Issue(c.UserContext(), core.Principal(c), c.IP(), followup.IssueInput{
		Supplier:    assessment.Supplier(r.Supplier),
		ContractRef: r.ContractRef, RiskArea: r.RiskArea, Questionnaire: r.Questionnaire,
		QuestionnaireVersion: r.QuestionnaireVersion, Level: questionnaire.Level(r.Level),
		Language: r.Language, DueDate: r.DueDate, ForceNew: r.ForceNew,
	})
	if err != nil {
		return err
	}
	out := api.AssessmentOf(a, s.Assessments.Today())
	if a.ReusedFrom != "" {
		// No new questionnaire: the supplier's recent answers stand.
		return c.Status(fiber.StatusOK).JSON(out)
	}
	out.Link = s.SupplierLink(c, token)
	s.Invite(c, a, out.Link)
	c.Set(fiber.HeaderLocation, "/api/v1/assessments/"+a.ID)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(out)
}

// apiReissue makes a new supplier link, revokes the old one and sends the
// new one to the supplier's contact.
func (s *handlers) apiReissue(c *fiber.Ctx) error {
	link, err := s.reissue(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"id": c.Params("id"), "link": link})
}

// formReissue does the same from the detail page, which then shows the new
// link once and says it was sent.
func (s *handlers) formReissue(c *fiber.Ctx) error {
	link, err := s.reissue(c)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Code == apperr.NotFound {
			return err
		}
		return s.renderDetail(c, core.StatusOf[ae.Code], c.Params("id"), fiber.Map{"Error": ae.Message[core.Language(c)]})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderDetail(c, fiber.StatusOK, c.Params("id"), fiber.Map{"Link": link})
}

func (s *handlers) reissue(c *fiber.Ctx) (string, error) {
	token, err := s.Assessments.Reissue(c.UserContext(), core.Principal(c), c.IP(), c.Params("id"))
	if err != nil {
		return "", err
	}
	link := s.SupplierLink(c, token)
	if a, err := s.Assessments.Get(c.UserContext(), core.Principal(c), c.Params("id")); err == nil {
		s.Invite(c, a, link)
	}
	return link, nil
}
