package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/trailtext"
)

// Audit is what an audit report is made from.
type Audit struct {
	A            *assessment.Assessment
	Q            *questionnaire.Questionnaire // the version the follow-up is pinned to
	Areas        []questionnaire.Area         // the catalogue's areas, in order
	Aged         []assessment.AgedEvidence
	RegionName   string
	RiskAreaName string
	CountryName  string // the supplier's country, in Lang
	// Countries are the production countries the risk rests on, by name
	// in Lang ("" to show the risk's codes as they are).
	Countries string
	Lang      string
	Today     string    // YYYY-MM-DD, for the traffic lights
	Now       time.Time // when the report is made
}

// severities and statuses in the order the report counts them.
var (
	severities = []questionnaire.Severity{questionnaire.Critical, questionnaire.Major, questionnaire.Minor}
	devStatus  = []assessment.DeviationStatus{assessment.DevOpen, assessment.DevConfirmed, assessment.DevDismissed,
		assessment.DevClosed, assessment.DevAccepted, assessment.DevObservation}
)

// reportTitle is the report's title key: an audit report once a desk or
// site audit has found something, else a report of the self-assessment,
// which an auditor has not yet examined.
func reportTitle(a *assessment.Assessment) string {
	for _, dv := range a.Deviations {
		if dv.Source == assessment.DeskAudit || dv.Source == assessment.OnSiteAudit {
			return "r.audit"
		}
	}
	return "r.saq"
}

// WriteAudit writes the audit report of one follow-up as a PDF.
func WriteAudit(w io.Writer, in Audit) error {
	a := in.A
	d := newDoc(meta{
		Title:   i18n.T(in.Lang, reportTitle(a)),
		Subject: i18n.T(in.Lang, "r.audit.subject") + ": " + a.Supplier.Name,
		Header:  a.Supplier.Name + " · " + assessment.Reference(a.ID),
		Lang:    in.Lang,
		Now:     in.Now,
	})
	d.auditCover(in)
	d.auditSummary(in)
	d.auditDeviations(in)
	d.actionPlan(in)
	d.answers(in.A, in.Q, true)
	d.auditComments(in)
	d.auditTrail(in)
	return d.write(w)
}

func (d *doc) auditCover(in Audit) {
	a := in.A
	d.title(d.t(reportTitle(a))+": "+a.Supplier.Name, d.t("r.audit.subject"))
	d.heading(d.t("r.cover"), 0)
	d.facts([][2]string{
		{d.t("r.supplier"), a.Supplier.Name},
		{d.t("c.f.orgNumber"), or(a.Supplier.OrgNumber)},
		{d.t("r.country"), or(countryShown(in.CountryName, a.Supplier.Country))},
		{d.t("c.f.contractRef"), or(a.ContractRef)},
		{d.t("c.f.riskArea"), or(in.RiskAreaName)},
		{d.t("r.region"), or(in.RegionName)},
		{d.t("r.questionnaire"), fmt.Sprintf(d.t("r.qversion"), in.Q.Title.In(d.lang), in.Q.Version, in.Q.ID)},
		{d.t("c.f.level"), d.t("c." + string(a.Level))},
		{d.t("r.issued"), d.date(a.IssuedAt)},
		{d.t("c.f.dueDate"), or(i18n.Day(d.lang, a.DueDate))},
		{d.t("r.submitted"), d.date(a.SubmittedAt)},
		{d.t("r.closed"), d.date(a.ClosedAt)},
		{d.t("r.status"), a.Status.Label(d.lang)},
		{d.t("r.light"), d.t("c.light." + string(a.Light(in.Today)))},
		{d.t("r.id"), assessment.Reference(a.ID)},
		{d.t("r.reportmade"), d.stamp(in.Now)},
	})
}

