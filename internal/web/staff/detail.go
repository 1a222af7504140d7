package staff

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// detail is a as the API shows it to staff.
func (s *handlers) detail(a *assessment.Assessment) api.Detailed {
	return api.DetailOf(a, s.Assessments.Today(), s.Assessments.AgedEvidence(a))
}

func (s *handlers) apiGet(c *fiber.Ctx) error {
	a, err := s.Assessments.Get(c.UserContext(), core.Principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(s.detail(a))
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

func (s *handlers) detailPage(c *fiber.Ctx) error {
	return s.renderDetail(c, fiber.StatusOK, c.Params("id"), fiber.Map{})
}

// renderDetail shows the detail page of assessment id with extra data (a
// refused form's problem, for one).
func (s *handlers) renderDetail(c *fiber.Ctx, status int, id string, data fiber.Map) error {
	p := core.Principal(c)
	a, err := s.Assessments.Get(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	q, err := s.Assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	lang := core.Language(c)
	today := s.Assessments.Today()
	d := &detailPage{A: a, Q: q, Light: a.Light(today), Risk: a.Risk, Today: today,
		Aged: map[string]*assessment.AgedEvidence{}, Files: map[string]assessment.Evidence{},
		CanWrite: account.Allowed(p, account.WriteAssessment, a.Region, a.ID),
		CanFind:  account.Allowed(p, account.RecordFinding, a.Region, a.ID), Carried: carriedOf(a)}
	d.Judged, d.Judgeable = a.Score.Judged("")
	for _, ag := range s.Assessments.AgedEvidence(a) {
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
			dq := detailQuestion{Q: qu, Text: qu.Text.In(lang), A: ans, Shown: shown[qu.ID], Answer: core.AnswerText(qu, ans, lang)}
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
		for _, ar := range s.Set.Catalogue.Areas {
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
	return s.Render(c, status, "coordinator_detail", data)
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
func (s *handlers) explain(q *questionnaire.Questionnaire, a *assessment.Assessment, lang string) []string {
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
		line := fmt.Sprintf(i18n.T(lang, "x.answered"), qu.ID, core.AnswerText(qu, a.Answers[qu.ID], lang), pts, max)
		for _, d := range a.Score.Deviations {
			switch {
			case d.Question != qu.ID:
			case d.Verify:
				line += fmt.Sprintf(i18n.T(lang, "x.verify"), s.RequirementName(d.Requirement, lang))
			default:
				line += fmt.Sprintf(i18n.T(lang, "x.raises"), i18n.T(lang, "c.sev."+string(d.Severity)), s.RequirementName(d.Requirement, lang))
			}
		}
		out = append(out, line)
	}
	return out
}
