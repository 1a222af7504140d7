package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The supplier proposes the time and action plan when the reviewer asks
// for it; the reviewer sends it back or agrees it; reporting dates that
// pass without a report are shown and logged once, as grounds for the
// weekly penalty.
func TestActionPlanFromTheSupplier(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	skane := apiToken(t, s, "coord@skane.se")
	base := "/api/v1/assessments/" + s.sampleID
	submitSample(t, s, b)
	if p := b.apiBody("POST", base+"/review", skane, ""); p.status != 200 {
		t.Fatalf("review: %d %s", p.status, trim(p.body))
	}
	d := getDetail(t, b, s.sampleID, skane)
	for _, dv := range d.Deviations {
		if p := b.apiBody("POST", base+"/deviations/"+dv.ID+"/decision", skane, `{"decision": "confirm"}`); p.status != 200 {
			t.Fatalf("confirm: %d %s", p.status, trim(p.body))
		}
	}
	// Within the shortest deadline: a critical deviation's 30 days.
	due := s.clock.t.AddDate(0, 0, 28).Format(time.DateOnly)
	week := s.clock.t.AddDate(0, 0, 7).Format(time.DateOnly)
	action := func(milestone string) string {
		return fmt.Sprintf(`{"description": "Skriftliga lönebesked till alla", "rootCause": "Lönesystemet saknar modul för lönebesked",
			"immediate": "Lönebesked för mars delas ut för hand", "remedy": "Innehållna löner betalas ut", "prevention": "Lönerutinen granskas varje kvartal",
			"owner": "HR-chef", "dueDate": %q, "milestones": [{"date": %q, "what": "Lönebesked för april utdelade"}]}`, due, milestone)
	}
	plan := "/api/v1/s/" + s.sampleToken + "/plan"
	if p := b.apiBody("PUT", plan+"/"+d.Deviations[0].ID, "", action(week)); p.status != 409 {
		t.Errorf("a plan not asked for: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", base+"/plan/request", skane, `{"message": ""}`); p.status != 422 {
		t.Errorf("asked without a message: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", base+"/plan/request", skane, `{"message": "Föreslå åtgärder senast om två veckor."}`); p.status != 200 {
		t.Fatalf("ask for the plan: %d %s", p.status, trim(p.body))
	}

	// On the link's page: the message and one form for the whole plan,
	// each deviation with its requirement's title and what it expects. A
	// save keeps every deviation's text at once, complete or not; sending
	// refuses an incomplete plan, shown again as typed, each problem tied
	// to its field.
	intro := b.do("GET", "/s/"+s.sampleToken+"?lang=en", nil)
	if !strings.Contains(intro.body, "Time and action plan") || !strings.Contains(intro.body, "Föreslå åtgärder senast om två veckor.") ||
		strings.Count(intro.body, `action="/s/`+s.sampleToken+`/plan"`) != 1 || strings.Count(intro.body, `<fieldset class="deviation"`) != len(d.Deviations) ||
		!strings.Contains(intro.body, "What is expected") || strings.Contains(intro.body, ">"+d.Deviations[0].Requirement+"<") {
		t.Fatalf("the plan on the link's page:\n%s", trim(intro.body))
	}
	first, second := d.Deviations[0].ID, d.Deviations[1].ID
	form := url.Values{"_csrf": {intro.csrf()}, "do": {"save"}, first + ".description": {"Skriftliga lönebesked"}, first + ".owner": {"HR-chef"},
		first + ".dueDate": {due}, first + ".milestones.1.date": {week}, first + ".milestones.1.what": {"Lönebesked utdelade"},
		second + ".description": {"Utbildning av arbetsledare"}}
	if p := b.do("POST", "/s/"+s.sampleToken+"/plan", form); p.status != 303 || !strings.Contains(p.header.Get("Location"), "plan=saved") {
		t.Fatalf("save the plan as typed: %d %s", p.status, trim(p.body))
	}
	saved := b.do("GET", "/s/"+s.sampleToken+"?lang=sv&plan=saved", nil)
	for _, want := range []string{"Planen är sparad.", ">Skriftliga lönebesked</textarea>", ">Utbildning av arbetsledare</textarea>", `value="Lönebesked utdelade"`, "Klart senast"} {
		if !strings.Contains(saved.body, want) {
			t.Errorf("the saved plan lacks %q", want)
		}
	}
	form.Set("do", "send")
	form.Set(first+".milestones.2.date", due[:4]+"-13-01")
	form.Set(first+".milestones.2.what", "x")
	refused := b.do("POST", "/s/"+s.sampleToken+"/plan", form)
	for _, want := range []string{"Beskriv grundorsaken till avvikelsen.", "Delmål 2: ange datum som ÅÅÅÅ-MM-DD.", ">Skriftliga lönebesked</textarea>",
		`href="#f-` + first + `-rootCause"`, `id="f-` + first + `-rootCause" name="` + first + `.rootCause" rows="2" maxlength="5000" aria-describedby="f-` + first + `-rootCause-hint f-` + first + `-rootCause-error" aria-invalid="true"`,
		`href="#f-` + first + `-milestones-2-date"`, `href="#f-` + second + `-owner"`, "<title>Fel: "} {
		if refused.status != 422 || !strings.Contains(refused.body, want) {
			t.Errorf("refused plan: %d, lacks %q\n%s", refused.status, want, trim(refused.body))
		}
	}
	if got, _ := s.assessments.ForSupplier(t.Context(), s.sampleToken); got.PlanState != "requested" || got.Deviations[0].Action.RootCause != "" {
		t.Errorf("a refused plan changed something: %s %+v", got.PlanState, got.Deviations[0].Action)
	}
	for _, field := range []string{"rootCause", "immediate", "remedy", "prevention"} {
		form.Set(first+"."+field, "Beskrivet i planen")
	}
	form.Del(first + ".milestones.2.date")
	form.Del(first + ".milestones.2.what")
	form.Set("do", "save")
	if p := b.do("POST", "/s/"+s.sampleToken+"/plan", form); p.status != 303 {
		t.Fatalf("the form: %d %s", p.status, trim(p.body))
	}
	// Sent too early: every deviation needs its action.
	if p := b.apiBody("POST", plan, "", ""); p.status != 422 || !strings.Contains(p.body, `"field":"`+second+`.rootCause"`) {
		t.Errorf("sent with actions missing: %d %s", p.status, trim(p.body))
	}
	for _, dv := range d.Deviations[1:] {
		if p := b.apiBody("PUT", plan+"/"+dv.ID, "", action(week)); p.status != 200 {
			t.Fatalf("propose: %d %s", p.status, trim(p.body))
		}
	}
	if p := b.apiBody("PUT", plan+"/"+d.Deviations[1].ID, "", action(due[:4]+"-13-01")); p.status != 422 {
		t.Errorf("a milestone on no date: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", plan, "", ""); p.status != 200 {
		t.Fatalf("send: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("PUT", plan+"/"+d.Deviations[1].ID, "", action(week)); p.status != 409 {
		t.Errorf("changed after sending: %d %s", p.status, trim(p.body))
	}
	// While the plan waits for the reviewer, the link's page says so, in
	// both languages.
	for _, l := range [][2]string{{"sv", "skickad till granskaren för godkännande"}, {"en", "sent to the reviewer for approval"}} {
		lang, want := l[0], l[1]
		if p := b.do("GET", "/s/"+s.sampleToken+"?lang="+lang, nil); p.status != 200 || !strings.Contains(p.body, want) {
			t.Errorf("the link's page with the plan sent (%s): %d, lacks %q\n%s", lang, p.status, want, trim(p.body))
		}
	}
	var proposed struct {
		Deviations []struct {
			Action *struct {
				RootCause, ProposedAt string
				Milestones            []struct{ Date, What, MissedLogged string }
			}
		}
	}
	json.Unmarshal([]byte(b.api("GET", base, skane).body), &proposed)
	for _, dv := range proposed.Deviations {
		if dv.Action == nil || dv.Action.ProposedAt == "" || dv.Action.RootCause == "" || len(dv.Action.Milestones) != 1 {
			t.Fatalf("proposed actions: %+v", dv.Action)
		}
	}

	// Sent back with what to change; sent again; agreed.
	if p := b.apiBody("POST", base+"/plan/request", skane, `{"message": "Ange vem som delar ut lönebesked."}`); p.status != 200 {
		t.Fatalf("send back: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("PUT", plan+"/"+d.Deviations[1].ID, "", action(week)); p.status != 200 {
		t.Errorf("revise: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", plan, "", ""); p.status != 200 {
		t.Fatalf("send again: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", base+"/plan", skane, ""); p.status != 200 || !strings.Contains(p.body, `"status":"corrective_actions"`) {
		t.Fatalf("agree: %d %s", p.status, trim(p.body))
	}

	// Ten days on, no report has come by the milestone's date.
	s.clock.t = s.clock.t.AddDate(0, 0, 10)
	b.signIn("coord@skane.se")
	page := b.do("GET", "/assessments/"+s.sampleID, nil)
	if !strings.Contains(page.body, "Missed reporting dates") || strings.Count(page.body, "not yet reported") != len(d.Deviations) {
		t.Errorf("missed dates on the page:\n%s", trim(page.body))
	}
	for run, want := range []int{len(d.Deviations), 0} { // logged once, however often the job runs
		if n, err := s.reviews.LogMissedReports(t.Context()); err != nil || n != want {
			t.Errorf("run %d logged %d, want %d (%v)", run+1, n, want, err)
		}
	}
	json.Unmarshal([]byte(b.api("GET", base, skane).body), &proposed)
	if m := proposed.Deviations[0].Action.Milestones[0]; m.MissedLogged == "" {
		t.Errorf("the missed date is not marked logged: %+v", m)
	}
	// A late report: the date stays missed, one week late.
	if p := supplierReport(t, b, s.sampleToken, d.Deviations[0].ID, "Lönebesked utdelade.", nil); p.status != 303 {
		t.Fatalf("report: %d %s", p.status, trim(p.body))
	}
	page = b.do("GET", "/assessments/"+s.sampleID, nil)
	if !strings.Contains(page.body, "1 (reported late)") {
		t.Errorf("the late report on the page:\n%s", trim(page.body))
	}
}