func (d *doc) auditSummary(in Audit) {
	a := in.A
	d.next() // the cover stands alone
	d.heading(d.t("r.summary"), 0)
	if a.Score == nil {
		d.para(d.t("r.notscored"), muted)
	} else {
		d.font("B", 12, ink)
		d.pdf.CellFormat(contentW, 7, d.t("c.score.claimed")+": "+d.percent(a.Score.Total), "", 1, "L", false, 0, "")
		verified := d.t("c.score.unjudged")
		if v := a.Score.Verified; v != nil {
			judged, judgeable := a.Score.Judged("")
			verified = d.percent(v) + " (" + fmt.Sprintf(d.t("c.judged"), judged, judgeable) + ")"
		}
		d.pdf.CellFormat(contentW, 7, d.t("c.score.verified")+": "+verified, "", 1, "L", false, 0, "")
		d.para(d.t("c.score.help"), muted)
		if u := a.Score.Uncapped; u != nil {
			d.para(fmt.Sprintf(d.t("c.score.capped"), d.percent(u)), ink)
		}
	}
	if r := a.Risk; r != nil {
		d.font("B", 10, ink)
		d.pdf.CellFormat(contentW, 6, d.t("r.risk")+": "+d.t("c.risk."+r.Rating), "", 1, "L", false, 0, "")
		yesNo := map[bool]string{true: d.t("r.yes"), false: d.t("r.no")}
		countries := d.t("c.risk.supplier")
		if r.Inputs.Countries != "" {
			names := in.Countries
			if names == "" {
				names = r.Inputs.Countries
			}
			countries = d.t("c.risk.countries") + " " + names
		}
		basis := d.t("c.risk.basis." + r.Inputs.Basis())
		if r.Inputs.Counted > 0 {
			basis += ", " + fmt.Sprintf(d.t("c.risk.judged"), r.Inputs.Judged, r.Inputs.Counted)
		}
		d.para(fmt.Sprintf(d.t("r.risk.inputs"), d.t("c.risk."+r.Inputs.RiskArea), d.t("c.risk."+r.Inputs.Country), countries,
			d.percent(r.Inputs.Score()), basis, yesNo[r.Inputs.Critical], r.Inputs.Majors, yesNo[r.Inputs.Reviewed]), ink)
		d.para(d.t("r.riskrule"), muted)
	}
	if a.Score != nil {
		d.heading(d.t("r.areas"), 1)
		var items []bar
		for _, ar := range in.Areas {
			if v, ok := a.Score.Areas[ar.ID]; ok {
				items = append(items, bar{ar.Title.In(d.lang), v})
			}
		}
		d.bars(items, d.t("r.na"))
		if a.Score.Verified != nil {
			d.heading(d.t("r.areas.verified"), 1)
			items = nil
			for _, ar := range in.Areas {
				if _, ok := a.Score.Areas[ar.ID]; ok {
					v := a.Score.VerifiedAreas[ar.ID]
					if judged, _ := a.Score.Judged(ar.ID); judged == 0 {
						v = nil // nothing judged there: not 0 %
					}
					items = append(items, bar{ar.Title.In(d.lang), v})
				}
			}
			d.bars(items, d.t("r.unjudged"))
		}
	}
	if a.Score != nil {
		d.requirementCounts(in)
		d.verdicts(in)
	}
	d.heading(d.t("r.devcounts"), 1)
	cols := []column{{d.t("c.severity"), 30, "L"}}
	for _, s := range devStatus {
		cols = append(cols, column{d.t("c.dev." + string(s)), 22, "R"})
	}
	cols = append(cols, column{d.t("r.sum"), contentW - 30 - 22*float64(len(devStatus)), "R"})
	count := map[questionnaire.Severity]map[assessment.DeviationStatus]int{}
	for _, dv := range a.Deviations {
		if count[dv.Severity] == nil {
			count[dv.Severity] = map[assessment.DeviationStatus]int{}
		}
		count[dv.Severity][dv.Status]++
	}
	var rows [][]string
	colSums := make([]int, len(devStatus)+1)
	for _, sev := range severities {
		row := []string{d.t("c.sev." + string(sev))}
		sum := 0
		for i, st := range devStatus {
			n := count[sev][st]
			row = append(row, fmt.Sprint(n))
			sum += n
			colSums[i] += n
		}
		colSums[len(devStatus)] += sum
		rows = append(rows, append(row, fmt.Sprint(sum)))
	}
	total := []string{d.t("r.sum")}
	for _, n := range colSums {
		total = append(total, fmt.Sprint(n))
	}
	d.table(cols, append(rows, total), tableOpts{boldFirst: true})
}

