package web_test

import (
	"testing"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/notify"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Every word the pages, reports and mails show for a value of the code's
// has its text in both languages: the values are taken from the code's
// own lists (the constants beside them), not from pages a walk reached.
func TestEveryWordInBothLanguages(t *testing.T) {
	t.Parallel()
	keys := map[string][]string{}
	add := func(prefix string, values ...string) {
		for _, v := range values {
			keys[prefix] = append(keys[prefix], prefix+v)
		}
	}
	add("act.", assessment.TrailActions...)
	add("act.", account.EventActions...)
	add("r.kind.", assessment.CommentKinds...)
	add("outbox.kind.", notify.Kinds...)
	for _, r := range account.Roles {
		add("role.", string(r))
	}
	for _, v := range scoring.Verdicts {
		add("c.verdict.", string(v))
	}
	for _, d := range assessment.DeviationStatuses {
		add("c.dev.", string(d))
	}
	for _, s := range assessment.Sources {
		add("c.src.", string(s))
	}
	for _, s := range questionnaire.Severities {
		add("c.sev.", string(s))
	}
	for _, l := range []assessment.Light{assessment.Green, assessment.Yellow, assessment.Red} {
		add("c.light.", string(l))
	}
	for _, list := range keys {
		for _, k := range list {
			for _, lang := range []string{i18n.SV, i18n.EN} {
				if !i18n.Has(lang, k) {
					t.Errorf("%s has no text in %s", k, lang)
				}
			}
		}
	}
	for _, st := range assessment.Statuses {
		for _, lang := range []string{i18n.SV, i18n.EN} {
			if l := st.Label(lang); l == "" || l == string(st) && lang == i18n.SV {
				t.Errorf("status %s in %s: %q", st, lang, l)
			}
		}
	}
}
