package assessment

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Verdict is the desk audit's judgement of the evidence for one
// requirement: until it is given, the requirement's points are claimed,
// not verified.
type Verdict struct {
	Requirement string
	Verdict     scoring.Verdict
	Note        string // what is missing, or what the documents show
	At          time.Time
	By          string
}

// VerdictInput sets or, with Verdict "", clears one requirement's verdict.
type VerdictInput struct {
	Requirement string
	Verdict     scoring.Verdict
	Note        string
}

// verdicts are the verdicts by requirement, as scoring takes them.
func (a *Assessment) verdicts() map[string]scoring.Verdict {
	m := map[string]scoring.Verdict{}
	for _, v := range a.Verdicts {
		m[v.Requirement] = v.Verdict
	}
	return m
}

// VerdictOn returns the verdict on requirement id, if one was given.
func (a *Assessment) VerdictOn(id string) (Verdict, bool) {
	for _, v := range a.Verdicts {
		if v.Requirement == id {
			return v, true
		}
	}
	return Verdict{}, false
}

// score scores the answers with what the reviewers have decided so far.
func (a *Assessment) score(q *questionnaire.Questionnaire) scoring.Result {
	return scoring.Assess(q, a.Level, a.Answers, a.scoringReview())
}

// Judge records the desk audit's verdicts on the evidence, requirement by
// requirement, and scores the verified points anew. A verdict of "not
// verified" needs a note saying what is missing, for the supplier to act on.
func (s *Reviews) Judge(ctx context.Context, by *account.Principal, ip, id string, in []VerdictInput) (*Assessment, error) {
	check := func() error {
		if len(in) == 0 {
			return invalid(problem("verdicts", "Ange minst en bedömning.", "Give at least one verdict."))
		}
		var fields []apperr.Field
		for _, v := range in {
			field := "verdict." + v.Requirement
			switch {
			case v.Verdict != "" && !v.Verdict.Valid():
				fields = append(fields, problem(field, "Välj styrkt, delvis styrkt eller ej styrkt.", "Choose verified, partly verified or not verified."))
			case utf8.RuneCountInString(v.Note) > MaxText:
				fields = append(fields, problem(field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxText), fmt.Sprintf("The text may be at most %d characters.", MaxText)))
			case v.Verdict == scoring.NotVerified && strings.TrimSpace(v.Note) == "":
				fields = append(fields, problem(field, "Skriv vad som saknas i underlaget.", "Write what the evidence lacks."))
			}
		}
		if len(fields) > 0 {
			return invalid(fields...)
		}
		return nil
	}
	return s.Change(ctx, by, ip, id, account.RecordFinding, ActEvidenceJudged, check, func(a *Assessment, q *questionnaire.Questionnaire, now time.Time) ([]Change, error) {
		known := map[string]bool{}
		for _, r := range q.Requirements {
			known[r.ID] = true
		}
		var unknown []apperr.Field
		for _, v := range in {
			if !known[v.Requirement] {
				unknown = append(unknown, problem("verdict."+v.Requirement, "Kravet finns inte i frågeformulärets version.", "The requirement is not in the questionnaire's version."))
			}
		}
		if len(unknown) > 0 {
			return nil, invalid(unknown...)
		}
		if err := a.reviewing(); err != nil {
			return nil, err
		}
		var changes []Change
		for _, v := range in {
			before, _ := a.VerdictOn(v.Requirement)
			note := strings.TrimSpace(v.Note)
			if before.Verdict == v.Verdict && before.Note == note {
				continue
			}
			a.setVerdict(Verdict{Requirement: v.Requirement, Verdict: v.Verdict, Note: note, At: now, By: by.Email})
			changes = append(changes, Change{"verdict " + v.Requirement, string(before.Verdict), string(v.Verdict) + reasonSuffix(note)})
		}
		if len(changes) == 0 {
			return nil, nil
		}
		score := a.score(q)
		// Under review, a follow-up has its score.
		changes = append(changes, Change{"verified", percentText(a.Score.Verified, ""), percentText(score.Verified, "")})
		a.Score = &score
		return changes, nil
	})
}

// setVerdict puts v in place of the requirement's verdict; an empty one clears it.
func (a *Assessment) setVerdict(v Verdict) {
	kept := a.Verdicts[:0]
	for _, old := range a.Verdicts {
		if old.Requirement != v.Requirement {
			kept = append(kept, old)
		}
	}
	a.Verdicts = kept
	if v.Verdict != "" {
		a.Verdicts = append(a.Verdicts, v)
	}
}