// requirementCounts tables how the requirements of each area stand.
func (d *doc) requirementCounts(in Audit) {
	statuses := []scoring.Status{scoring.Met, scoring.PartlyMet, scoring.NotMet, scoring.NotApplicable}
	d.heading(d.t("r.reqcounts"), 1)
	cols := []column{{d.t("c.area"), 68, "L"}}
	for _, st := range statuses {
		cols = append(cols, column{d.t("c.req." + string(st)), 28, "R"})
	}
	count := map[string]map[scoring.Status]int{}
	for _, r := range in.A.Score.Requirements {
		if count[r.Area] == nil {
			count[r.Area] = map[scoring.Status]int{}
		}
		count[r.Area][r.Status]++
	}
	var rows [][]string
	for _, ar := range in.Areas {
		if count[ar.ID] == nil {
			continue
		}
		row := []string{ar.Title.In(d.lang)}
		for _, st := range statuses {
			row = append(row, fmt.Sprint(count[ar.ID][st]))
		}
		rows = append(rows, row)
	}
	d.table(cols, rows, tableOpts{boldFirst: true})
}

func (d *doc) auditDeviations(in Audit) {
	a := in.A
	if len(a.Deviations) == 0 {
		d.heading(d.t("r.deviations"), 0)
		d.para(d.t("c.dev.none"), ink)
	} else {
		// Eight columns are read across a landscape page.
		d.landscape()
		defer d.portrait()
		d.heading(d.t("r.deviations"), 0)
		titles := requirementTitles(in.Q, d.lang)
		cols := []column{
			{d.t("c.requirement"), 38, "L"}, {d.t("c.severity"), 27, "L"}, {d.t("c.source"), 26, "L"},
			{d.t("c.finding"), 56, "L"}, {d.t("r.status"), 29, "L"}, {d.t("c.action"), 44, "L"},
			{d.t("c.owner"), 28, "L"}, {d.t("c.f.dueDate"), 19, "L"},
		}
		var rows [][]string
		for i := range a.Deviations {
			dv := &a.Deviations[i]
			finding := dv.Finding
			if dv.Source == assessment.FromSAQ {
				answer := dv.Answer
				if qu, ok := in.Q.Question(dv.Question); ok {
					answer = qu.InWords(assessment.Answer{Choice: dv.Answer}, d.lang)
				}
				finding = fmt.Sprintf(d.t("r.saqfinding"), strings.TrimPrefix(dv.Question, "Q"), answer)
				if dv.Verify && dv.Answer == "unknown" {
					finding += "\n" + d.t("r.gap")
				}
				if dv.Contradicts != "" {
					finding += "\n" + fmt.Sprintf(d.t("r.contradicted"), strings.TrimPrefix(dv.Contradicts, "Q"))
				}
			} else if dv.Contradicts != "" {
				finding += "\n" + fmt.Sprintf(d.t("r.contradicts"), strings.TrimPrefix(dv.Contradicts, "Q"))
			}
			if dv.SeverityReason != "" {
				finding += "\n" + fmt.Sprintf(d.t("r.severityReason"), dv.SeverityReason)
			}
			if dv.Evidence != "" {
				finding += "\n" + d.t("c.evidence") + ": " + dv.Evidence
			}
			if v := dv.Audit; v != nil {
				var parts []string
				for _, p := range []string{v.Site, i18n.Day(d.lang, v.Date), v.Auditor} {
					if p != "" {
						parts = append(parts, p)
					}
				}
				if v.Interviews > 0 { // a desk audit interviews nobody: no "0 interviews"
					parts = append(parts, i18n.Plural(d.lang, "n.interviews", v.Interviews))
				}
				finding += "\n" + strings.Join(parts, ", ")
			}
			status := d.t("c.dev."+string(dv.Status)) + " (" + d.t("c.light."+string(a.LightOf(dv, in.Today))) + ")"
			if dv.Reason != "" {
				status += "\n" + fmt.Sprintf(d.t("r.reason"), dv.Reason)
			}
			if dv.MovedFrom != "" {
				from := dv.MovedFrom
				if t := titles[from]; t != "" {
					from = t
				}
				status += "\n" + fmt.Sprintf(d.t("r.moved"), from, dv.MoveReason)
			}
			action, owner, due := "–", "–", "–"
			if c, ok := a.Deviation(dv.CoveredBy); ok && dv.Action == nil {
				title := c.Requirement
				if t := titles[c.Requirement]; t != "" {
					title = t
				}
				action = fmt.Sprintf(d.t("r.coveredBy"), title)
				if ac := c.Action; ac != nil {
					owner, due = ac.Owner, i18n.Day(d.lang, ac.DueDate)
				}
			}
			if ac := dv.Action; ac != nil {
				action, owner, due = ac.Description, ac.Owner, i18n.Day(d.lang, ac.DueDate)
				if len(ac.Reports) > 0 {
					action += "\n" + i18n.Plural(d.lang, "r.reports", len(ac.Reports))
				}
				if !ac.ClosedAt.IsZero() {
					action += "\n" + fmt.Sprintf(d.t("r.verified"), d.date(ac.ClosedAt))
					if ac.Note != "" {
						action += ": " + ac.Note
					}
					if v := ac.Verification; v != nil {
						action += "\n" + fmt.Sprintf(d.t("c.verification."+v.Method), v.By, i18n.Day(d.lang, v.Date))
					}
				}
			}
			req := dv.Requirement
			if t := titles[dv.Requirement]; t != "" {
				req += "\n" + t
			}
			severity := d.t("c.sev." + string(dv.Severity))
			if dv.Verify {
				severity += "\n" + d.t("c.dev.verify")
			}
			rows = append(rows, []string{req, severity, d.t("c.src." + string(dv.Source)),
				or(finding), status, action, owner, due})
		}
		d.table(cols, rows, tableOpts{})
	}
	if len(in.Aged) > 0 {
		d.heading(d.t("r.aged"), 1)
		cols := []column{{d.t("r.file"), 150, "L"}, {d.t("c.when"), 40, "L"}, {d.t("r.aged.basis"), d.width() - 190, "L"}}
		var rows [][]string
		for _, ag := range in.Aged {
			basis := d.t("c.aged." + ag.Basis)
			switch {
			case ag.Basis == "expired":
				basis += "; " + strings.TrimSuffix(d.t("c.aged.lapsed"), ":")
			case ag.Flagged:
				basis += "; " + strings.TrimSuffix(d.t("c.aged.flag"), ":")
			}
			rows = append(rows, []string{ag.Evidence.Name, i18n.Day(d.lang, ag.Date), basis})
		}
		d.table(cols, rows, tableOpts{})
	}
}

