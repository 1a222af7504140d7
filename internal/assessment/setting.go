package assessment

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Setting is what a follow-up is judged against besides its answers: the
// questionnaire version it is pinned to, the organisation's risk areas,
// countries and deadlines, and the day it is. Every service that changes or
// reads follow-ups holds one.
type Setting struct {
	Questionnaires Questionnaires
	Org            *org.Directory
	Clock          func() time.Time
}

// RequirementTitle is requirement id's title in lang, as a's questionnaire
// version gives it; the id when the version does not know it.
func (s *Setting) RequirementTitle(a *Assessment, id, lang string) string {
	if q, err := s.Questionnaire(a); err == nil {
		for _, r := range q.Requirements {
			if r.ID == id {
				return r.Title.In(lang)
			}
		}
	}
	return id
}

// Deadlines are the time and action plan's limits, from the organisation.
func (s *Setting) Deadlines() org.Deadlines {
	if s.Org == nil {
		return org.DefaultDeadlines()
	}
	return s.Org.Deadlines
}

// Today is the date lists and lights are reckoned on.
func (s *Setting) Today() string { return Day(s.Clock()) }

// Now is the service's clock, for what is stamped with the time it was made.
func (s *Setting) Now() time.Time { return s.Clock() }

// Rate applies the risk rule to a scored assessment.
func (s *Setting) Rate(a *Assessment) *scoring.Risk {
	area, _ := s.Org.RiskArea(a.RiskArea)
	country, countries := s.countryRisk(a)
	judged, counted := a.Score.Judged("")
	r := scoring.Rate(scoring.RiskInputs{
		RiskArea: string(area.InherentRisk), Country: country, Countries: countries,
		Total: a.Score.Total, Verified: a.Score.Verified, Critical: hasCritical(a.Deviations), Majors: standing(a.Deviations, questionnaire.Major),
		Judged: judged, Counted: counted,
		Reviewed: a.Status == CorrectiveActions || a.Status == Closed,
	})
	return &r
}

// countryRisk is the inherent risk of the riskiest production country the
// answers name, with the countries ("MY, TH"); where they name none, that
// of the supplier's own country, which is only a fallback: a Swedish
// distributor's goods are made elsewhere.
func (s *Setting) countryRisk(a *Assessment) (risk, countries string) {
	q, err := s.Questionnaire(a)
	if err != nil || q.ProductionCountries == "" {
		return string(s.Org.CountryRisk(a.Supplier.Country)), ""
	}
	// A list of countries (version 3 on) gives codes; free text
	// (version 2) is read for names and codes.
	ans := a.Answers[q.ProductionCountries]
	codes := ans.Choices
	if len(codes) == 0 {
		codes = s.Org.CountriesIn(ans.Text)
	}
	if len(codes) == 0 {
		return string(s.Org.CountryRisk(a.Supplier.Country)), ""
	}
	worst := org.Low
	for _, c := range codes {
		if r := s.Org.CountryRisk(c); org.Riskier(r, worst) {
			worst = r
		}
	}
	return string(worst), strings.Join(codes, ", ")
}

// Questionnaire returns the version an assessment is pinned to.
func (s *Setting) Questionnaire(a *Assessment) (*questionnaire.Questionnaire, error) {
	q, ok := s.Questionnaires.Get(a.QuestionnaireID, a.QuestionnaireVersion)
	if !ok {
		return nil, fmt.Errorf("assessment %s: questionnaire %s version %d is not loaded", a.ID, a.QuestionnaireID, a.QuestionnaireVersion)
	}
	return q.For(a.RiskArea), nil
}

