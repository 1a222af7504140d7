package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// apiDeviation is a deviation as the API shows it.
type apiDeviation struct {
	ID          string                 `json:"id"`
	Requirement string                 `json:"requirement"`
	Area        string                 `json:"area"`
	Severity    questionnaire.Severity `json:"severity"`
	Source      assessment.Source      `json:"source"`
	Question    string                 `json:"question,omitempty"`
	Answer      string                 `json:"answer,omitempty"`
	Verify      bool                   `json:"verify,omitempty"`
	Contradicts string                 `json:"contradicts,omitempty"`
	MovedFrom   string                 `json:"movedFrom,omitempty"`
	MoveReason  string                 `json:"moveReason,omitempty"`
	CoveredBy   string                 `json:"coveredBy,omitempty"`
	// SeverityReason says why an audit finding's severity differs from the catalogue's.
	SeverityReason string                     `json:"severityReason,omitempty"`
	Audit          *apiAuditVisit             `json:"audit,omitempty"`
	Finding        string                     `json:"finding,omitempty"`
	Evidence       string                     `json:"evidence,omitempty"`
	Status         assessment.DeviationStatus `json:"status"`
	Reason         string                     `json:"reason,omitempty"`
	Light          assessment.Light           `json:"light"`
	RaisedAt       string                     `json:"raisedAt"`
	RaisedBy       string                     `json:"raisedBy"`
	Action         *apiAction                 `json:"action,omitempty"`
}

type apiAuditVisit struct {
	Site       string `json:"site,omitempty"`
	Date       string `json:"date,omitempty"`
	Auditor    string `json:"auditor,omitempty"`
	Interviews int    `json:"interviews"`
}

type apiAction struct {
	Description string         `json:"description"`
	RootCause   string         `json:"rootCause,omitempty"`
	Immediate   string         `json:"immediate,omitempty"`
	Remedy      string         `json:"remedy,omitempty"`
	Prevention  string         `json:"prevention,omitempty"`
	Milestones  []apiMilestone `json:"milestones,omitempty"`
	ProposedAt  string         `json:"proposedAt,omitempty"`
	Owner       string         `json:"owner"`
	DueDate     string         `json:"dueDate"`
	PlannedAt   string         `json:"plannedAt"`
	Reports     []apiReport    `json:"reports"`
	ClosedAt    string         `json:"closedAt,omitempty"`
	Note        string         `json:"note,omitempty"`
	// Verification is how the reviewer verified the action, when no
	// reported file shows it.
	Verification *apiVerification `json:"verification,omitempty"`
}

type apiVerification struct {
	Method string `json:"method"`
	By     string `json:"by"`
	Date   string `json:"date"`
}

type apiMilestone struct {
	Date         string `json:"date"`
	What         string `json:"what"`
	MissedLogged string `json:"missedLogged,omitempty"`
}