// verdicts tables the desk audit's judgement of the evidence for each
// requirement that counted: the points claimed and the verdict.
func (d *doc) verdicts(in Audit) {
	d.heading(d.t("c.judge"), 1)
	cols := []column{{d.t("c.requirement"), 70, "L"}, {d.t("c.judge.claimed"), 26, "R"}, {d.t("c.verdict"), 30, "L"}, {d.t("c.note"), contentW - 126, "L"}}
	var rows [][]string
	for _, r := range in.Q.Requirements {
		sr := in.A.Score.Requirements[r.ID]
		if sr == nil || sr.Max == 0 {
			continue
		}
		v, _ := in.A.VerdictOn(r.ID)
		rows = append(rows, []string{r.ID + "\n" + r.Title.In(d.lang), fmt.Sprintf(d.t("r.pointsof"), sr.Points, sr.Max),
			d.t("c.verdict." + string(v.Verdict)), or(v.Note)})
	}
	d.table(cols, rows, tableOpts{})
}

// actionPlan sets the time and action plan: each action with its parts
// and reporting dates, then the dates missed, grounds for the weekly penalty.
func (d *doc) actionPlan(in Audit) {
	first := true
	for i := range in.A.Deviations {
		dv := &in.A.Deviations[i]
		act := dv.Action
		if act == nil {
			continue
		}
		if first {
			d.heading(d.t("s.plan"), 0)
			first = false
		}
		d.room(3 * lineH)
		d.font("B", bodySize, ink)
		d.pdf.MultiCell(contentW, lineH, clean(dv.Requirement+"  "+act.Description), "", "L", false)
		rows := [][2]string{
			{d.t("s.plan.rootCause"), or(act.RootCause)}, {d.t("s.plan.immediate"), or(act.Immediate)},
			{d.t("s.plan.remedy"), or(act.Remedy)}, {d.t("s.plan.prevention"), or(act.Prevention)},
			{d.t("c.owner"), act.Owner}, {d.t("c.f.dueDate"), i18n.Day(d.lang, act.DueDate)},
		}
		if !act.ProposedAt.IsZero() {
			rows = append(rows, [2]string{d.t("r.proposed"), d.date(act.ProposedAt)})
		}
		var ms []string
		for _, m := range act.Milestones {
			ms = append(ms, i18n.Day(d.lang, m.Date)+": "+m.What)
		}
		if len(ms) > 0 {
			rows = append(rows, [2]string{d.t("c.milestones"), strings.Join(ms, "\n")})
		}
		d.labelled(rows)
		d.pdf.Ln(2)
	}
	missed := in.A.MissedReports(in.Today)
	if len(missed) == 0 {
		return
	}
	d.heading(d.t("c.missed"), 1)
	d.para(d.t("c.missed.lead"), muted)
	cols := []column{{d.t("c.requirement"), 40, "L"}, {d.t("c.missed.date"), 30, "L"}, {d.t("c.missed.what"), contentW - 110, "L"}, {d.t("c.missed.weeks"), 40, "L"}}
	var rows [][]string
	for _, m := range missed {
		state := d.t("c.missed.open")
		if m.Reported {
			state = d.t("c.missed.late")
		}
		rows = append(rows, []string{m.Deviation.Requirement, i18n.Day(d.lang, m.Milestone.Date), m.Milestone.What, fmt.Sprintf("%d (%s)", m.WeeksLate, state)})
	}
	d.table(cols, rows, tableOpts{})
}

