package supplier

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// The supplier's side of the corrective actions: the open actions are on the
// link's first page, each with a form to report progress and attach evidence.
func (s *handlers) supplierActionRoutes() {
	s.HandleUpload("POST", "/s/:token/actions/:dev", account.SupplierResponse, s.supplierReport)
	s.HandleUpload("POST", "/api/v1/s/:token/actions/:dev", account.SupplierResponse, s.apiSupplierReport)
	// The time and action plan, while the reviewer asks for it: one action
	// per confirmed deviation, then the whole plan sent for approval.
	s.Handle("POST", "/s/:token/plan", account.SupplierResponse, s.supplierSavePlan)
	s.Handle("PUT", "/api/v1/s/:token/plan/:dev", account.SupplierResponse, s.apiSupplierPropose)
	s.Handle("POST", "/api/v1/s/:token/plan", account.SupplierResponse, s.apiSupplierSendPlan)
}

// planItem is a confirmed deviation in the plan, with the action proposed
// for it so far, as the supplier sees and edits it.
type planItem struct {
	Deviation   string          `json:"deviation"`
	Requirement string          `json:"requirement"`
	Finding     string          `json:"finding,omitempty"`
	Question    string          `json:"question,omitempty"`
	Action      *api.PlanAction `json:"action,omitempty"`
	// What the page shows of it: the requirement's title and what it
	// expects, and why the deviation was raised (the question and the
	// answer, or the auditor's finding).
	Title    string `json:"-"`
	Expected string `json:"-"`
	Asked    string `json:"-"`
	Answered string `json:"-"`
	// Latest is the last day the action may be due, by the deviation's
	// severity; Critical says an immediate action is required.
	Latest   string `json:"-"`
	Critical bool   `json:"-"`
	// Others are the plan's other deviations whose action may remedy this
	// one too (one root cause, one action), by number and title.
	Others []planOther `json:"-"`
	// Form is what the page's form holds: the action so far, or as typed;
	// Problems what is wrong with it, by field ("owner", "milestones.2.date").
	Form     assessment.ActionInput `json:"-"`
	Problems map[string]string      `json:"-"`
}

// planOther is another deviation of the plan, as the choice of a shared
// action names it.
type planOther struct {
	ID, Label string
	Chosen    bool
}

// SameAsField is the item's choice of another deviation's action, with
// its problem, as the page draws it.
func (p planItem) SameAsField() planField {
	return planField{ID: planFieldID(p.Deviation, "sameAs"), Name: p.Deviation + ".sameAs", Value: p.Form.SameAs, Problem: p.Problems["sameAs"]}
}

// planField is one field of a deviation's part of the plan's form, as the
// page draws it: its label and hint are message keys.
type planField struct {
	ID, Name, Label, Hint, Value, Problem string
	Lines                                 int  // rows of a text area; 0 for one line
	Date                                  bool // a date field
}

// Fields are the item's fields in the order of the form, each with its
// problem, if any; the milestones follow them (MilestoneFields).
func (p planItem) Fields() []planField {
	f := p.Form
	out := []planField{
		{Name: "description", Label: "s.plan.description", Hint: "s.plan.description.hint", Value: f.Description, Lines: 3},
		{Name: "rootCause", Label: "s.plan.rootCause", Hint: "s.plan.rootCause.hint", Value: f.RootCause, Lines: 2},
		{Name: "immediate", Label: "s.plan.immediate", Hint: "s.plan.immediate.hint", Value: f.Immediate, Lines: 2},
		{Name: "remedy", Label: "s.plan.remedy", Hint: "s.plan.remedy.hint", Value: f.Remedy, Lines: 2},
		{Name: "prevention", Label: "s.plan.prevention", Hint: "s.plan.prevention.hint", Value: f.Prevention, Lines: 2},
		{Name: "owner", Label: "s.plan.owner", Hint: "s.plan.owner.hint", Value: f.Owner},
		{Name: "dueDate", Label: "s.plan.dueDate", Hint: "s.plan.dueDate.hint", Value: f.DueDate, Date: true},
	}
	for i := range out {
		out[i].ID, out[i].Problem = planFieldID(p.Deviation, out[i].Name), p.Problems[out[i].Name]
		out[i].Name = p.Deviation + "." + out[i].Name
	}
	return out
}

// milestoneFields is a milestone row's two fields.
type milestoneFields struct {
	N          int
	Date, What planField
}

