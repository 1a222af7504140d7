package staff

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/review"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// reviewOp is one reviewer operation on a follow-up, offered both as a JSON
// API route and as a form on the detail page.
type reviewOp struct {
	method string // of the API route; forms always POST
	path   string // after /assessments/:id
	action account.Action
	body   func() any // a new request body
	run    func(s *handlers, c *fiber.Ctx, id string, body any) (*assessment.Assessment, error)
}

// The service checks the fields of findingBody, actionBody and contactBody
// itself, all in one pass, so they carry no format checks that would report
// some problems a round before the rest.
type (
	messageBody struct {
		Message string `json:"message" form:"message" validate:"required,max=5000"`
	}
	textBody struct {
		Text string `json:"text" form:"text" validate:"required,max=5000"`
	}
	reasonBody struct {
		Reason string `json:"reason" form:"reason" validate:"required,max=5000"`
	}
	findingBody struct {
		Requirement string `json:"requirement" form:"requirement"`
		Severity    string `json:"severity" form:"severity"`
		Source      string `json:"source" form:"source"`
		Finding     string `json:"finding" form:"finding"`
		Evidence    string `json:"evidence" form:"evidence"`
		Kind        string `json:"kind" form:"kind" validate:"omitempty,oneof=deviation observation"`
		// SeverityReason says why the severity differs from the catalogue's.
		SeverityReason string `json:"severityReason" form:"severityReason"`
		Contradicts    string `json:"contradicts" form:"contradicts" validate:"max=64"`
		Site           string `json:"site" form:"site"`
		Date           string `json:"date" form:"date"`
		Auditor        string `json:"auditor" form:"auditor"`
		Interviews     int    `json:"interviews" form:"interviews"`
	}
	decisionBody struct {
		Decision string `json:"decision" form:"decision" validate:"required,oneof=confirm dismiss"`
		Reason   string `json:"reason" form:"reason" validate:"max=5000"`
	}

	settleBody struct {
		Outcome    string `json:"outcome" form:"outcome" validate:"required,oneof=closed accepted"`
		Note       string `json:"note" form:"note" validate:"max=5000"`
		Method     string `json:"method" form:"method"`
		VerifiedBy string `json:"verifiedBy" form:"verifiedBy"`
		VerifiedOn string `json:"verifiedOn" form:"verifiedOn"`
	}
	moveBody struct {
		Requirement string `json:"requirement" form:"requirement" validate:"required,max=64"`
		Reason      string `json:"reason" form:"reason" validate:"max=5000"`
	}
	dueBody struct {
		DueDate string `json:"dueDate" form:"dueDate" validate:"required,max=10"`
	}
	contactBody struct {
		ContactName  string `json:"contactName" form:"contactName"`
		ContactEmail string `json:"contactEmail" form:"contactEmail"`
	}
	// verdictsBody is the desk audit's verdicts on the evidence, one row
	// per requirement judged; the service checks the verdicts and notes.
	verdictsBody struct {
		Verdicts []verdictRow `json:"verdicts" form:"verdicts" validate:"required,min=1,max=200,dive"`
	}
	verdictRow struct {
		Requirement string `json:"requirement" form:"requirement" validate:"required,max=64"`
		Verdict     string `json:"verdict" form:"verdict"` // "" clears it
		Note        string `json:"note" form:"note"`
	}
	noBody struct{}
)