// requirementTitles maps the version's requirement ids to their titles.
func requirementTitles(q *questionnaire.Questionnaire, lang string) map[string]string {
	out := make(map[string]string, len(q.Requirements))
	for _, r := range q.Requirements {
		out[r.ID] = r.Title.In(lang)
	}
	return out
}

// answers sets the shown questions by section with their answers; scored
// adds requirements and points.
func (d *doc) answers(a *assessment.Assessment, q *questionnaire.Questionnaire, scored bool) {
	d.heading(d.t("r.answers"), 0)
	files := map[string]string{}
	for _, e := range a.Evidence {
		files[e.ID] = e.Name
	}
	shown := assessment.Visible(q, a.Level, a.Answers)
	for _, sec := range q.Sections {
		first := true
		for i := range sec.Questions {
			qu := &sec.Questions[i]
			if !shown[qu.ID] {
				continue
			}
			if first {
				d.heading(sec.Title.In(d.lang), 1)
				first = false
			}
			d.question(qu, a.Answers, files, scored)
		}
	}
}

// question sets one question with its answer; scored adds the points.
func (d *doc) question(qu *questionnaire.Question, answers assessment.Answers, files map[string]string, scored bool) {
	ans, answered := answers[qu.ID]
	answered = answered && !ans.Blank()
	d.room(3 * lineH)
	d.font("B", bodySize, ink)
	d.pdf.MultiCell(contentW, lineH, clean(qu.ID+"  "+qu.Text.In(d.lang)), "", "L", false)
	words := qu.InWords(ans, d.lang)
	switch {
	case qu.Type == questionnaire.File && len(ans.Files) > 0:
		words = i18n.Plural(d.lang, "r.nfiles", len(ans.Files))
	case qu.Type == questionnaire.Date && ans.Date != "":
		words = i18n.Day(d.lang, ans.Date)
	}
	if !answered || words == "" {
		words = d.t("r.noanswer")
	}
	rows := [][2]string{{d.t("r.answer"), words}}
	if ans.Comment != "" {
		rows = append(rows, [2]string{d.t("r.comment"), ans.Comment})
	}
	if len(ans.Files) > 0 {
		names := make([]string, len(ans.Files))
		for i, id := range ans.Files {
			names[i] = or(files[id])
		}
		rows = append(rows, [2]string{d.t("r.files"), strings.Join(names, "\n")})
	}
	if scored {
		if len(qu.Requirements) > 0 {
			rows = append(rows, [2]string{d.t("r.requirements"), strings.Join(qu.Requirements, ", ")})
		}
		pts := d.t("r.notcounted")
		if p, m, ok := scoring.Points(qu, answers); ok {
			pts = fmt.Sprintf(d.t("r.pointsof"), p, m)
		}
		rows = append(rows, [2]string{d.t("r.points"), pts})
	}
	d.labelled(rows)
	d.pdf.Ln(1.5)
}

