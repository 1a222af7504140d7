package review

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// VerdictInput sets or, with Verdict "", clears one requirement's verdict.
type VerdictInput struct {
	Requirement string
	Verdict     scoring.Verdict
	Note        string
}

// Judge records the desk audit's verdicts on the evidence, requirement by
// requirement, and scores the verified points anew. A verdict of "not
// verified" needs a note saying what is missing, for the supplier to act on.
func (s *Service) Judge(ctx context.Context, by *account.Principal, ip, id string, in []VerdictInput) (*assessment.Assessment, error) {
	check := func() error {
		if len(in) == 0 {
			return assessment.Invalid(assessment.Problem("verdicts", "Ange minst en bedömning.", "Give at least one verdict."))
		}
		var fields []apperr.Field
		for _, v := range in {
			field := "verdict." + v.Requirement
			switch {
			case v.Verdict != "" && !v.Verdict.Valid():
				fields = append(fields, assessment.Problem(field, "Välj styrkt, delvis styrkt eller ej styrkt.", "Choose verified, partly verified or not verified."))
			case utf8.RuneCountInString(v.Note) > assessment.MaxText:
				fields = append(fields, assessment.Problem(field, fmt.Sprintf("Texten får vara högst %d tecken.", assessment.MaxText), fmt.Sprintf("The text may be at most %d characters.", assessment.MaxText)))
			case v.Verdict == scoring.NotVerified && strings.TrimSpace(v.Note) == "":
				fields = append(fields, assessment.Problem(field, "Skriv vad som saknas i underlaget.", "Write what the evidence lacks."))
			}
		}
		if len(fields) > 0 {
			return assessment.Invalid(fields...)
		}
		return nil
	}
	return s.Change(ctx, by, ip, id, account.RecordFinding, assessment.ActEvidenceJudged, check, func(a *assessment.Assessment, q *questionnaire.Questionnaire, now time.Time) ([]assessment.Change, error) {
		known := map[string]bool{}
		for _, r := range q.Requirements {
			known[r.ID] = true
		}
		var unknown []apperr.Field
		for _, v := range in {
			if !known[v.Requirement] {
				unknown = append(unknown, assessment.Problem("verdict."+v.Requirement, "Kravet finns inte i frågeformulärets version.", "The requirement is not in the questionnaire's version."))
			}
		}
		if len(unknown) > 0 {
			return nil, assessment.Invalid(unknown...)
		}
		if err := a.Reviewing(); err != nil {
			return nil, err
		}
		var changes []assessment.Change
		for _, v := range in {
			before, _ := a.VerdictOn(v.Requirement)
			note := strings.TrimSpace(v.Note)
			if before.Verdict == v.Verdict && before.Note == note {
				continue
			}
			a.SetVerdict(assessment.Verdict{Requirement: v.Requirement, Verdict: v.Verdict, Note: note, At: now, By: by.Email})
			changes = append(changes, assessment.Change{Field: "verdict " + v.Requirement, Before: string(before.Verdict), After: string(v.Verdict) + reasonSuffix(note)})
		}
		if len(changes) == 0 {
			return nil, nil
		}
		score := a.Rescore(q)
		// Under review, a follow-up has its score.
		changes = append(changes, assessment.Change{Field: "verified", Before: assessment.PercentText(a.Score.Verified, ""), After: assessment.PercentText(score.Verified, "")})
		a.Score = &score
		return changes, nil
	})
}
