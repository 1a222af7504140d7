package api

import (
	"strings"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Assessment is an assessment as the API shows it to coordinators.
type Assessment struct {
	ID                   string              `json:"id"`
	Version              int64               `json:"version"`
	Status               assessment.Status   `json:"status"`
	Region               string              `json:"region"`
	RiskArea             string              `json:"riskArea"`
	Supplier             assessment.Supplier `json:"supplier"`
	ContractRef          string              `json:"contractRef"`
	Questionnaire        string              `json:"questionnaire"`
	QuestionnaireVersion int                 `json:"questionnaireVersion"`
	Level                string              `json:"level"`
	Language             string              `json:"language"`
	DueDate              string              `json:"dueDate"`
	IssuedAt             string              `json:"issuedAt"`
	SubmittedAt          string              `json:"submittedAt,omitempty"`
	Progress             assessment.Progress `json:"progress"`
	Link                 string              `json:"link,omitempty"`
	ReusedFrom           string              `json:"reusedFrom,omitempty"`
	Invitation           *Invitation         `json:"invitation,omitempty"`
	ClosedAt             string              `json:"closedAt,omitempty"`
	Light                assessment.Light    `json:"light"`
	Score                *Score              `json:"score,omitempty"`
	Deviations           []Deviation         `json:"deviations"`
}

// Invitation is how the mail with the current link fared.
type Invitation struct {
	State       string `json:"state"`
	Attempts    int    `json:"attempts"`
	At          string `json:"at"`
	NextAttempt string `json:"nextAttempt,omitempty"`
	Error       string `json:"error,omitempty"`
}

// AssessmentOf is a as the API shows it on the day today.
func AssessmentOf(a *assessment.Assessment, today string) Assessment {
	out := Assessment{
		ID: a.ID, Version: a.Version, Status: a.Status, Region: a.Region, RiskArea: a.RiskArea, Supplier: a.Supplier,
		ContractRef: a.ContractRef, Questionnaire: a.QuestionnaireID, QuestionnaireVersion: a.QuestionnaireVersion,
		Level: string(a.Level), Language: a.Language, DueDate: a.DueDate, IssuedAt: a.IssuedAt.Format(TimeFormat),
		Progress: a.Progress, ReusedFrom: a.ReusedFrom, Light: a.Light(today), Deviations: []Deviation{},
	}
	for i := range a.Deviations {
		out.Deviations = append(out.Deviations, DeviationOf(a, &a.Deviations[i], today))
	}
	if !a.ClosedAt.IsZero() {
		out.ClosedAt = a.ClosedAt.Format(TimeFormat)
	}
	if inv := a.Invitation; inv != nil {
		out.Invitation = &Invitation{State: inv.State, Attempts: inv.Attempts, At: Stamp(inv.At), NextAttempt: Stamp(inv.NextAttempt), Error: inv.Error}
	}
	if r := a.Score; r != nil {
		out.Score = &Score{Total: r.Total, Uncapped: r.Uncapped, Areas: r.Areas, Verified: r.Verified, VerifiedAreas: r.VerifiedAreas,
			Requirements: r.Requirements, Explanation: r.Explanation}
		if a.Risk != nil {
			out.Score.Risk, out.Score.RiskInputs, out.Score.RiskRule = a.Risk.Rating, &a.Risk.Inputs, scoring.RiskRule
		}
	}
	if !a.SubmittedAt.IsZero() {
		out.SubmittedAt = a.SubmittedAt.Format(TimeFormat)
	}
	return out
}

// Score is a submitted assessment's score: totals and areas as 0–100 or
// null where nothing applied, each requirement's status, and the lines that
// explain every number.
type Score struct {
	Total    *float64            `json:"total"`
	Uncapped *float64            `json:"uncapped,omitempty"` // the total before a critical deviation capped it
	Areas    map[string]*float64 `json:"areas"`
	// Verified and VerifiedAreas count only the points the desk audit's
	// verdicts bear out; absent before it gave one.
	Verified      *float64                        `json:"verified,omitempty"`
	VerifiedAreas map[string]*float64             `json:"verifiedAreas,omitempty"`
	Requirements  map[string]*scoring.Requirement `json:"requirements,omitempty"`
	Explanation   []string                        `json:"explanation,omitempty"`
	Risk          string                          `json:"risk,omitempty"` // low, medium, high
	RiskInputs    *scoring.RiskInputs             `json:"riskInputs,omitempty"`
	RiskRule      string                          `json:"riskRule,omitempty"`
}

// TimeFormat is how the API writes a moment (RFC 3339).
const TimeFormat = "2006-01-02T15:04:05Z07:00"

// Deviation is a deviation as the API shows it.
type Deviation struct {
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
	Audit          *AuditVisit                `json:"audit,omitempty"`
	Finding        string                     `json:"finding,omitempty"`
	Evidence       string                     `json:"evidence,omitempty"`
	Status         assessment.DeviationStatus `json:"status"`
	Reason         string                     `json:"reason,omitempty"`
	Light          assessment.Light           `json:"light"`
	RaisedAt       string                     `json:"raisedAt"`
	RaisedBy       string                     `json:"raisedBy"`
	Action         *Action                    `json:"action,omitempty"`
}

// AuditVisit is where, when and by whom a finding was recorded on site.
type AuditVisit struct {
	Site       string `json:"site,omitempty"`
	Date       string `json:"date,omitempty"`
	Auditor    string `json:"auditor,omitempty"`
	Interviews int    `json:"interviews"`
}

// Action is a deviation's action of the time and action plan.
type Action struct {
	Description string      `json:"description"`
	RootCause   string      `json:"rootCause,omitempty"`
	Immediate   string      `json:"immediate,omitempty"`
	Remedy      string      `json:"remedy,omitempty"`
	Prevention  string      `json:"prevention,omitempty"`
	Milestones  []Milestone `json:"milestones,omitempty"`
	ProposedAt  string      `json:"proposedAt,omitempty"`
	Owner       string      `json:"owner"`
	DueDate     string      `json:"dueDate"`
	PlannedAt   string      `json:"plannedAt"`
	Reports     []Report    `json:"reports"`
	ClosedAt    string      `json:"closedAt,omitempty"`
	Note        string      `json:"note,omitempty"`
	// Verification is how the reviewer verified the action, when no
	// reported file shows it.
	Verification *Verification `json:"verification,omitempty"`
}

// Verification is how the reviewer verified an action before closing it.
type Verification struct {
	Method string `json:"method"`
	By     string `json:"by"`
	Date   string `json:"date"`
}

// Milestone is a dated step of an action.
type Milestone struct {
	Date         string `json:"date"`
	What         string `json:"what"`
	MissedLogged string `json:"missedLogged,omitempty"`
}

// Report is the supplier's report on an action's progress.
type Report struct {
	At    string   `json:"at"`
	Text  string   `json:"text"`
	Files []string `json:"files"`
}

// Stamp writes t as the API does, "" for the zero time.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeFormat)
}

