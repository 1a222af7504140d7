package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// MaxCampaignFile caps an uploaded supplier list.
const MaxCampaignFile = 2 << 20

func (s *Server) campaignRoutes() {
	s.handle("POST", "/api/v1/campaigns", account.WriteAssessment, s.apiCampaign)
}

type campaignForm struct {
	RiskArea             string `form:"riskArea" validate:"required,max=64"`
	Questionnaire        string `form:"questionnaire" validate:"required,max=64"`
	QuestionnaireVersion string `form:"questionnaireVersion" validate:"omitempty,number,max=6"`
	Level                string `form:"level" validate:"omitempty,oneof=basic advanced"`
	Language             string `form:"language" validate:"required,oneof=sv en"`
	DueDate              string `form:"dueDate" validate:"required,datetime=2006-01-02"`
}

// apiCampaign issues the questionnaire to every supplier in an uploaded CSV.
func (s *Server) apiCampaign(c *fiber.Ctx) error {
	var f campaignForm
	if err := decodeForm(c, &f); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return apperr.New(apperr.Invalid, "Bifoga en CSV-fil med leverantörer (fältet file).", "Attach a CSV file of suppliers (field file).")
	}
	if fh.Size > MaxCampaignFile {
		return apperr.New(apperr.Invalid, "CSV-filen är för stor (högst 2 MB).", "The CSV file is too large (at most 2 MB).")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data := make([]byte, fh.Size)
	if _, err := file.Read(data); err != nil && fh.Size > 0 {
		return err
	}
	version, _ := strconv.Atoi(f.QuestionnaireVersion)
	res, err := s.assessments.Campaign(c.UserContext(), principal(c), c.IP(), assessment.CampaignInput{
		IssueInput: assessment.IssueInput{
			RiskArea: f.RiskArea, Questionnaire: f.Questionnaire, QuestionnaireVersion: version,
			Level: questionnaire.Level(f.Level), Language: f.Language, DueDate: f.DueDate,
		},
		CSV: data,
	})
	if err != nil {
		return err
	}
	for i := range res.Created {
		res.Created[i].Link = s.supplierLink(c, res.Created[i].Token)
		if a, err := s.assessments.Get(c.UserContext(), principal(c), res.Created[i].ID); err == nil {
			s.invite(c, a, res.Created[i].Link)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}
