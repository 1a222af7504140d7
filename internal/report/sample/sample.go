// Package sample builds a realistic, fully reviewed follow-up from a
// questionnaire version, the same every time: the data of the report
// tests, golden files and benchmarks. Only tests import it.
package sample

import (
	"fmt"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Options shape the follow-up.
type Options struct {
	Deviations int       // how many deviations it has in all; at least 4
	LongAnswer int       // characters in one free-text answer; 0 for a short one
	Issued     time.Time // when it was issued; the rest follows from it
}

// RiskArea is the sample follow-up's risk area: give Followup the
// questionnaire as asked for it (Questionnaire.For).
const RiskArea = "gloves"

// Supplier is the sample supplier's name, with Swedish letters.
const Supplier = "Handskfabriken Åström & Söner AB"

// Followup answers every question of the advanced level (the best answer,
// but a red flag where that keeps the deviations within o.Deviations),
// scores it, and reviews it: audit findings, decisions of every kind,
// corrective actions, comments and a trail.
func Followup(q *questionnaire.Questionnaire, o Options) *assessment.Assessment {
	at := func(days int) time.Time { return o.Issued.AddDate(0, 0, days).UTC() }
	a := &assessment.Assessment{
		ID: "sample-0001", Version: 12, Region: "skane", RiskArea: RiskArea,
		Supplier: assessment.Supplier{Name: Supplier, OrgNumber: "556677-8899", Country: "MY",
			ContactName: "Łucja Żółć", ContactEmail: "lucja@handskfabriken.se"},
		ContractRef: "RS-2026-0417 Undersökningshandskar", QuestionnaireID: q.ID, QuestionnaireVersion: q.Version,
		Level: questionnaire.Advanced, Language: "sv", DueDate: at(30).Format(time.DateOnly), Status: assessment.CorrectiveActions,
		IssuedAt: at(0), IssuedBy: "samordnare@skane.se", SubmittedAt: at(21), UpdatedAt: at(40), Answers: assessment.Answers{},
	}
	saqBudget := o.Deviations - 2 // two come from audits
	raised, remedied := 0, false
	for i, qu := range q.Questions() {
		if !a.Level.Includes(qu.Level) {
			continue
		}
		ans := answer(qu, i, o.LongAnswer, &raised, saqBudget, &remedied)
		if qu.Type == questionnaire.File {
			for k := range 2 {
				ev := assessment.Evidence{ID: fmt.Sprintf("ev-%s-%d", qu.ID, k), Question: qu.ID,
					Name: fmt.Sprintf("%s underlag %d – Åtgärdsplan.pdf", qu.ID, k+1), ContentType: "application/pdf",
					Size: int64(48000 + 1000*i), UploadedAt: at(14)}
				a.Evidence = append(a.Evidence, ev)
				ans.Files = append(ans.Files, ev.ID)
			}
		}
		a.Answers[qu.ID] = ans
	}
	if o.LongAnswer > 0 { // the first text answer at least is long
		for _, qu := range q.Questions() {
			if ans, ok := a.Answers[qu.ID]; ok && qu.Type == questionnaire.Free {
				ans.Text = longText(o.LongAnswer)
				a.Answers[qu.ID] = ans
				break
			}
		}
	}
	// The desk audit has judged the evidence: most of it borne out, some
	// partly, some not, and one requirement not yet.
	verdicts := map[string]scoring.Verdict{}
	for i, r := range q.Requirements {
		v := []scoring.Verdict{scoring.Verified, scoring.Verified, scoring.PartlyVerified, scoring.NotVerified, ""}[i%5]
		if v == "" {
			continue
		}
		note := ""
		if v != scoring.Verified {
			note = "Underlaget styrker inte hela svaret: rutinen saknar datum och ansvarig."
		}
		verdicts[r.ID] = v
		a.Verdicts = append(a.Verdicts, assessment.Verdict{Requirement: r.ID, Verdict: v, Note: note, At: at(30), By: "revisor@saq.se"})
	}
	res := scoring.Judged(q, a.Level, a.Answers, verdicts)
	a.Score = &res
	area := map[string]string{}
	for _, r := range q.Requirements {
		area[r.ID] = r.Area
	}
	for i, r := range res.Deviations {
		a.Deviations = append(a.Deviations, assessment.Deviation{ID: fmt.Sprintf("dev-%02d", i+1), Requirement: r.Requirement,
			Area: area[r.Requirement], Severity: r.Severity, Source: assessment.FromSAQ, Question: r.Question, Answer: r.Answer, Verify: r.Verify,
			Status: assessment.DevOpen, RaisedAt: at(21), RaisedBy: "SAQ"})
	}
	findings := []assessment.Deviation{
		{Requirement: "LR-WAGES", Severity: questionnaire.Major, Source: assessment.DeskAudit, Contradicts: "Q5.7",
			Finding:  "Lönespecifikationer för mars visar löner under lagstadgad minimilön för 14 av 60 anställda på linje 3.",
			Evidence: "Lönespecifikationer mars 2026, stickprov 60 anställda"},
		{Requirement: "HR-GRIEVANCE", Severity: questionnaire.Minor, Source: assessment.OnSiteAudit,
			SeverityReason: "Mekanismen finns och används; bristen gäller bara språken.",
			Finding:        "Klagomålsmekanismen finns bara på engelska och malajiska; arbetare från Nepal och Myanmar känner inte till den. Intervjuer: Проверено, Ελέγχθηκε, 已检查.",
			Evidence:       "Intervjuer med 12 arbetare, fabriksbesök 2026-03-18",
			Audit:          &assessment.AuditVisit{Site: "Fabriken i Kedah, linje 3", Date: at(44).Format(time.DateOnly), Auditor: "Revisionsbyrån Norr AB", Interviews: 12}},
	}
	// More desk-audit findings, on requirements not yet deviated from, make up the count.
	used := map[string]bool{}
	for _, d := range a.Deviations {
		used[d.Requirement] = true
	}
	for _, r := range q.Requirements {
		if len(a.Deviations)+len(findings) >= o.Deviations {
			break
		}
		if !used[r.ID] && r.ID != "LR-WAGES" && r.ID != "HR-GRIEVANCE" {
			findings = append(findings, assessment.Deviation{Requirement: r.ID, Severity: questionnaire.Minor, Source: assessment.DeskAudit,
				Finding: "Dokumentationen styrker inte svaret: " + r.Title.In("sv") + ".", Evidence: "Skrivbordsrevision av inskickade dokument"})
		}
	}
	for i, f := range findings {
		f.ID, f.Area, f.Status, f.RaisedAt, f.RaisedBy = fmt.Sprintf("audit-%d", i+1), area[f.Requirement], assessment.DevOpen, at(30), "revisor@saq.se"
		a.Deviations = append(a.Deviations, f)
	}
	// A gap in knowledge the reviewer moved to the requirement it concerns.
	for i := range a.Deviations {
		if d := &a.Deviations[i]; d.Source == assessment.FromSAQ && d.Verify && d.Answer == "unknown" && d.Requirement != "DD-RISK-ANALYSIS" {
			d.MovedFrom, d.Requirement, d.Area = d.Requirement, "DD-RISK-ANALYSIS", area["DD-RISK-ANALYSIS"]
			d.MoveReason = "Luckan gäller kartläggningen av leveranskedjan, inte uppföljningen."
			break
		}
	}
	review(a, at)
	majorReqs := map[string]bool{}
	for _, d := range a.Deviations {
		if d.Severity == questionnaire.Major && d.Stands() {
			majorReqs[d.Requirement] = true
		}
	}
	majors := len(majorReqs)
	// Under corrective actions: the answers have been reviewed.
	risk := scoring.Rate(scoring.RiskInputs{RiskArea: "high", Country: "high", Countries: "MY, TH", Total: res.Total, Verified: res.Verified,
		Critical: res.HasCritical(), Majors: majors, Reviewed: true})
	a.Risk = &risk
	return a
}

// answer picks an answer to question number i. The first harm answered as
// remedied (an option to verify that gives points) is chosen once.
func answer(qu *questionnaire.Question, i, long int, raised *int, budget int, remedied *bool) assessment.Answer {
	switch qu.Type {
	case questionnaire.YesNo, questionnaire.Single:
		best, flag := "", ""
		top := -1
		for _, op := range qu.Options {
			if op.Verify && op.Points > 0 && !*remedied && *raised < budget {
				*remedied = true
				*raised++
				return assessment.Answer{Choice: op.ID, Comment: "Åtgärdat enligt bifogad plan; barnet går i skolan och familjen får ersättning."}
			}
			if op.RedFlag != "" && flag == "" {
				flag = op.ID
			}
			if op.Points > top && op.RedFlag == "" && !op.NotApplicable {
				best, top = op.ID, op.Points
			}
		}
		// One answer raises one deviation; one place is kept for the remedied harm.
		if flag != "" && (*raised < budget-1 || *remedied && *raised < budget) {
			*raised++
			return assessment.Answer{Choice: flag, Comment: "Vi arbetar med frågan och återkommer med en plan före årsskiftet."}
		}
		if o := qu.Options[min(1, len(qu.Options)-1)]; i%5 == 0 && len(qu.Options) > 2 && o.RedFlag == "" && !o.NotApplicable &&
			(!o.Verify || *raised < budget) {
			best = o.ID // not always the best; an item to verify counts as a deviation
			if o.Verify {
				*raised++
			}
		}
		return assessment.Answer{Choice: best}
	case questionnaire.Multi:
		var ids []string
		for _, op := range qu.Options {
			if op.RedFlag == "" && !op.NotApplicable && len(ids) < 2 {
				ids = append(ids, op.ID)
			}
		}
		return assessment.Answer{Choices: ids}
	case questionnaire.Number:
		n := float64(120 + i)
		return assessment.Answer{Number: &n}
	case questionnaire.Date:
		return assessment.Answer{Date: "2023-05-01"}
	case questionnaire.File:
		return assessment.Answer{Comment: "Se bifogade dokument."}
	}
	text := "Leverantörskedjan: nitrilhandskar tillverkas i Kedah, Malaysia; råvaran kommer från Thailand. Ansvarig: Øystein Müller-Straße."
	if long > 0 && i%7 == 0 {
		text = longText(long)
	}
	return assessment.Answer{Text: text}
}

// longText is n characters of running Swedish text.
func longText(n int) string {
	const s = "Vi har kartlagt samtliga underleverantörer i tre led och genomför årliga revisioner på plats. "
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(s)
	}
	return string([]rune(b.String())[:n])
}