// DeviationOf is d of a as the API shows it on the day today.
func DeviationOf(a *assessment.Assessment, d *assessment.Deviation, today string) Deviation {
	out := Deviation{
		ID: d.ID, Requirement: d.Requirement, Area: d.Area, Severity: d.Severity, Source: d.Source, Question: d.Question,
		Answer: d.Answer, Verify: d.Verify, Finding: d.Finding, Evidence: d.Evidence, Status: d.Status, Reason: d.Reason,
		Contradicts: d.Contradicts, MovedFrom: d.MovedFrom, CoveredBy: d.CoveredBy, MoveReason: d.MoveReason, SeverityReason: d.SeverityReason,
		Light: a.LightOf(d, today), RaisedAt: Stamp(d.RaisedAt), RaisedBy: d.RaisedBy,
	}
	if v := d.Audit; v != nil {
		out.Audit = &AuditVisit{v.Site, v.Date, v.Auditor, v.Interviews}
	}
	if a := d.Action; a != nil {
		out.Action = &Action{Description: a.Description, RootCause: a.RootCause, Immediate: a.Immediate, Remedy: a.Remedy,
			Prevention: a.Prevention, ProposedAt: Stamp(a.ProposedAt), Owner: a.Owner, DueDate: a.DueDate, PlannedAt: Stamp(a.PlannedAt),
			ClosedAt: Stamp(a.ClosedAt), Note: a.Note, Reports: []Report{}}
		if v := a.Verification; v != nil {
			out.Action.Verification = &Verification{v.Method, v.By, v.Date}
		}
		for _, m := range a.Milestones {
			out.Action.Milestones = append(out.Action.Milestones, Milestone{m.Date, m.What, Stamp(m.Logged)})
		}
		for _, r := range a.Reports {
			out.Action.Reports = append(out.Action.Reports, Report{Stamp(r.At), r.Text, append([]string{}, r.Files...)})
		}
	}
	return out
}

