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
	s.handleUpload("POST", "/s/:token/actions/:dev", account.SupplierResponse, s.supplierReport)
	s.handleUpload("POST", "/api/v1/s/:token/actions/:dev", account.SupplierResponse, s.apiSupplierReport)
	// The time and action plan, while the reviewer asks for it: one action
	// per confirmed deviation, then the whole plan sent for approval.
	s.handle("POST", "/s/:token/plan/:dev", account.SupplierResponse, s.supplierPropose)
	s.handle("POST", "/s/:token/plan", account.SupplierResponse, s.supplierSendPlan)
	s.handle("PUT", "/api/v1/s/:token/plan/:dev", account.SupplierResponse, s.apiSupplierPropose)
	s.handle("POST", "/api/v1/s/:token/plan", account.SupplierResponse, s.apiSupplierSendPlan)
}

// planItem is a confirmed deviation in the plan, with the action proposed
// for it so far, as the supplier sees and edits it.
type planItem struct {
	Deviation   string         `json:"deviation"`
	Requirement string         `json:"requirement"`
	Finding     string         `json:"finding,omitempty"`
	Question    string         `json:"question,omitempty"`
	Action      *apiPlanAction `json:"action,omitempty"`
	// Form is what the page's form holds: the action so far, or a refused one as typed.
	Form actionBody `json:"-"`
}

// apiPlanAction is an action of the time and action plan as the API shows it.
type apiPlanAction struct {
	Description string          `json:"description"`
	RootCause   string          `json:"rootCause"`
	Immediate   string          `json:"immediate"`
	Remedy      string          `json:"remedy"`
	Prevention  string          `json:"prevention"`
	Milestones  []milestoneBody `json:"milestones"`
	Owner       string          `json:"owner"`
	DueDate     string          `json:"dueDate"`
	Proposed    bool            `json:"proposed"` // by the supplier, not written by the reviewer
}

func toAPIPlanAction(a *assessment.Action) *apiPlanAction {
	if a == nil {
		return nil
	}
	out := &apiPlanAction{Description: a.Description, RootCause: a.RootCause, Immediate: a.Immediate, Remedy: a.Remedy,
		Prevention: a.Prevention, Owner: a.Owner, DueDate: a.DueDate, Proposed: !a.ProposedAt.IsZero(), Milestones: []milestoneBody{}}
	for _, m := range a.Milestones {
		out.Milestones = append(out.Milestones, milestoneBody{m.Date, m.What})
	}
	return out
}

// supplierPlan is the plan the supplier is asked for; nil when it is not.
func supplierPlan(a *assessment.Assessment) []planItem {
	if !a.PlanOpen() {
		return nil
	}
	out := []planItem{}
	for _, d := range a.PlanDeviations() {
		item := planItem{Deviation: d.ID, Requirement: d.Requirement, Finding: d.Finding, Question: d.Question, Action: toAPIPlanAction(d.Action)}
		if act := d.Action; act != nil {
			item.Form = actionBody{Description: act.Description, RootCause: act.RootCause, Immediate: act.Immediate, Remedy: act.Remedy,
				Prevention: act.Prevention, MilestoneLines: milestoneLines(act), Owner: act.Owner, DueDate: act.DueDate}
		}
		out = append(out, item)
	}
	return out
}

// supplierPropose saves the form's action; a refused one is shown again as
// typed, with what is wrong, beside the deviation it was for.
func (s *Server) supplierPropose(c *fiber.Ctx) error {
	var body actionBody
	err := decodeForm(c, &body)
	if err == nil {
		_, err = s.assessments.ProposeAction(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), body.input())
	}
	if err == nil {
		return c.Redirect("/s/"+c.Params("token")+"#plan", fiber.StatusSeeOther)
	}
	return s.supplierError(c, err, c.Params("dev"), &body)
}

func (s *Server) supplierSendPlan(c *fiber.Ctx) error {
	if _, err := s.assessments.ProposePlan(c.UserContext(), c.Params("token"), c.IP()); err != nil {
		return s.supplierError(c, err, "plan", nil)
	}
	return c.Redirect("/s/"+c.Params("token"), fiber.StatusSeeOther) // the page then says the plan was sent
}

// supplierError shows the first page again with the problem of a refused
// progress report or plan: all its messages, at the form it concerns (the
// deviation's, or "plan"), with a refused action as typed.
func (s *Server) supplierError(c *fiber.Ctx, err error, at string, typed *actionBody) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	p, perr := s.supplierData(c, 0)
	if perr != nil {
		return perr
	}
	lang := language(c)
	p.Error, p.ErrorFor = ae.Message[lang], at
	for i := range p.Plan {
		if typed != nil && p.Plan[i].Deviation == at {
			p.Plan[i].Form = *typed
		}
	}
	for _, f := range ae.Fields {
		p.PlanErrors = append(p.PlanErrors, f.Message[lang])
	}
	return s.render(c, statusOf[ae.Code], "supplier_intro", p)
}

func (s *Server) apiSupplierPropose(c *fiber.Ctx) error {
	var body actionBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if err := validateStruct(&body); err != nil {
		return err
	}
	a, err := s.assessments.ProposeAction(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), body.input())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "plan": supplierPlan(a)})
}

func (s *Server) apiSupplierSendPlan(c *fiber.Ctx) error {
	a, err := s.assessments.ProposePlan(c.UserContext(), c.Params("token"), c.IP())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "status": a.Status, "proposedAt": stamp(a.PlanProposedAt)})
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
	return s.supplierError(c, err, c.Params("dev"), nil)
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
