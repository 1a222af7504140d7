package supplier

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/report"
	"github.com/regionerna/saq/internal/web/core"
)

// supplierDocument is what a supplier's document is made from: its
// language, the link's follow-up and its questionnaire.
func (s *handlers) supplierDocument(c *fiber.Ctx) (string, *assessment.Assessment, *questionnaire.Questionnaire, error) {
	lang, err := core.ReportLang(c)
	if err != nil {
		return "", nil, nil, err
	}
	a := core.SupplierAssessment(c)
	q, err := s.Assessments.Questionnaire(a)
	return lang, a, q, err
}

// supplierReceipt is the supplier's own answers and attachments, to keep.
func (s *handlers) supplierReceipt(c *fiber.Ctx) error {
	lang, a, q, err := s.supplierDocument(c)
	if err != nil {
		return err
	}
	in := report.Receipt{A: a, Q: q, RegionName: s.Org.RegionName(a.Region, lang), Lang: lang, Now: s.Assessments.Now()}
	var buf bytes.Buffer
	if err := report.WriteReceipt(&buf, in); err != nil {
		return fmt.Errorf("receipt %s: %w", a.ID, err)
	}
	return core.SendPDF(c, i18n.T(lang, "r.receipt")+" "+a.Supplier.Name, buf.Bytes())
}

// supplierBlank is the questionnaire of the supplier's level printed empty,
// for collecting answers from its sites.
func (s *handlers) supplierBlank(c *fiber.Ctx) error {
	lang, a, q, err := s.supplierDocument(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteBlank(&buf, report.Blank{Q: q, Level: a.Level, Lang: lang, Now: s.Assessments.Now()}); err != nil {
		return fmt.Errorf("blank questionnaire for %s: %w", a.ID, err)
	}
	return core.SendPDF(c, i18n.T(lang, "r.blank"), buf.Bytes())
}