// CheckAction judges the action in on deviation d of a: every part of the
// plan given, the owner named, at least one milestone, the milestones
// dated in order between today and the due date, and the due date ahead
// but within the deadline for the deviation's severity, counted from the
// request for the plan; a critical deviation needs an immediate action
// that stops the harm, never "Ingen".
func (s *Setting) CheckAction(in ActionInput, a *Assessment, d *Deviation) error {
	var fields []apperr.Field
	for _, part := range []struct{ field, text, sv, en string }{
		{"description", in.Description, "Beskriv åtgärden.", "Describe the action."},
		{"rootCause", in.RootCause, "Beskriv grundorsaken till avvikelsen.", "Describe the root cause of the deviation."},
		{"immediate", in.Immediate, "Beskriv vad som görs direkt för att stoppa skadan (skriv ”Ingen” om inget behövs).", "Describe what is done at once to stop the harm (write \"None\" if nothing is needed)."},
		{"remedy", in.Remedy, "Beskriv hur de drabbade gottgörs (skriv ”Ingen drabbad” om ingen är det).", "Describe how the people affected are remedied (write \"No one affected\" if no one is)."},
		{"prevention", in.Prevention, "Beskriv vad som hindrar att det händer igen.", "Describe what keeps it from happening again."},
	} {
		if err := NeedText(part.field, part.text, part.sv, part.en); err != nil {
			fields = append(fields, err.(*apperr.Error).Fields...)
		}
	}
	if o := strings.TrimSpace(in.Owner); o == "" || utf8.RuneCountInString(o) > 200 {
		fields = append(fields, Problem("owner", "Ange vem som ansvarar för åtgärden.", "Give who is responsible for the action."))
	}
	today := s.Now().UTC().Format(time.DateOnly)
	dueOK := false
	if _, err := time.Parse(time.DateOnly, in.DueDate); err != nil {
		fields = append(fields, Problem("dueDate", "Ange när åtgärden ska vara klar, som ÅÅÅÅ-MM-DD.", "Give the date the action is to be done by, as YYYY-MM-DD."))
	} else if in.DueDate < today {
		fields = append(fields, Problem("dueDate", "Datumet då åtgärden ska vara klar har redan passerat.", "The date the action is to be done by has already passed."))
	} else {
		dueOK = true
	}
	if latest, days := s.LatestDue(a, d); dueOK && latest != "" && in.DueDate > latest {
		fields = append(fields, Problem("dueDate",
			fmt.Sprintf("En %s avvikelse ska vara åtgärdad inom %d dagar från begäran om plan, senast %s.", SeverityWord("sv", d.Severity), days, i18n.Day("sv", latest)),
			fmt.Sprintf("A %s deviation is to be remedied within %d days of the request for the plan, by %s.", SeverityWord("en", d.Severity), days, i18n.Day("en", latest))))
	}
	if d != nil && d.Severity == questionnaire.Critical && strings.TrimSpace(in.Immediate) != "" && noAction(in.Immediate) {
		fields = append(fields, Problem("immediate",
			"En kritisk avvikelse kräver en omedelbar åtgärd som stoppar skadan nu: beskriv den.",
			"A critical deviation needs an immediate action that stops the harm now: describe it."))
	}
	if len(in.Milestones) == 0 {
		fields = append(fields, Problem(MilestoneField(1, "date"),
			"Ange minst ett delmål: ett datum då ni rapporterar hur arbetet går.",
			"Give at least one milestone: a date by which you report how the work is going."))
	}
	if len(in.Milestones) > MaxMilestones {
		fields = append(fields, Problem(MilestoneField(MaxMilestones+1, "date"), fmt.Sprintf("Ange högst %d delmål.", MaxMilestones), fmt.Sprintf("Give at most %d milestones.", MaxMilestones)))
	}
	prev := today
	for i, m := range in.Milestones {
		n := i + 1
		switch _, err := time.Parse(time.DateOnly, m.Date); {
		case err != nil:
			fields = append(fields, Problem(MilestoneField(n, "date"), fmt.Sprintf("Delmål %d: ange datum som ÅÅÅÅ-MM-DD.", n), fmt.Sprintf("Milestone %d: give the date as YYYY-MM-DD.", n)))
		case m.Date < prev:
			fields = append(fields, Problem(MilestoneField(n, "date"), fmt.Sprintf("Delmål %d: datumen ska komma i ordning, från i dag.", n), fmt.Sprintf("Milestone %d: the dates come in order, from today.", n)))
		case dueOK && m.Date > in.DueDate:
			fields = append(fields, Problem(MilestoneField(n, "date"), fmt.Sprintf("Delmål %d: datumet ligger efter klart-datumet.", n), fmt.Sprintf("Milestone %d: the date is after the date the action is to be done by.", n)))
		default:
			prev = m.Date
		}
		if w := strings.TrimSpace(m.What); w == "" || utf8.RuneCountInString(w) > 500 || !OneLine(w) {
			fields = append(fields, Problem(MilestoneField(n, "what"), fmt.Sprintf("Delmål %d: skriv på en rad vad som ska vara klart (högst 500 tecken).", n), fmt.Sprintf("Milestone %d: write on one line what is to be done (at most 500 characters).", n)))
		}
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

// LatestDue is the last day an action on d may be due, and the days the
// deadline for its severity allows, counted from the request for the plan
// (or today, for an action the reviewer writes unasked); "" when no
// deadline is set.
func (s *Setting) LatestDue(a *Assessment, d *Deviation) (string, int) {
	if d == nil {
		return "", 0
	}
	days := s.Deadlines().ActionDays(string(d.Severity))
	if days == 0 {
		return "", 0
	}
	from := s.Now().UTC()
	if a != nil && !a.PlanRequestedAt.IsZero() {
		from = a.PlanRequestedAt.UTC()
	}
	return from.AddDate(0, 0, days).Format(time.DateOnly), days
}