// Detailed is one assessment with everything a reviewer reads.
type Detailed struct {
	Assessment
	Answers      assessment.Answers `json:"answers"`
	Evidence     []Evidence         `json:"evidence"`
	Comments     []Comment          `json:"comments"`
	Trail        []TrailEntry       `json:"trail"`
	AgedEvidence []Aged             `json:"agedEvidence"`
}

// Evidence is a file of a follow-up, without its contents.
type Evidence struct {
	ID           string `json:"id"`
	Question     string `json:"question,omitempty"`
	Deviation    string `json:"deviation,omitempty"`
	Name         string `json:"name"`
	ContentType  string `json:"contentType"`
	Size         int64  `json:"size"`
	UploadedAt   string `json:"uploadedAt"`
	DocumentDate string `json:"documentDate,omitempty"`
}

// Comment is a reviewer's comment or message to the supplier.
type Comment struct {
	At   string `json:"at"`
	By   string `json:"by"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// TrailEntry is one change in a follow-up's trail.
type TrailEntry struct {
	At      string              `json:"at"`
	By      string              `json:"by"`
	Action  string              `json:"action"`
	Changes []assessment.Change `json:"changes"`
}

// Aged is a file older than its kind of document may be.
type Aged struct {
	Evidence string `json:"evidence"`
	Name     string `json:"name"`
	Date     string `json:"date"`
	Basis    string `json:"basis"`
	Flagged  bool   `json:"flagged"` // older than two years; else older than one
}

// DetailOf is a with its answers, files, comments and trail, as the API
// shows it on the day today; aged are its files older than their basis allows.
func DetailOf(a *assessment.Assessment, today string, aged []assessment.AgedEvidence) Detailed {
	out := Detailed{Assessment: AssessmentOf(a, today), Answers: a.Answers, Evidence: []Evidence{},
		Comments: []Comment{}, Trail: []TrailEntry{}, AgedEvidence: []Aged{}}
	for _, e := range a.Evidence {
		out.Evidence = append(out.Evidence, Evidence{e.ID, e.Question, e.Deviation, e.Name, e.ContentType, e.Size, Stamp(e.UploadedAt), e.DocumentDate})
	}
	for _, c := range a.Comments {
		out.Comments = append(out.Comments, Comment{Stamp(c.At), c.By, c.Kind, c.Text})
	}
	for _, t := range a.Trail {
		changes := t.Changes
		if changes == nil {
			changes = []assessment.Change{}
		}
		out.Trail = append(out.Trail, TrailEntry{Stamp(t.At), t.By, t.Action, changes})
	}
	for _, ag := range aged {
		out.AgedEvidence = append(out.AgedEvidence, Aged{ag.Evidence.ID, ag.Evidence.Name, ag.Date, ag.Basis, ag.Flagged})
	}
	return out
}

// Summary is one row of the list.
type Summary struct {
	ID                   string              `json:"id"`
	Region               string              `json:"region"`
	RiskArea             string              `json:"riskArea"`
	Supplier             string              `json:"supplier"`
	OrgNumber            string              `json:"orgNumber"`
	Country              string              `json:"country"`
	ContractRef          string              `json:"contractRef"`
	Questionnaire        string              `json:"questionnaire"`
	QuestionnaireVersion int                 `json:"questionnaireVersion"`
	Status               assessment.Status   `json:"status"`
	DueDate              string              `json:"dueDate"`
	Overdue              bool                `json:"overdue"`
	Invitation           string              `json:"invitation,omitempty"` // the invitation mail's state
	Undelivered          bool                `json:"undelivered"`          // not started, invitation not delivered
	IssuedAt             string              `json:"issuedAt"`
	SubmittedAt          string              `json:"submittedAt,omitempty"`
	ClosedAt             string              `json:"closedAt,omitempty"`
	Progress             int                 `json:"progress"`           // per cent, in steps of ten
	Total                *float64            `json:"total"`              // claimed
	Verified             *float64            `json:"verified,omitempty"` // verified by the desk audit
	Areas                map[string]*float64 `json:"areas,omitempty"`
	Risk                 string              `json:"risk,omitempty"`
	Deviations           int                 `json:"deviations"` // that stand (see assessment.Deviation.Stands)
	Light                assessment.Light    `json:"light"`
	ReusedFrom           string              `json:"reusedFrom,omitempty"`
}

// SummaryOf is s as the API's lists show it on the day today.
func SummaryOf(s *assessment.Summary, today string) Summary {
	n := 0
	for _, d := range s.Deviations {
		if d.Stands() {
			n++
		}
	}
	return Summary{
		ID: s.ID, Region: s.Region, RiskArea: s.RiskArea, Supplier: s.SupplierName, OrgNumber: s.OrgNumber, Country: s.Country,
		ContractRef: s.ContractRef, Questionnaire: s.Questionnaire, QuestionnaireVersion: s.QuestionnaireVersion,
		Status: s.Status, DueDate: s.DueDate, Overdue: s.Overdue(today),
		Invitation: s.Invitation, Undelivered: s.Undelivered(), IssuedAt: Stamp(s.IssuedAt), SubmittedAt: Stamp(s.SubmittedAt),
		ClosedAt: Stamp(s.ClosedAt), Progress: s.Progress, Total: s.Total, Verified: s.Verified, Areas: s.Areas, Risk: s.Risk, Deviations: n,
		Light: s.Light(today), ReusedFrom: s.ReusedFrom,
	}
}

// SummariesOf is SummaryOf of each of list.
func SummariesOf(list []assessment.Summary, today string) []Summary {
	out := make([]Summary, len(list))
	for i := range list {
		out[i] = SummaryOf(&list[i], today)
	}
	return out
}

// ActionBody is an action of the time and action plan. The API takes
// the milestones as a list; a form as lines of "YYYY-MM-DD what".
type ActionBody struct {
	Description    string          `json:"description" form:"description"`
	RootCause      string          `json:"rootCause" form:"rootCause"`
	Immediate      string          `json:"immediate" form:"immediate"`
	Remedy         string          `json:"remedy" form:"remedy"`
	Prevention     string          `json:"prevention" form:"prevention"`
	Milestones     []MilestoneBody `json:"milestones" form:"-" validate:"max=12"`
	MilestoneLines string          `json:"-" form:"milestones" validate:"max=10000"`
	Owner          string          `json:"owner" form:"owner"`
	DueDate        string          `json:"dueDate" form:"dueDate"`
	// SameAs names the deviation whose action remedies this one too.
	SameAs string `json:"sameAs" form:"sameAs" validate:"max=64"`
}

// MilestoneBody is a milestone as the API takes it.
type MilestoneBody struct {
	Date string `json:"date"`
	What string `json:"what"`
}

// Input is the action as the service takes it, the milestones from the
// list or, from a form, from its lines.
func (b *ActionBody) Input() assessment.ActionInput {
	in := assessment.ActionInput{Description: b.Description, RootCause: b.RootCause, Immediate: b.Immediate, Remedy: b.Remedy,
		Prevention: b.Prevention, Owner: b.Owner, DueDate: b.DueDate, SameAs: b.SameAs}
	for _, m := range b.Milestones {
		in.Milestones = append(in.Milestones, assessment.MilestoneInput{Date: m.Date, What: m.What})
	}
	for _, line := range strings.Split(b.MilestoneLines, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			date, what, _ := strings.Cut(line, " ")
			in.Milestones = append(in.Milestones, assessment.MilestoneInput{Date: date, What: what})
		}
	}
	return in
}

// PlanAction is an action of the time and action plan as the API shows it.
type PlanAction struct {
	Description string          `json:"description"`
	RootCause   string          `json:"rootCause"`
	Immediate   string          `json:"immediate"`
	Remedy      string          `json:"remedy"`
	Prevention  string          `json:"prevention"`
	Milestones  []MilestoneBody `json:"milestones"`
	Owner       string          `json:"owner"`
	DueDate     string          `json:"dueDate"`
	Proposed    bool            `json:"proposed"` // by the supplier, not written by the reviewer
}

// PlanActionOf is the supplier's view of an action; nil for none.
func PlanActionOf(a *assessment.Action) *PlanAction {
	if a == nil {
		return nil
	}
	out := &PlanAction{Description: a.Description, RootCause: a.RootCause, Immediate: a.Immediate, Remedy: a.Remedy,
		Prevention: a.Prevention, Owner: a.Owner, DueDate: a.DueDate, Proposed: !a.ProposedAt.IsZero(), Milestones: []MilestoneBody{}}
	for _, m := range a.Milestones {
		out.Milestones = append(out.Milestones, MilestoneBody{m.Date, m.What})
	}
	return out
}
