package followup

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// carryForward fills a new follow-up with the answers and evidence of the
// supplier's latest submission of the same questionnaire, in any region,
// so that it never types the same thing twice. Each carried answer is
// marked until the supplier confirms or changes it. A question whose
// meaning changed since that submission's version (ChangedIn), or that the
// new level does not ask, starts empty. Files are copied, so that removing
// one here leaves the earlier follow-up whole. It returns the trail's
// changes, none when nothing was carried.
func (s *Service) carryForward(ctx context.Context, a *assessment.Assessment, q *questionnaire.Questionnaire) ([]assessment.Change, error) {
	prev, err := s.latestSubmission(ctx, a.Supplier.OrgNumber, q.ID, nil)
	if err != nil || prev == nil {
		return nil, err
	}
	pq, ok := s.Questionnaires.Get(prev.QuestionnaireID, prev.QuestionnaireVersion)
	if !ok {
		return nil, nil
	}
	carried := assessment.Answers{}
	for _, qu := range q.Questions() {
		old, ok := prev.Answers[qu.ID]
		pqu, asked := pq.Question(qu.ID)
		if !ok || old.Empty() || !asked || pqu.Type != qu.Type || !a.Level.Includes(qu.Level) || !qu.Carries(prev.QuestionnaireVersion) {
			continue
		}
		if !offers(qu, old) {
			continue
		}
		carried[qu.ID] = assessment.Answer{Choice: old.Choice, Choices: slices.Clone(old.Choices), Number: old.Number, Text: old.Text,
			Date: old.Date, Comment: old.Comment, Files: old.Files, Rev: a.Version,
			Carry: &questionnaire.Carry{From: prev.ID, Submitted: prev.SubmittedAt, State: questionnaire.Carried}}
	}
	// An answer to a question that the carried answers do not show is left
	// behind, as the supplier could not see it.
	shown := assessment.Visible(q, a.Level, carried)
	for id := range carried {
		if !shown[id] {
			delete(carried, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(carried)) {
		ans := carried[id]
		files, err := s.copyEvidence(ctx, a, prev, id, ans.Files)
		if err != nil {
			return nil, err
		}
		if ans.Files = files; ans.Empty() {
			delete(carried, id) // its files are gone
			continue
		}
		carried[id] = ans
	}
	if len(carried) == 0 {
		return nil, nil
	}
	a.Answers = carried
	return []assessment.Change{{Field: "carriedFrom", Before: "", After: prev.ID}, {Field: "answers", Before: "", After: strconv.Itoa(len(carried))}}, nil
}

// offers tells whether question qu still offers every option answer a chose.
func offers(qu *questionnaire.Question, a assessment.Answer) bool {
	for _, id := range append([]string{a.Choice}, a.Choices...) {
		if _, ok := qu.Option(id); id != "" && !ok {
			return false
		}
	}
	return true
}

// latestSubmission is the newest submitted (or further along) follow-up of
// the supplier on questionnaire id that keep accepts (nil: any), in any
// region and not itself a reuse, with its answers; nil when there is none.
func (s *Service) latestSubmission(ctx context.Context, orgNumber, id string, keep func(*assessment.Summary) bool) (*assessment.Assessment, error) {
	list, err := s.Repo.Summaries(ctx, assessment.Filter{OrgNumber: orgNumber})
	if err != nil {
		return nil, fmt.Errorf("find earlier submissions of %s: %w", orgNumber, err)
	}
	var best *assessment.Summary
	for i := range list {
		sm := &list[i]
		switch sm.Status {
		case assessment.Submitted, assessment.InReview, assessment.CorrectiveActions, assessment.Closed:
		default:
			continue
		}
		if sm.Questionnaire == id && sm.ReusedFrom == "" && (keep == nil || keep(sm)) && (best == nil || sm.SubmittedAt.After(best.SubmittedAt)) {
			best = sm
		}
	}
	if best == nil {
		return nil, nil
	}
	return s.Repo.Get(ctx, best.ID)
}

// copyEvidence copies the files ids of prev's answer to question qid into
// new evidence of a, keeping their names and dates so that their age is
// judged as before; it returns the new ids.
func (s *Service) copyEvidence(ctx context.Context, a, prev *assessment.Assessment, qid string, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		i := slices.IndexFunc(prev.Evidence, func(e assessment.Evidence) bool { return e.ID == id })
		if i < 0 {
			continue
		}
		data, err := s.Files.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("read evidence %s to carry forward: %w", id, err)
		}
		ev := prev.Evidence[i]
		ev.ID, ev.Question = assessment.NewID(), qid
		if err := s.Files.Put(ctx, ev.ID, data); err != nil {
			return nil, fmt.Errorf("copy evidence %s: %w", id, err)
		}
		a.Evidence = append(a.Evidence, ev)
		out = append(out, ev.ID)
	}
	return out, nil
}

// readyToSubmit refuses a submission, naming each question, while a
// required question is unanswered or a carried answer is not confirmed.
func readyToSubmit(q *questionnaire.Questionnaire, a *assessment.Assessment) error {
	missing, unconfirmed := assessment.Missing(q, a.Level, a.Answers), assessment.Unconfirmed(q, a.Level, a.Answers)
	if len(missing)+len(unconfirmed) == 0 {
		return nil
	}
	// Only the counts there are, each in its number.
	var sv, en []string
	switch n := len(missing); {
	case n == 1:
		sv, en = append(sv, "1 obligatorisk fråga är obesvarad."), append(en, "1 required question is unanswered.")
	case n > 1:
		sv, en = append(sv, fmt.Sprintf("%d obligatoriska frågor är obesvarade.", n)), append(en, fmt.Sprintf("%d required questions are unanswered.", n))
	}
	switch n := len(unconfirmed); {
	case n == 1:
		sv, en = append(sv, "1 svar från förra gången är inte bekräftat."), append(en, "1 answer from last time is not confirmed.")
	case n > 1:
		sv, en = append(sv, fmt.Sprintf("%d svar från förra gången är inte bekräftade.", n)), append(en, fmt.Sprintf("%d answers from last time are not confirmed.", n))
	}
	e := apperr.New(apperr.Invalid, strings.Join(sv, " "), strings.Join(en, " "))
	for _, id := range missing {
		e.Fields = append(e.Fields, assessment.Problem(id, "Frågan måste besvaras.", "The question must be answered."))
	}
	for _, id := range unconfirmed {
		e.Fields = append(e.Fields, assessment.Problem(id, "Bekräfta att svaret från förra gången stämmer, eller ändra det.",
			"Confirm that the answer from last time still holds, or change it."))
	}
	return e
}

// carriedCounts are, for the trail of a submission, how many carried
// answers the supplier confirmed and how many it changed.
func carriedCounts(answers assessment.Answers) []assessment.Change {
	n := map[string]int{}
	for _, a := range answers {
		if a.Carry != nil {
			n[a.Carry.State]++
		}
	}
	if len(n) == 0 {
		return nil
	}
	return []assessment.Change{{Field: "carriedConfirmed", Before: "", After: strconv.Itoa(n[questionnaire.Confirmed])}, {Field: "carriedChanged", Before: "", After: strconv.Itoa(n[questionnaire.Changed])}}
}
