package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// reissueSample issues a new follow-up of the sample's supplier (its
// earlier one submitted), as Skåne does a year later, and returns its id
// and token: the supplier's answers are carried into it.
func reissueSample(t *testing.T, s *site, b *browser) (id, token string) {
	t.Helper()
	submitSample(t, s, b)
	s.clock.t = s.clock.t.AddDate(1, 0, 0)
	body := fmt.Sprintf(`{"supplier": {"name": "Handskfabriken Åström AB", "orgNumber": "556677-8899", "country": "MY",
	  "contactName": "Åsa", "contactEmail": "asa@handsk.se"}, "contractRef": "RS-2027-9", "riskArea": "gloves",
	  "questionnaire": "code-of-conduct", "language": "en", "dueDate": %q, "forceNew": true}`, s.clock.t.AddDate(0, 2, 0).Format("2006-01-02"))
	p := b.apiBody("POST", "/api/v1/assessments", apiToken(t, s, "coord@skane.se"), body)
	var out struct{ ID, Link string }
	if err := json.Unmarshal([]byte(p.body), &out); err != nil || p.status != 201 || out.Link == "" {
		t.Fatalf("issue again: %d %v %s", p.status, err, p.body)
	}
	return out.ID, out.Link[strings.LastIndex(out.Link, "/")+1:]
}

// A returning supplier finds its answers filled in and marked; it confirms
// them page by page (one ticked, the rest with "confirm all"), changes one,
// and submits; the coordinator sees what was carried and changed.
func TestCarryForwardOverHTTP(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	id, token := reissueSample(t, s, b)

	// The JSON view marks each carried answer.
	p := b.api("GET", "/api/v1/s/"+token, "")
	var view struct {
		Answers map[string]struct {
			Carry *struct{ From, State string } `json:"carry"`
		} `json:"answers"`
	}
	if err := json.Unmarshal([]byte(p.body), &view); err != nil || len(view.Answers) == 0 {
		t.Fatalf("supplier view: %v %s", err, trim(p.body))
	}
	for qid, a := range view.Answers {
		if a.Carry == nil || a.Carry.From != s.sampleID || a.Carry.State != "carried" {
			t.Errorf("%s: %+v", qid, a.Carry)
		}
	}
	intro := b.do("GET", "/s/"+token, nil)
	if !strings.Contains(intro.body, fmt.Sprintf("We have filled in %d answers", len(view.Answers))) || !strings.Contains(intro.body, "to confirm)") {
		t.Errorf("the first page does not say answers were filled in:\n%s", trim(intro.body))
	}
	// Submitting at once is refused, naming the answers to confirm.
	if p := b.apiBody("POST", "/api/v1/s/"+token+"/submit", "", ""); p.status != 422 || !strings.Contains(p.body, "not confirmed") {
		t.Fatalf("submit before confirming: %d %s", p.status, trim(p.body))
	}

	// Section 1: tick Q1.3, change Q1.2, then confirm the rest with the button.
	sec := b.do("GET", "/s/"+token+"/section/1", nil)
	for _, want := range []string{"From your answer of", `name="k.Q1.3"`, `value="confirm-all"`} {
		if !strings.Contains(sec.body, want) {
			t.Fatalf("section 1 lacks %q:\n%s", want, trim(sec.body))
		}
	}
	form := pageForm(t, sec)
	form.Set("k.Q1.3", "1")
	form.Set("a.Q1.2", "Kim Ek, hållbarhetschef, kim@handsk.se")
	form.Set("action", "save")
	if p := b.do("POST", "/s/"+token+"/section/1", form); p.status != 303 {
		t.Fatalf("save section 1: %d %s", p.status, trim(p.body))
	}
	sec = b.do("GET", "/s/"+token+"/section/1", nil)
	if !strings.Contains(sec.body, "confirmed.") || !strings.Contains(sec.body, "Changed since your answer of") {
		t.Errorf("section 1 after the save:\n%s", trim(sec.body))
	}
	// Every other page: the button confirms what is left.
	for n := 1; ; n++ {
		sec := b.do("GET", fmt.Sprintf("/s/%s/section/%d", token, n), nil)
		if sec.status == 404 {
			break
		}
		if !strings.Contains(sec.body, `value="confirm-all"`) {
			continue
		}
		form := pageForm(t, sec)
		form.Set("action", "confirm-all")
		if p := b.do("POST", fmt.Sprintf("/s/%s/section/%d", token, n), form); p.status != 303 {
			t.Fatalf("confirm all on section %d: %d %s", n, p.status, trim(p.body))
		}
	}
	if p := b.do("GET", "/s/"+token+"/review", nil); strings.Contains(p.body, "Answers from last time to confirm") {
		t.Errorf("answers still to confirm:\n%s", trim(p.body))
	}
	if p := b.apiBody("POST", "/api/v1/s/"+token+"/submit", "", ""); p.status != 200 {
		t.Fatalf("submit: %d %s", p.status, trim(p.body))
	}

	// The coordinator sees which answers were carried, confirmed and changed.
	coord := s.browser(t)
	coord.signIn("coord@skane.se")
	detail := coord.do("GET", "/assessments/"+id, nil)
	n := len(view.Answers)
	for _, want := range []string{
		fmt.Sprintf("%d answers were filled in from the supplier&#39;s last self-assessment: %d confirmed, 1 changed", n, n-1),
		"Changed by the supplier since the answer of", "and confirmed", `href="/assessments/` + s.sampleID + `"`,
		"Answers from last time filled in", "Earlier answers changed",
	} {
		if !strings.Contains(detail.body, want) {
			t.Errorf("the follow-up's page lacks %q", want)
		}
	}
}

// A carried answer confirmed over the JSON API: {"confirm": true} alone.
func TestConfirmCarriedOverAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	_, token := reissueSample(t, s, b)
	p := b.api("GET", "/api/v1/s/"+token, "")
	var view struct {
		Version int64 `json:"version"`
	}
	if err := json.Unmarshal([]byte(p.body), &view); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"version": %d, "answers": {"Q1.3": {"confirm": true}, "Q1.4": {"confirm": "yes"}}}`, view.Version)
	if p := b.apiBody("PUT", "/api/v1/s/"+token+"/answers", "", body); p.status != 422 {
		t.Errorf("confirm that is not a boolean: %d %s", p.status, p.body)
	}
	body = fmt.Sprintf(`{"version": %d, "answers": {"Q1.3": {"confirm": true}}}`, view.Version)
	if p := b.apiBody("PUT", "/api/v1/s/"+token+"/answers", "", body); p.status != 200 {
		t.Fatalf("confirm: %d %s", p.status, p.body)
	}
	p = b.api("GET", "/api/v1/s/"+token, "")
	if !strings.Contains(p.body, `"Q1.3":{"number":1,"rev":`) || !strings.Contains(p.body, `"state":"confirmed"`) {
		t.Errorf("after confirming: %s", p.body)
	}
}