type apiReport struct {
	At    string   `json:"at"`
	Text  string   `json:"text"`
	Files []string `json:"files"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func toAPIDeviation(a *assessment.Assessment, d *assessment.Deviation, today string) apiDeviation {
	out := apiDeviation{
		ID: d.ID, Requirement: d.Requirement, Area: d.Area, Severity: d.Severity, Source: d.Source, Question: d.Question,
		Answer: d.Answer, Verify: d.Verify, Finding: d.Finding, Evidence: d.Evidence, Status: d.Status, Reason: d.Reason,
		Contradicts: d.Contradicts, MovedFrom: d.MovedFrom, CoveredBy: d.CoveredBy, MoveReason: d.MoveReason, SeverityReason: d.SeverityReason,
		Light: a.LightOf(d, today), RaisedAt: stamp(d.RaisedAt), RaisedBy: d.RaisedBy,
	}
	if v := d.Audit; v != nil {
		out.Audit = &apiAuditVisit{v.Site, v.Date, v.Auditor, v.Interviews}
	}
	if a := d.Action; a != nil {
		out.Action = &apiAction{Description: a.Description, RootCause: a.RootCause, Immediate: a.Immediate, Remedy: a.Remedy,
			Prevention: a.Prevention, ProposedAt: stamp(a.ProposedAt), Owner: a.Owner, DueDate: a.DueDate, PlannedAt: stamp(a.PlannedAt),
			ClosedAt: stamp(a.ClosedAt), Note: a.Note, Reports: []apiReport{}}
		if v := a.Verification; v != nil {
			out.Action.Verification = &apiVerification{v.Method, v.By, v.Date}
		}
		for _, m := range a.Milestones {
			out.Action.Milestones = append(out.Action.Milestones, apiMilestone{m.Date, m.What, stamp(m.Logged)})
		}
		for _, r := range a.Reports {
			out.Action.Reports = append(out.Action.Reports, apiReport{stamp(r.At), r.Text, append([]string{}, r.Files...)})
		}
	}
	return out
}

// apiDetailed is one assessment with everything a reviewer reads.
type apiDetailed struct {
	apiAssessment
	Answers      assessment.Answers `json:"answers"`
	Evidence     []apiEvidence      `json:"evidence"`
	Comments     []apiComment       `json:"comments"`
	Trail        []apiTrailEntry    `json:"trail"`
	AgedEvidence []apiAged          `json:"agedEvidence"`
}

type apiEvidence struct {
	ID           string `json:"id"`
	Question     string `json:"question,omitempty"`
	Deviation    string `json:"deviation,omitempty"`
	Name         string `json:"name"`
	ContentType  string `json:"contentType"`
	Size         int64  `json:"size"`
	UploadedAt   string `json:"uploadedAt"`
	DocumentDate string `json:"documentDate,omitempty"`
}

type apiComment struct {
	At   string `json:"at"`
	By   string `json:"by"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

type apiTrailEntry struct {
	At      string              `json:"at"`
	By      string              `json:"by"`
	Action  string              `json:"action"`
	Changes []assessment.Change `json:"changes"`
}

type apiAged struct {
	Evidence string `json:"evidence"`
	Name     string `json:"name"`
	Date     string `json:"date"`
	Basis    string `json:"basis"`
	Flagged  bool   `json:"flagged"` // older than two years; else older than one
}

func (s *Server) apiDetail(a *assessment.Assessment) apiDetailed {
	out := apiDetailed{apiAssessment: s.toAPIAssessment(a), Answers: a.Answers, Evidence: []apiEvidence{},
		Comments: []apiComment{}, Trail: []apiTrailEntry{}, AgedEvidence: []apiAged{}}
	for _, e := range a.Evidence {
		out.Evidence = append(out.Evidence, apiEvidence{e.ID, e.Question, e.Deviation, e.Name, e.ContentType, e.Size, stamp(e.UploadedAt), e.DocumentDate})
	}
	for _, c := range a.Comments {
		out.Comments = append(out.Comments, apiComment{stamp(c.At), c.By, c.Kind, c.Text})
	}
	for _, t := range a.Trail {
		changes := t.Changes
		if changes == nil {
			changes = []assessment.Change{}
		}
		out.Trail = append(out.Trail, apiTrailEntry{stamp(t.At), t.By, t.Action, changes})
	}
	for _, ag := range s.assessments.AgedEvidence(a) {
		out.AgedEvidence = append(out.AgedEvidence, apiAged{ag.Evidence.ID, ag.Evidence.Name, ag.Date, ag.Basis, ag.Flagged})
	}
	return out
}

func (s *Server) apiGet(c *fiber.Ctx) error {
	a, err := s.assessments.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.apiDetail(a))
}

// detailPage is what the detail template gets.
type detailPage struct {
	A          *assessment.Assessment
	Q          *questionnaire.Questionnaire
	Sections   []detailSection
	Deviations []detailDeviation
	Light      assessment.Light
	Aged       map[string]*assessment.AgedEvidence // by evidence id; nil (not a zero value, which templates take as true) for a file that is not aged
	Files      map[string]assessment.Evidence
	Risk       *scoring.Risk
	Areas      []areaScore
	CanWrite   bool // may change the follow-up
	CanFind    bool // may record findings
	Today      string
	Explain    []string // each counted question's points, in the reader's language
	Carried    *carriedView
	// Evidence is the desk audit's table: each requirement that counted,
	// its claimed points, the files behind them and the verdict.
	Evidence []evidenceRow
	CanJudge bool // may give verdicts now
	// Missed are the reporting dates of the action plan that passed
	// without a report: grounds for the contract's weekly penalty.
	Missed []assessment.MissedReport
	// Counted are the deviations the heading counts, Observations the
	// audit's observations beside them (noted, not deviations).
	Counted, Observations int
	// Judged of Judgeable requirements the desk audit has judged.
	Judged, Judgeable int
}

