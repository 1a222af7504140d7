package core

import (
	"slices"
	"strings"

	textlang "golang.org/x/text/language"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/org"
	"github.com/regionerna/saq/internal/questionnaire"
	"golang.org/x/text/collate"
)

// Option is one choice of a select: its value and what the reader sees.
type Option struct{ ID, Label string }

// milestoneLines are an action's milestones as the form's lines.
func milestoneLines(a *assessment.Action) string {
	if a == nil {
		return ""
	}
	var lines []string
	for _, m := range a.Milestones {
		lines = append(lines, m.Date+" "+m.What)
	}
	return strings.Join(lines, "\n")
}

// AnswerText is an answer in words, or "none".
func AnswerText(q *questionnaire.Question, a assessment.Answer, lang string) string {
	if q.Type == questionnaire.File && len(a.Files) > 0 {
		return i18n.Plural(lang, "n.files", len(a.Files))
	}
	if q.Type == questionnaire.Date && a.Date != "" {
		return i18n.Day(lang, a.Date)
	}
	if w := q.InWords(a, lang); w != "" {
		return w
	}
	return i18n.T(lang, "s.none")
}

// countryOptions are the countries by name in each language, sorted as a
// reader of it expects (Å, Ä, Ö last in Swedish); made once, at start.
func countryOptions(names map[string]org.Name) map[string][]Option {
	out := map[string][]Option{}
	for lang, tag := range map[string]textlang.Tag{"sv": textlang.Swedish, "en": textlang.English} {
		list := make([]Option, 0, len(names))
		for code, n := range names {
			list = append(list, Option{code, n.In(lang)})
		}
		order := collate.New(tag)
		slices.SortFunc(list, func(a, b Option) int { return order.CompareString(a.Label, b.Label) })
		out[lang] = list
	}
	return out
}