// labelled sets label–value lines indented under a question; values wrap and
// may run over pages.
func (d *doc) labelled(rows [][2]string) {
	const indent, labelW = 4.0, 30.0
	for _, r := range rows {
		d.room(lineH)
		y := d.pdf.GetY()
		d.font("", 8, muted)
		d.pdf.SetXY(margin+indent, y)
		d.pdf.CellFormat(labelW, lineH, r[0], "", 0, "L", false, 0, "")
		d.font("", bodySize, ink)
		d.pdf.SetLeftMargin(margin + indent + labelW)
		d.pdf.SetXY(margin+indent+labelW, y)
		d.pdf.MultiCell(contentW-indent-labelW, lineH, clean(r[1]), "", "L", false)
		d.pdf.SetLeftMargin(margin)
	}
}

func (d *doc) auditComments(in Audit) {
	d.heading(d.t("r.comments"), 0)
	if len(in.A.Comments) == 0 {
		d.para(d.t("r.nocomments"), muted)
		return
	}
	cols := []column{{d.t("c.when"), 28, "L"}, {d.t("c.who"), 40, "L"}, {d.t("c.what"), 30, "L"}, {d.t("r.comment"), contentW - 98, "L"}}
	var rows [][]string
	for _, c := range in.A.Comments {
		rows = append(rows, []string{d.stamp(c.At), c.By, d.t("r.kind." + c.Kind), c.Text})
	}
	d.table(cols, rows, tableOpts{})
}

func (d *doc) auditTrail(in Audit) {
	d.heading(d.t("r.trail"), 0)
	cols := []column{{d.t("c.when"), 28, "L"}, {d.t("c.who"), 40, "L"}, {d.t("c.what"), 36, "L"}, {d.t("c.change"), contentW - 104, "L"}}
	var rows [][]string
	for _, e := range in.A.Trail {
		changes := make([]string, len(e.Changes))
		for i, c := range e.Changes {
			field, before, after := trailtext.Words(c, d.lang)
			changes[i] = fmt.Sprintf("%s: %s → %s", field, or(before), or(after))
		}
		rows = append(rows, []string{d.stamp(e.At), e.By, d.t("act." + e.Action), strings.Join(changes, "\n")})
	}
	d.table(cols, rows, tableOpts{})
}

// countryShown is the country's name with its code, or the code alone when
// the name is not known.
func countryShown(name, code string) string {
	if name == "" || name == code {
		return code
	}
	return name + " (" + code + ")"
}
