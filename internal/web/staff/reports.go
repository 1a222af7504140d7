package staff

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/report"
	"github.com/regionerna/saq/internal/web/core"
)

func (s *handlers) auditReport(c *fiber.Ctx) error {
	lang, err := core.ReportLang(c)
	if err != nil {
		return err
	}
	a, err := s.Assessments.Get(c.UserContext(), core.Principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	q, err := s.Assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	in := report.Audit{A: a, Q: q, Areas: s.Set.Catalogue.Areas, Aged: s.Assessments.AgedEvidence(a),
		RegionName: s.Org.RegionName(a.Region, lang), RiskAreaName: s.Org.RiskAreaName(a.RiskArea, lang),
		CountryName: s.Org.CountryName(a.Supplier.Country, lang),
		Lang:        lang, Today: s.Assessments.Today(), Now: s.Assessments.Now()}
	if a.Risk != nil {
		in.Countries = s.Org.CountryList(a.Risk.Inputs.Countries, lang)
	}
	var buf bytes.Buffer
	if err := report.WriteAudit(&buf, in); err != nil {
		return fmt.Errorf("audit report %s: %w", a.ID, err)
	}
	return core.SendPDF(c, i18n.T(lang, "r.audit")+" "+a.Supplier.Name+" "+a.ID, buf.Bytes())
}

func (s *handlers) annualReport(c *fiber.Ctx) error {
	lang, err := core.ReportLang(c)
	if err != nil {
		return err
	}
	st, err := s.stats(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteAnnual(&buf, report.Annual{Stats: st, Names: s.orgNames(lang), Lang: lang, Now: s.Assessments.Now()}); err != nil {
		return fmt.Errorf("annual report %d: %w", st.Year, err)
	}
	return core.SendPDF(c, fmt.Sprintf(i18n.T(lang, "r.annual"), st.Year), buf.Bytes())
}