// MilestoneFields are the item's milestone rows, each a date and a text:
// those given, and room for more (one empty row beyond them, three rows at
// least, MaxMilestones at most).
func (p planItem) MilestoneFields() []milestoneFields {
	var out []milestoneFields
	rows := min(max(len(p.Form.Milestones)+1, 3), max(len(p.Form.Milestones), assessment.MaxMilestones))
	for i := range rows {
		var m assessment.MilestoneInput
		if i < len(p.Form.Milestones) {
			m = p.Form.Milestones[i]
		}
		n := i + 1
		date, what := assessment.MilestoneField(n, "date"), assessment.MilestoneField(n, "what")
		out = append(out, milestoneFields{N: n,
			Date: planField{ID: planFieldID(p.Deviation, date), Name: p.Deviation + "." + date, Value: m.Date, Problem: p.Problems[date], Date: true},
			What: planField{ID: planFieldID(p.Deviation, what), Name: p.Deviation + "." + what, Value: m.What, Problem: p.Problems[what]}})
	}
	return out
}

// supplierPlan is the plan the supplier is asked for; nil when it is not.
// typed, when given, is what the supplier typed in a refused form.
func (s *handlers) supplierPlan(a *assessment.Assessment, q *questionnaire.Questionnaire, lang string, typed map[string]assessment.ActionInput) []planItem {
	if !a.PlanOpen() {
		return nil
	}
	out := []planItem{}
	for _, d := range a.PlanDeviations() {
		item := planItem{Deviation: d.ID, Requirement: d.Requirement, Finding: d.Finding, Question: d.Question, Action: api.PlanActionOf(d.Action),
			Title: d.Requirement, Problems: map[string]string{}, Critical: d.Severity == questionnaire.Critical}
		item.Latest, _ = s.Assessments.LatestDue(a, d)
		if r, ok := s.Set.Catalogue.Requirement(d.Requirement); ok {
			item.Title, item.Expected = r.Title.In(lang), r.Description.In(lang)
		}
		if qu, ok := q.Question(d.Question); ok {
			item.Asked = qu.Text.In(lang)
			if o, ok := qu.Option(d.Answer); ok {
				item.Answered = o.Label.In(lang)
			}
		}
		in, ok := typed[d.ID]
		if !ok && d.Action != nil {
			in = d.Action.Input()
		}
		if !ok && d.CoveredBy != "" {
			in.SameAs = d.CoveredBy
		}
		item.Form = in
		out = append(out, item)
	}
	for i := range out {
		for j, o := range out {
			if i != j {
				out[i].Others = append(out[i].Others, planOther{ID: o.Deviation, Label: fmt.Sprintf("%d: %s", j+1, o.Title), Chosen: out[i].Form.SameAs == o.Deviation})
			}
		}
	}
	return out
}

// planInput reads the plan's form: per deviation its fields, named
// "<deviation>.<field>", and its milestone rows ("<deviation>.milestones.<n>.date"
// and ".what"); a row left empty is no milestone.
func planInput(c *fiber.Ctx, a *assessment.Assessment) map[string]assessment.ActionInput {
	out := map[string]assessment.ActionInput{}
	for _, d := range a.PlanDeviations() {
		v := func(field string) string { return c.FormValue(d.ID + "." + field) }
		in := assessment.ActionInput{Description: v("description"), RootCause: v("rootCause"), Immediate: v("immediate"),
			Remedy: v("remedy"), Prevention: v("prevention"), Owner: v("owner"), DueDate: strings.TrimSpace(v("dueDate")),
			SameAs: strings.TrimSpace(v("sameAs"))}
		for n := 1; n <= assessment.MaxMilestones+1; n++ {
			date, what := strings.TrimSpace(v(assessment.MilestoneField(n, "date"))), v(assessment.MilestoneField(n, "what"))
			if date != "" || strings.TrimSpace(what) != "" {
				in.Milestones = append(in.Milestones, assessment.MilestoneInput{Date: date, What: what})
			}
		}
		out[d.ID] = in
	}
	return out
}

// supplierSavePlan keeps the whole plan as typed ("save"), or sends it for
// approval ("send"); a refused one is shown again as typed, each problem
// at its field.
func (s *handlers) supplierSavePlan(c *fiber.Ctx) error {
	a := core.SupplierAssessment(c)
	typed := planInput(c, a)
	send := c.FormValue("do") == "send"
	_, err := s.Assessments.SavePlan(c.UserContext(), c.Params("token"), c.IP(), typed, send)
	if err == nil {
		done := "saved"
		if send {
			done = "sent"
		}
		return c.Redirect("/s/"+c.Params("token")+"?plan="+done+"#plan", fiber.StatusSeeOther)
	}
	p, ae, err := s.refused(c, err, "plan")
	if err != nil {
		return err
	}
	lang := core.Language(c)
	p.Plan = s.supplierPlan(a, p.Q, lang, typed)
	for _, f := range ae.Fields {
		dev, field, _ := strings.Cut(f.Field, ".")
		href := "#p-" + dev
		for i := range p.Plan {
			if p.Plan[i].Deviation == dev && field != "" {
				p.Plan[i].Problems[field] = f.Message[lang]
				href = "#" + planFieldID(dev, field)
			}
		}
		p.PlanProblems = append(p.PlanProblems, problemLink{Href: href, Text: f.Message[lang]})
	}
	return s.Render(c, core.StatusOf[ae.Code], "supplier_intro", p)
}