var reviewOps = []reviewOp{
	{"POST", "/review", account.WriteAssessment, func() any { return &noBody{} },
		func(s *handlers, c *fiber.Ctx, id string, _ any) (*assessment.Assessment, error) {
			return s.Reviews.StartReview(c.UserContext(), core.Principal(c), c.IP(), id)
		}},
	{"POST", "/return", account.WriteAssessment, func() any { return &messageBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			a, err := s.Reviews.Return(c.UserContext(), core.Principal(c), c.IP(), id, b.(*messageBody).Message)
			if err == nil && s.Notifier != nil {
				if err := s.Notifier.Returned(c.UserContext(), a, b.(*messageBody).Message); err != nil {
					s.Log.ErrorContext(c.UserContext(), "return message not kept", "assessment", a.ID, "err", err)
				}
			}
			return a, err
		}},
	{"POST", "/comments", account.WriteAssessment, func() any { return &textBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			return s.Reviews.AddComment(c.UserContext(), core.Principal(c), c.IP(), id, b.(*textBody).Text)
		}},
	{"POST", "/deviations", account.RecordFinding, func() any { return &findingBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			f := b.(*findingBody)
			a, _, err := s.Reviews.AddFinding(c.UserContext(), core.Principal(c), c.IP(), id, review.FindingInput{
				Requirement: f.Requirement, Severity: questionnaire.Severity(f.Severity), Source: assessment.Source(f.Source),
				Finding: f.Finding, Evidence: f.Evidence, Observation: f.Kind == "observation",
				SeverityReason: f.SeverityReason, Contradicts: f.Contradicts,
				Site: f.Site, Date: f.Date, Auditor: f.Auditor, Interviews: f.Interviews,
			})
			return a, err
		}},
	{"POST", "/verdicts", account.RecordFinding, func() any { return &verdictsBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			var in []review.VerdictInput
			for _, v := range b.(*verdictsBody).Verdicts {
				in = append(in, review.VerdictInput{Requirement: v.Requirement, Verdict: scoring.Verdict(v.Verdict), Note: v.Note})
			}
			return s.Reviews.Judge(c.UserContext(), core.Principal(c), c.IP(), id, in)
		}},
	{"POST", "/deviations/:dev/decision", account.WriteAssessment, func() any { return &decisionBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			d := b.(*decisionBody)
			return s.Reviews.Decide(c.UserContext(), core.Principal(c), c.IP(), id, c.Params("dev"), d.Decision == "confirm", d.Reason)
		}},
	{"PUT", "/deviations/:dev/action", account.WriteAssessment, func() any { return &api.ActionBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			return s.Reviews.PlanAction(c.UserContext(), core.Principal(c), c.IP(), id, c.Params("dev"), b.(*api.ActionBody).Input())
		}},
	{"POST", "/deviations/:dev/settle", account.WriteAssessment, func() any { return &settleBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			st := b.(*settleBody)
			return s.Reviews.SettleDeviation(c.UserContext(), core.Principal(c), c.IP(), id, c.Params("dev"), review.SettleInput{
				Accept: st.Outcome == "accepted", Note: st.Note, Method: st.Method, VerifiedBy: st.VerifiedBy, VerifiedOn: st.VerifiedOn})
		}},
	{"POST", "/deviations/:dev/move", account.WriteAssessment, func() any { return &moveBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			m := b.(*moveBody)
			return s.Reviews.MoveDeviation(c.UserContext(), core.Principal(c), c.IP(), id, c.Params("dev"), m.Requirement, m.Reason)
		}},
	{"POST", "/plan/request", account.WriteAssessment, func() any { return &messageBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			a, err := s.Reviews.RequestPlan(c.UserContext(), core.Principal(c), c.IP(), id, b.(*messageBody).Message)
			return s.tell(c, a, err, notify.PlanRequested, func() string { return b.(*messageBody).Message + "\n\n" + s.Notifier.PlanDueLine(a) })
		}},
	{"POST", "/plan", account.WriteAssessment, func() any { return &noBody{} },
		func(s *handlers, c *fiber.Ctx, id string, _ any) (*assessment.Assessment, error) {
			a, err := s.Reviews.AgreePlan(c.UserContext(), core.Principal(c), c.IP(), id)
			return s.tell(c, a, err, notify.PlanAgreed, func() string { return notify.ActionList(a) })
		}},
	{"POST", "/close", account.WriteAssessment, func() any { return &noBody{} },
		func(s *handlers, c *fiber.Ctx, id string, _ any) (*assessment.Assessment, error) {
			a, err := s.Reviews.Close(c.UserContext(), core.Principal(c), c.IP(), id)
			return s.tell(c, a, err, notify.Closed, func() string { return i18n.T(a.Language, "mail.closed") })
		}},
	{"POST", "/withdraw", account.WriteAssessment, func() any { return &reasonBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			a, err := s.Reviews.Withdraw(c.UserContext(), core.Principal(c), c.IP(), id, b.(*reasonBody).Reason)
			return s.tell(c, a, err, notify.Withdrawn, func() string { return b.(*reasonBody).Reason })
		}},
	{"PUT", "/due-date", account.WriteAssessment, func() any { return &dueBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			return s.Assessments.ExtendDue(c.UserContext(), core.Principal(c), c.IP(), id, b.(*dueBody).DueDate)
		}},
	{"PUT", "/contact", account.WriteAssessment, func() any { return &contactBody{} },
		func(s *handlers, c *fiber.Ctx, id string, b any) (*assessment.Assessment, error) {
			f := b.(*contactBody)
			return s.Assessments.CorrectContact(c.UserContext(), core.Principal(c), c.IP(), id, f.ContactName, f.ContactEmail)
		}},
}