// evidenceRow is one requirement in the desk audit's table.
type evidenceRow struct {
	ID, Title   string
	Points, Max int
	Files       []assessment.Evidence
	Verdict     string
	Note        string
	Error       string
}

// carriedView counts the answers carried forward from an earlier submission
// and what the supplier did with them.
type carriedView struct {
	Carried, Confirmed, Changed int
	From                        string
	Submitted                   time.Time
}

// carriedOf is what was carried into a, nil when nothing was.
func carriedOf(a *assessment.Assessment) *carriedView {
	var v *carriedView
	for _, ans := range a.Answers {
		c := ans.Carry
		if c == nil {
			continue
		}
		if v == nil {
			v = &carriedView{From: c.From, Submitted: c.Submitted}
		}
		v.Carried++
		switch c.State {
		case questionnaire.Confirmed:
			v.Confirmed++
		case questionnaire.Changed:
			v.Changed++
		}
	}
	return v
}

type detailSection struct {
	Title     string
	Questions []detailQuestion
}

type detailQuestion struct {
	Q      *questionnaire.Question
	Text   string
	Answer string
	A      assessment.Answer
	Shown  bool
	Files  []assessment.Evidence
}

type detailDeviation struct {
	*assessment.Deviation
	Light       assessment.Light
	AnswerLabel string // the option that raised it, in words
}

type areaScore struct {
	ID, Title string
	Percent   *float64
	Verified  *float64 // nil before the desk audit judged the evidence
	Judged    int      // requirements of the area the desk audit judged
}

func (s *Server) detailPage(c *fiber.Ctx) error {
	return s.renderDetail(c, fiber.StatusOK, c.Params("id"), fiber.Map{})
}