// planFieldID is the id of a field of the plan's form.
func planFieldID(dev, field string) string {
	return "f-" + strings.NewReplacer(".", "-").Replace(dev+"."+field)
}

// problemLink is a problem in an error summary, linked to its field.
type problemLink struct{ Href, Text string }

// refused is the first page again for a form refused with err, its
// message at the form it concerns (at); an err that is no refusal to show
// comes back as it is.
func (s *handlers) refused(c *fiber.Ctx, err error, at string) (*supplierPage, *apperr.Error, error) {
	ae, ok := apperr.As(err)
	if !ok {
		return nil, nil, err
	}
	p, perr := s.supplierData(c, 0)
	if perr != nil {
		return nil, nil, perr
	}
	p.Error, p.ErrorFor = ae.Message[core.Language(c)], at
	return p, ae, nil
}

// supplierError shows the first page again with the problem of a refused
// progress report: all its messages, at the form of the deviation it concerns.
func (s *handlers) supplierError(c *fiber.Ctx, err error, at string) error {
	p, ae, err := s.refused(c, err, at)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	for _, f := range ae.Fields {
		p.PlanProblems = append(p.PlanProblems, problemLink{Href: "#t-" + at, Text: f.Message[lang]})
	}
	return s.Render(c, core.StatusOf[ae.Code], "supplier_intro", p)
}

func (s *handlers) apiSupplierPropose(c *fiber.Ctx) error {
	var body api.ActionBody
	if err := core.DecodeJSON(c, &body); err != nil {
		return err
	}
	if err := core.ValidateStruct(&body); err != nil {
		return err
	}
	a, err := s.Assessments.ProposeAction(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), body.Input())
	if err != nil {
		return err
	}
	q, err := s.Assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "plan": s.supplierPlan(a, q, core.Language(c), nil)})
}

func (s *handlers) apiSupplierSendPlan(c *fiber.Ctx) error {
	a, err := s.Assessments.ProposePlan(c.UserContext(), c.Params("token"), c.IP())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "status": a.Status, "proposedAt": api.Stamp(a.PlanProposedAt)})
}

// reportInput reads a progress report: the text, and a file if one was sent.
func reportInput(c *fiber.Ctx) (string, *followup.Upload, error) {
	text := c.FormValue("text")
	if _, err := c.FormFile("file"); err != nil {
		return text, nil, nil
	}
	name, data, err := core.ReadUpload(c)
	if err != nil {
		return "", nil, err
	}
	return text, &followup.Upload{Name: name, Data: data}, nil
}

func (s *handlers) supplierReport(c *fiber.Ctx) error {
	text, file, err := reportInput(c)
	if err == nil {
		_, err = s.Assessments.ReportProgress(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), text, file)
	}
	if err == nil {
		return c.Redirect("/s/"+c.Params("token")+"?reported=1#actions", fiber.StatusSeeOther)
	}
	return s.supplierError(c, err, c.Params("dev"))
}

// apiSupplierReport takes a multipart form (text, file) or JSON {"text": …}.
func (s *handlers) apiSupplierReport(c *fiber.Ctx) error {
	var text string
	var file *followup.Upload
	if c.Is("json") {
		var body struct {
			Text string `json:"text"`
		}
		if err := core.DecodeJSON(c, &body); err != nil {
			return err
		}
		text = body.Text
	} else {
		var err error
		if text, file, err = reportInput(c); err != nil {
			return err
		}
	}
	a, err := s.Assessments.ReportProgress(c.UserContext(), c.Params("token"), c.IP(), c.Params("dev"), text, file)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "actions": supplierActions(a)})
}

// supplierAction is an open corrective action as the supplier sees it.
type supplierAction struct {
	Deviation   string       `json:"deviation"`
	Requirement string       `json:"requirement"`
	Finding     string       `json:"finding,omitempty"`
	Question    string       `json:"question,omitempty"`
	Description string       `json:"description"`
	Owner       string       `json:"owner"`
	DueDate     string       `json:"dueDate"`
	Reports     []api.Report `json:"reports"`
}

func supplierActions(a *assessment.Assessment) []supplierAction {
	out := []supplierAction{}
	for _, d := range a.OpenActions() {
		sa := supplierAction{Deviation: d.ID, Requirement: d.Requirement, Finding: d.Finding, Question: d.Question,
			Description: d.Action.Description, Owner: d.Action.Owner, DueDate: d.Action.DueDate, Reports: []api.Report{}}
		for _, r := range d.Action.Reports {
			sa.Reports = append(sa.Reports, api.Report{At: api.Stamp(r.At), Text: r.Text, Files: append([]string{}, r.Files...)})
		}
		out = append(out, sa)
	}
	return out
}