// tell sends the supplier a notice of what a successful operation did. A
// failure to keep it is logged, not returned: the change is made.
func (s *handlers) tell(c *fiber.Ctx, a *assessment.Assessment, err error, kind string, detail func() string) (*assessment.Assessment, error) {
	if err != nil || s.Notifier == nil || a.ReusedFrom != "" {
		return a, err
	}
	if nerr := s.Notifier.Notice(c.UserContext(), a, kind, detail()); nerr != nil {
		s.Log.ErrorContext(c.UserContext(), "notice not kept", "kind", kind, "assessment", a.ID, "err", nerr)
	}
	return a, nil
}

func (s *handlers) reviewRoutes() {
	for _, op := range reviewOps {
		s.Handle(op.method, "/api/v1/assessments/:id"+op.path, op.action, s.apiReviewOp(op))
		s.Handle("POST", "/assessments/:id"+op.path, op.action, s.formReviewOp(op))
	}
}

// apiReviewOp answers with the assessment as it is after the operation.
func (s *handlers) apiReviewOp(op reviewOp) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := s.Reviews.Authorize(c.UserContext(), core.Principal(c), c.Params("id"), op.action); err != nil {
			return err
		}
		body := op.body()
		if _, empty := body.(*noBody); !empty || len(c.Body()) > 0 {
			if err := core.DecodeJSON(c, body); err != nil {
				return err
			}
		}
		if err := core.ValidateStruct(body); err != nil {
			return err
		}
		a, err := op.run(s, c, c.Params("id"), body)
		if err != nil {
			return err
		}
		return c.JSON(s.detail(a))
	}
}

// formReviewOp redirects to the detail page, or shows it again with the
// problem and the status code that goes with it.
func (s *handlers) formReviewOp(op reviewOp) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := s.Reviews.Authorize(c.UserContext(), core.Principal(c), c.Params("id"), op.action); err != nil {
			return err
		}
		body := op.body()
		err := core.DecodeForm(c, body)
		if err == nil {
			_, err = op.run(s, c, c.Params("id"), body)
		}
		if err != nil {
			ae, ok := apperr.As(err)
			if !ok || ae.Code == apperr.NotFound && c.Params("dev") == "" {
				return err
			}
			summary, fields := core.FieldErrors(err, core.Language(c))
			if dev := c.Params("dev"); dev != "" {
				fields = onDeviation(fields, dev, op.path)
			}
			return s.renderDetail(c, core.StatusOf[ae.Code], c.Params("id"), fiber.Map{"Error": summary, "Fields": fields, "Form": body, "Op": op.path, "Dev": c.Params("dev")})
		}
		// The page then says what was done (doneKey), at its top.
		return c.Redirect("/assessments/"+c.Params("id")+"?done="+doneKey(op.path), fiber.StatusSeeOther)
	}
}

// onDeviation names a deviation form's problems as its fields are named on
// the page, "<deviation>-<form>-<field>", so that each links to its field:
// every deviation has its forms. A milestone's problem is the milestones'.
func onDeviation(fields map[string]string, dev, path string) map[string]string {
	form := path[strings.LastIndex(path, "/")+1:]
	out := make(map[string]string, len(fields))
	for f, m := range fields {
		f, _, _ = strings.Cut(f, ".")
		out[dev+"-"+form+"-"+f] = m
	}
	return out
}

// doneKey names a form's operation for the notice after it: its path
// without the deviation ("/deviations/:dev/settle" is "deviations-settle").
func doneKey(path string) string {
	return strings.Trim(strings.NewReplacer("/:dev/", "-", "/", "-").Replace(path), "-")
}
