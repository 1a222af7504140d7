package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
)

// The supplier's side of the corrective actions: the open actions are on the
// link's first page, each with a form to report progress and attach evidence.
func (s *Server) supplierActionRoutes() {
	s.handle("POST", "/s/:token/actions/:dev", account.SupplierResponse, s.supplierReport)
	s.handle("POST", "/api/v1/s/:token/actions/:dev", account.SupplierResponse, s.apiSupplierReport)
}

// reportInput reads a progress report: the text, and a file if one was sent.
func reportInput(c *fiber.Ctx) (string, *assessment.Upload, error) {
	text := c.FormValue("text")
	if _, err := c.FormFile("file"); err != nil {
		return text, nil, nil
	}
	name, data, err := readUpload(c)
	if err != nil {
		return "", nil, err
	}
	return text, &assessment.Upload{Name: name, Data: data}, nil
}

func (s *Server) supplierReport(c *fiber.Ctx) error {
	text, file, err := reportInput(c)
	if err == nil {
		_, err = s.assessments.ReportProgress(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), text, file)
	}
	if err == nil {
		return c.Redirect("/s/"+c.Params("token")+"?reported=1#actions", fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	p, perr := s.supplierData(c, 0)
	if perr != nil {
		return perr
	}
	p.Error, p.ErrorFor = ae.Message[language(c)], c.Params("dev")
	return s.render(c, statusOf[ae.Code], "supplier_intro", p)
}

// apiSupplierReport takes a multipart form (text, file) or JSON {"text": …}.
func (s *Server) apiSupplierReport(c *fiber.Ctx) error {
	var text string
	var file *assessment.Upload
	if c.Is("json") {
		var body struct {
			Text string `json:"text"`
		}
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
		text = body.Text
	} else {
		var err error
		if text, file, err = reportInput(c); err != nil {
			return err
		}
	}
	a, err := s.assessments.ReportProgress(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), text, file)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "actions": supplierActions(a)})
}

// supplierAction is an open corrective action as the supplier sees it.
type supplierAction struct {
	Deviation   string      `json:"deviation"`
	Requirement string      `json:"requirement"`
	Finding     string      `json:"finding,omitempty"`
	Question    string      `json:"question,omitempty"`
	Description string      `json:"description"`
	Owner       string      `json:"owner"`
	DueDate     string      `json:"dueDate"`
	Reports     []apiReport `json:"reports"`
}

func supplierActions(a *assessment.Assessment) []supplierAction {
	out := []supplierAction{}
	for _, d := range a.OpenActions() {
		sa := supplierAction{Deviation: d.ID, Requirement: d.Requirement, Finding: d.Finding, Question: d.Question,
			Description: d.Action.Description, Owner: d.Action.Owner, DueDate: d.Action.DueDate, Reports: []apiReport{}}
		for _, r := range d.Action.Reports {
			sa.Reports = append(sa.Reports, apiReport{stamp(r.At), r.Text, append([]string{}, r.Files...)})
		}
		out = append(out, sa)
	}
	return out
}
