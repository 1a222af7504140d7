package web

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/report"
)

// The PDF documents: a follow-up's audit report for whoever may read it,
// the annual summary by risk area for admins, and the supplier's receipt.
func (s *Server) reportRoutes() {
	for _, prefix := range []string{"", "/api/v1"} {
		s.handle("GET", prefix+"/assessments/:id/report.pdf", account.DownloadReport, s.auditReport)
		s.handle("GET", prefix+"/stats/report.pdf", account.ReadAnnualFigures, s.annualReport)
	}
	s.handle("GET", "/s/:token/receipt", account.SupplierResponse, s.supplierReceipt)
	s.handle("GET", "/s/:token/blank.pdf", account.SupplierResponse, s.supplierBlank)
}

// reportLang is the language a document is asked for: ?lang=sv|en, else the
// reader's own; any other lang is refused rather than ignored. Asking for a
// document in the other language leaves the reader's pages as they were.
func reportLang(c *fiber.Ctx) (string, error) {
	switch l := c.Query("lang"); {
	case i18n.Supported(l):
		return l, nil
	case l != "":
		e := apperr.New(apperr.Invalid, "Språket kan vara sv eller en.", "The language can be sv or en.")
		e.Fields = []apperr.Field{{Field: "lang", Message: e.Message}}
		return "", e
	}
	return language(c), nil
}

func (s *Server) auditReport(c *fiber.Ctx) error {
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	a, err := s.assessments.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	in := report.Audit{A: a, Q: q, Areas: s.set.Catalogue.Areas, Aged: s.assessments.AgedEvidence(a),
		RegionName: s.org.RegionName(a.Region, lang), RiskAreaName: s.org.RiskAreaName(a.RiskArea, lang),
		CountryName: s.org.CountryName(a.Supplier.Country, lang),
		Lang:        lang, Today: s.assessments.Today(), Now: s.assessments.Now()}
	if a.Risk != nil {
		in.Countries = s.org.CountryList(a.Risk.Inputs.Countries, lang)
	}
	var buf bytes.Buffer
	if err := report.WriteAudit(&buf, in); err != nil {
		return fmt.Errorf("audit report %s: %w", a.ID, err)
	}
	return sendPDF(c, i18n.T(lang, "r.audit")+" "+a.Supplier.Name+" "+a.ID, buf.Bytes())
}

func (s *Server) annualReport(c *fiber.Ctx) error {
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	st, err := s.stats(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteAnnual(&buf, report.Annual{Stats: st, Names: s.orgNames(lang), Lang: lang, Now: s.assessments.Now()}); err != nil {
		return fmt.Errorf("annual report %d: %w", st.Year, err)
	}
	return sendPDF(c, fmt.Sprintf(i18n.T(lang, "r.annual"), st.Year), buf.Bytes())
}

// supplierDocument is what a supplier's document is made from: its
// language, the link's follow-up and its questionnaire.
func (s *Server) supplierDocument(c *fiber.Ctx) (string, *assessment.Assessment, *questionnaire.Questionnaire, error) {
	lang, err := reportLang(c)
	if err != nil {
		return "", nil, nil, err
	}
	a := supplierAssessment(c)
	q, err := s.assessments.Questionnaire(a)
	return lang, a, q, err
}

// supplierReceipt is the supplier's own answers and attachments, to keep.
func (s *Server) supplierReceipt(c *fiber.Ctx) error {
	lang, a, q, err := s.supplierDocument(c)
	if err != nil {
		return err
	}
	in := report.Receipt{A: a, Q: q, RegionName: s.org.RegionName(a.Region, lang), Lang: lang, Now: s.assessments.Now()}
	var buf bytes.Buffer
	if err := report.WriteReceipt(&buf, in); err != nil {
		return fmt.Errorf("receipt %s: %w", a.ID, err)
	}
	return sendPDF(c, i18n.T(lang, "r.receipt")+" "+a.Supplier.Name, buf.Bytes())
}

// supplierBlank is the questionnaire of the supplier's level printed empty,
// for collecting answers from its sites.
func (s *Server) supplierBlank(c *fiber.Ctx) error {
	lang, a, q, err := s.supplierDocument(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteBlank(&buf, report.Blank{Q: q, Level: a.Level, Lang: lang, Now: s.assessments.Now()}); err != nil {
		return fmt.Errorf("blank questionnaire for %s: %w", a.ID, err)
	}
	return sendPDF(c, i18n.T(lang, "r.blank"), buf.Bytes())
}

// sendPDF answers with a PDF to download under a file name made from title.
// Reports are confidential: nothing on the way may keep a copy.
func sendPDF(c *fiber.Ctx, title string, pdf []byte) error {
	name := fileName(title) + ".pdf"
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		asciiName(name), url.PathEscape(name)))
	return c.Send(pdf)
}

// fileName turns a title into a file name: letters, digits and dashes.
func fileName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// fold spells the commonest letters of Swedish names in ASCII.
var fold = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u")

// asciiName is name for clients that read only the plain filename parameter.
func asciiName(name string) string {
	name = fold.Replace(name)
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII {
			return '_'
		}
		return r
	}, name)
}
