package web

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/campaignfile"
	"github.com/regionerna/saq/internal/questionnaire"
)

// MaxCampaignFile caps an uploaded supplier list.
const MaxCampaignFile = 2 << 20

func (s *Server) campaignRoutes() {
	s.handleUpload("POST", "/api/v1/campaigns", account.WriteAssessment, s.apiCampaign)
	s.handleUpload("POST", "/assessments/campaign", account.WriteAssessment, s.campaignForm)
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
	res, err := s.runCampaign(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// campaignForm is the same from the coordinator's page.
func (s *Server) campaignForm(c *fiber.Ctx) error {
	res, err := s.runCampaign(c)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return err
		}
		summary, fields := fieldErrors(err, language(c))
		return s.renderIssue(c, statusOf[ae.Code], fiber.Map{"Form": issueFormData{Language: "sv", Level: "basic"}, "Error": summary, "Fields": fields})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "coordinator_campaign", res)
}

// runCampaign reads the form and the CSV, issues, and invites each supplier.
func (s *Server) runCampaign(c *fiber.Ctx) (*assessment.CampaignResult, error) {
	var f campaignForm
	if err := decodeForm(c, &f); err != nil {
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
	res, err := s.assessments.Campaign(c.UserContext(), principal(c), c.IP(), assessment.CampaignInput{
		IssueInput: assessment.IssueInput{
			RiskArea: f.RiskArea, Questionnaire: f.Questionnaire, QuestionnaireVersion: version,
			Level: questionnaire.Level(f.Level), Language: f.Language, DueDate: f.DueDate,
		},
		Lines: lines,
	})
	if err != nil {
		return nil, err
	}
	for i := range res.Created {
		res.Created[i].Link = s.supplierLink(c, res.Created[i].Token)
		if a, err := s.assessments.Get(c.UserContext(), principal(c), res.Created[i].ID); err == nil {
			s.invite(c, a, res.Created[i].Link)
		}
	}
	lang := language(c)
	for _, rows := range [][]assessment.CampaignRow{res.Created, res.Reused, res.Skipped, res.Errors} {
		for i := range rows {
			rows[i] = rows[i].In(lang)
		}
	}
	return res, nil
}