// review judges the deviations with every outcome and leaves a trail.
func review(a *assessment.Assessment, at func(int) time.Time) {
	const reviewer = "samordnare@skane.se"
	a.Trail = []assessment.TrailEntry{
		{At: at(0), By: reviewer, Action: "assessment_issued", Changes: []assessment.Change{{Field: "status", After: "issued"}}},
		{At: at(21), By: "leverantör", Action: "assessment_submitted", Changes: []assessment.Change{{Field: "status", Before: "in_progress", After: "submitted"}}},
		{At: at(22), By: reviewer, Action: "review_started", Changes: []assessment.Change{{Field: "status", Before: "submitted", After: "in_review"}}},
	}
	a.Comments = []assessment.Comment{
		{At: at(22), By: reviewer, Kind: "comment", Text: "Svaren på avsnitt 4 behöver styrkas med lönespecifikationer; begär in dem vid skrivbordsrevisionen."},
		{At: at(23), By: reviewer, Kind: "return", Text: "Bifoga er policy för mänskliga rättigheter och ange när den senast reviderades."},
	}
	for i := range a.Deviations {
		d := &a.Deviations[i]
		d.DecidedAt, d.DecidedBy = at(31), reviewer
		switch i % 5 {
		case 1:
			d.Status, d.Reason = assessment.DevDismissed, "Policyn finns men var inte bifogad; inkom 2026-03-02."
		case 2:
			d.Status = assessment.DevClosed
			d.Action = &assessment.Action{Description: "Inför skriftliga anställningsavtal på arbetarnas modersmål.", Owner: "HR-chef",
				DueDate: at(60).Format(time.DateOnly), PlannedAt: at(32), PlannedBy: reviewer, ClosedAt: at(55), ClosedBy: reviewer,
				Note:         "Avtal på nepali och burmesiska granskade.",
				Verification: &assessment.Verification{Method: assessment.VerifiedOnSite, By: "Revisionsbyrån Norr AB", Date: at(54).Format(time.DateOnly)},
				Reports:      []assessment.ActionReport{{At: at(50), Text: "Avtalen är översatta och undertecknade.", Files: []string{"ev-r1"}}}}
		case 3:
			d.Status, d.Reason = assessment.DevAccepted, "Full åtgärd kräver ny fabrik; delåtgärd godtagen tills vidare."
			d.Action = &assessment.Action{Description: "Installera ventilation i doppavdelningen.", Owner: "Fabrikschef",
				DueDate: at(90).Format(time.DateOnly), PlannedAt: at(32), PlannedBy: reviewer}
		default:
			d.Status = assessment.DevConfirmed
			d.Action = &assessment.Action{Description: "Ta fram och genomför en plan för " + d.Requirement + " med tidplan och ansvariga.",
				Owner: "Hållbarhetsansvarig", DueDate: at(75).Format(time.DateOnly), PlannedAt: at(32), PlannedBy: reviewer, ProposedAt: at(30),
				// The first reporting date passes without a report: a missed date.
				Milestones: []assessment.Milestone{{Date: at(45).Format(time.DateOnly), What: "Rutin antagen av ledningen"},
					{Date: at(70).Format(time.DateOnly), What: "Utbildning av arbetsledare genomförd"}}}
		}
		if d.Action != nil {
			d.Action.RootCause = "Ingen i ledningen har haft ansvaret, och rutinen saknades."
			d.Action.Immediate = "Arbetsledarna har fått skriftliga instruktioner."
			d.Action.Remedy = "Berörda arbetare har fått innehållen ersättning utbetald."
			d.Action.Prevention = "Rutinen följs upp vid varje internrevision."
		}
		a.Trail = append(a.Trail, assessment.TrailEntry{At: at(31), By: reviewer, Action: "deviation_decided",
			Changes: []assessment.Change{{Field: d.ID + ".status", Before: "open", After: string(d.Status)}}})
	}
	a.Trail = append(a.Trail, assessment.TrailEntry{At: at(33), By: reviewer, Action: "plan_agreed",
		Changes: []assessment.Change{{Field: "status", Before: "in_review", After: "corrective_actions"}}})
}