// renderDetail shows the detail page of assessment id with extra data (a
// refused form's problem, for one).
func (s *Server) renderDetail(c *fiber.Ctx, status int, id string, data fiber.Map) error {
	p := principal(c)
	a, err := s.assessments.Get(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	lang := language(c)
	today := s.assessments.Today()
	d := &detailPage{A: a, Q: q, Light: a.Light(today), Risk: a.Risk, Today: today,
		Aged: map[string]*assessment.AgedEvidence{}, Files: map[string]assessment.Evidence{},
		CanWrite: account.Allowed(p, account.WriteAssessment, a.Region, a.ID),
		CanFind:  account.Allowed(p, account.RecordFinding, a.Region, a.ID), Carried: carriedOf(a)}
	d.Judged, d.Judgeable = a.Score.Judged("")
	for _, ag := range s.assessments.AgedEvidence(a) {
		d.Aged[ag.Evidence.ID] = &ag
	}
	for _, e := range a.Evidence {
		d.Files[e.ID] = e
	}
	shown := assessment.Visible(q, a.Level, a.Answers)
	for _, sec := range q.Sections {
		ds := detailSection{Title: sec.Title.In(lang)}
		for i := range sec.Questions {
			qu := &sec.Questions[i]
			if !a.Level.Includes(qu.Level) {
				continue
			}
			ans := a.Answers[qu.ID]
			dq := detailQuestion{Q: qu, Text: qu.Text.In(lang), A: ans, Shown: shown[qu.ID], Answer: answerText(qu, ans, lang)}
			for _, fid := range ans.Files {
				dq.Files = append(dq.Files, d.Files[fid])
			}
			ds.Questions = append(ds.Questions, dq)
		}
		d.Sections = append(d.Sections, ds)
	}
	for i := range a.Deviations {
		dv := &a.Deviations[i]
		label := dv.Answer
		if qu, ok := q.Question(dv.Question); ok {
			if o, ok := qu.Option(dv.Answer); ok {
				label = o.Label.In(lang)
			}
		}
		d.Deviations = append(d.Deviations, detailDeviation{dv, a.LightOf(dv, today), label})
		if dv.Status == assessment.DevObservation {
			d.Observations++
		} else {
			d.Counted++
		}
	}
	d.Explain = s.explain(q, a, lang)
	d.Evidence = evidenceRows(q, a, lang, data)
	d.Missed = a.MissedReports(today)
	d.CanJudge = d.CanFind && (a.Status == assessment.Submitted || a.Status == assessment.InReview || a.Status == assessment.CorrectiveActions)
	if a.Score != nil {
		for _, ar := range s.set.Catalogue.Areas {
			if v, ok := a.Score.Areas[ar.ID]; ok {
				judged, _ := a.Score.Judged(ar.ID)
				d.Areas = append(d.Areas, areaScore{ar.ID, ar.Title.In(lang), v, a.Score.VerifiedAreas[ar.ID], judged})
			}
		}
	}
	data["D"] = d
	if done := "c.done." + c.Query("done"); status == fiber.StatusOK && i18n.Has(lang, done) {
		data["Done"] = i18n.T(lang, done)
	}
	return s.render(c, status, "coordinator_detail", data)
}

// evidenceRows lists the requirements whose questions counted, with what
// the supplier claims, the files attached to those questions and the
// verdict: the one posted again when a refused form is shown anew.
func evidenceRows(q *questionnaire.Questionnaire, a *assessment.Assessment, lang string, data fiber.Map) []evidenceRow {
	if a.Score == nil {
		return nil
	}
	posted := map[string]verdictRow{}
	if f, ok := data["Form"].(*verdictsBody); ok {
		for _, v := range f.Verdicts {
			posted[v.Requirement] = v
		}
	}
	fields, _ := data["Fields"].(map[string]string)
	files := map[string]assessment.Evidence{}
	for _, e := range a.Evidence {
		files[e.ID] = e
	}
	var rows []evidenceRow
	for _, r := range q.Requirements {
		sr := a.Score.Requirements[r.ID]
		if sr == nil || sr.Max == 0 {
			continue
		}
		row := evidenceRow{ID: r.ID, Title: r.Title.In(lang), Points: sr.Points, Max: sr.Max, Error: fields["verdict."+r.ID]}
		if v, ok := a.VerdictOn(r.ID); ok {
			row.Verdict, row.Note = string(v.Verdict), v.Note
		}
		if p, ok := posted[r.ID]; ok {
			row.Verdict, row.Note = p.Verdict, p.Note
		}
		for _, qid := range sr.Questions {
			for _, fid := range a.Answers[qid].Files {
				row.Files = append(row.Files, files[fid])
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// explain is the score's explanation in lang: for each question that
// counted, its answer in words and its points, and the deviations it raised
// (the stored explanation is in English, as scoring writes it).
func (s *Server) explain(q *questionnaire.Questionnaire, a *assessment.Assessment, lang string) []string {
	if a.Score == nil {
		return nil
	}
	var out []string
	shown := assessment.Visible(q, a.Level, a.Answers)
	for _, qu := range q.Questions() {
		if !shown[qu.ID] {
			continue
		}
		pts, max, ok := scoring.Points(qu, a.Answers)
		if !ok {
			continue
		}
		line := fmt.Sprintf(i18n.T(lang, "x.answered"), qu.ID, answerText(qu, a.Answers[qu.ID], lang), pts, max)
		for _, d := range a.Score.Deviations {
			switch {
			case d.Question != qu.ID:
			case d.Verify:
				line += fmt.Sprintf(i18n.T(lang, "x.verify"), s.requirementName(d.Requirement, lang))
			default:
				line += fmt.Sprintf(i18n.T(lang, "x.raises"), i18n.T(lang, "c.sev."+string(d.Severity)), s.requirementName(d.Requirement, lang))
			}
		}
		out = append(out, line)
	}
	return out
}
