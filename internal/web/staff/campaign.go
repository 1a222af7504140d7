package staff

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/campaignfile"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/web/core"
)

// MaxCampaignFile caps an uploaded supplier list.
const MaxCampaignFile = 2 << 20

func (s *handlers) campaignRoutes() {
	s.HandleUpload("POST", "/api/v1/campaigns", account.WriteAssessment, s.apiCampaign)
	s.HandleUpload("POST", "/assessments/campaign", account.WriteAssessment, s.campaignForm)
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
func (s *handlers) apiCampaign(c *fiber.Ctx) error {
	res, err := s.runCampaign(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// campaignForm is the same from the coordinator's page.
func (s *handlers) campaignForm(c *fiber.Ctx) error {
	res, err := s.runCampaign(c)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		summary, fields := core.FieldErrors(err, core.Language(c))
		return s.renderIssue(c, core.StatusOf[ae.Code], fiber.Map{"Form": issueFormData{Language: "sv", Level: "basic"}, "Error": summary, "Fields": fields})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.Render(c, fiber.StatusOK, "coordinator_campaign", res)
}

// runCampaign reads the form and the CSV, issues, and invites each supplier.
func (s *handlers) runCampaign(c *fiber.Ctx) (*followup.CampaignResult, error) {
	var f campaignForm
	if err := core.DecodeForm(c, &f); err != nil {
		return nil, err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "Bifoga en CSV-fil med leverantörer (fältet file).", "Attach a CSV file of suppliers (field file).")
	}
	if fh.Size > MaxCampaignFile {
		return nil, apperr.New(apperr.Invalid, "CSV-filen är för stor (högst 2 MB).", "The CSV file is too large (at most 2 MB).")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxCampaignFile))
	if err != nil {
		return nil, err
	}
	lines, err := campaignfile.Read(data)
	if err != nil {
		return nil, err
	}
	version, _ := strconv.Atoi(f.QuestionnaireVersion)
	res, err := s.Assessments.Campaign(c.UserContext(), core.Principal(c), c.IP(), followup.CampaignInput{
		IssueInput: followup.IssueInput{
			RiskArea: f.RiskArea, Questionnaire: f.Questionnaire, QuestionnaireVersion: version,
			Level: questionnaire.Level(f.Level), Language: f.Language, DueDate: f.DueDate,
		},
		Lines: lines,
	})
	if err != nil {
		return nil, err
	}
	for i := range res.Created {
		res.Created[i].Link = s.SupplierLink(c, res.Created[i].Token)
		if a, err := s.Assessments.Get(c.UserContext(), core.Principal(c), res.Created[i].ID); err == nil {
			s.Invite(c, a, res.Created[i].Link)
		}
	}
	lang := core.Language(c)
	for _, rows := range [][]followup.CampaignRow{res.Created, res.Reused, res.Skipped, res.Errors} {
		for i := range rows {
			rows[i] = rows[i].In(lang)
		}
	}
	return res, nil
}
