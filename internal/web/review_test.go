package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regionerna/saq/internal/account"
)

// detail is the part of GET /api/v1/assessments/{id} the review tests read.
type detail struct {
	Status     string
	DueDate    string
	Version    int64
	Light      string
	Score      struct{ Total *float64 }
	Deviations []struct {
		ID, Requirement, Severity, Source, Status, Question, Light string
		Action                                                     *struct {
			DueDate      string
			Reports      []struct{ Text string }
			Verification *struct{ Method, By, Date string }
		}
	}
	Comments []struct{ Kind, Text string }
	Trail    []struct {
		By, Action string
		Changes    []struct{ Field, Before, After string }
	}
}

func getDetail(t *testing.T, b *browser, id, tok string) detail {
	t.Helper()
	p := b.api("GET", "/api/v1/assessments/"+id, tok)
	var d detail
	if err := json.Unmarshal([]byte(p.body), &d); err != nil || p.status != 200 {
		t.Fatalf("get %s: %d %v %s", id, p.status, err, trim(p.body))
	}
	return d
}

// submitSample answers every basic question of the sample (mostly "no", so
// red flags are raised) and submits it.
func submitSample(t *testing.T, s *site, b *browser) { t.Helper(); submitSampleWith(t, s, b, nil) }

// submitSampleWith is submitSample with some answers changed.
func submitSampleWith(t *testing.T, s *site, b *browser, changed map[string]any) {
	t.Helper()
	answers := completeAnswers(t, s, s.sampleID)
	for id, v := range changed {
		answers[id] = v
	}
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", "/api/v1/s/"+s.sampleToken+"/submit", "", ""); p.status != 200 {
		t.Fatalf("submit: %d %s", p.status, trim(p.body))
	}
}

// reviewSample takes the submitted sample under review, dismisses what its
// answers raised and closes it: a reviewed follow-up, which may be reused.
func reviewSample(t *testing.T, s *site) {
	t.Helper()
	ctx := t.Context()
	a, err := s.reviews.StartReview(ctx, adminPrincipal, "127.0.0.1", s.sampleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range a.Deviations {
		if _, err := s.reviews.Decide(ctx, adminPrincipal, "127.0.0.1", s.sampleID, d.ID, false, "Styrkt av underlaget."); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.reviews.Close(ctx, adminPrincipal, "127.0.0.1", s.sampleID); err != nil {
		t.Fatal(err)
	}
}

// The whole follow-up through the API: review, return and resubmission,
// findings, judgement, the action plan, the supplier's report, closing.
func TestReviewFlowOverAPI(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	skane, halland, auditor := apiToken(t, s, "coord@skane.se"), apiToken(t, s, "coord@halland.se"), apiToken(t, s, "audit@saq.se")
	base := "/api/v1/assessments/" + s.sampleID
	post := func(tok, path, body string) page { return b.apiBody("POST", base+path, tok, body) }

	// Nothing to review before the supplier submits.
	if p := post(skane, "/review", ""); p.status != 409 || !strings.Contains(p.body, "cannot go from issued to in review") {
		t.Errorf("review before submit: %d %s", p.status, p.body)
	}
	submitSample(t, s, b)
	d := getDetail(t, b, s.sampleID, skane)
	if d.Status != "submitted" || d.Score.Total == nil || len(d.Deviations) == 0 || d.Light != "yellow" {
		t.Fatalf("submitted: %+v", d)
	}
	for _, dv := range d.Deviations {
		if dv.Source != "saq" || dv.Status != "open" || dv.Question == "" {
			t.Errorf("deviation from the answers: %+v", dv)
		}
	}
	before := len(d.Deviations)
	scoreBefore := *d.Score.Total

	// Only the issuing region changes the follow-up; the body is not even read.
	if p := post(halland, "/return", `{"message": "x"}`); p.status != 403 {
		t.Errorf("other region returns: %d %s", p.status, p.body)
	}
	if p := post(auditor, "/deviations/"+d.Deviations[0].ID+"/decision", `{"decision": "confirm"}`); p.status != 403 {
		t.Errorf("auditor confirms: %d %s", p.status, p.body)
	}
	if p := post(skane, "/return", `{"message": ""}`); p.status != 422 || !strings.Contains(p.body, `"field":"message"`) {
		t.Errorf("empty message: %d %s", p.status, p.body)
	}
	if p := post(skane, "/return", `{"message": "Bifoga er uppförandekod och beskriv Q2.1 igen."}`); p.status != 200 || !strings.Contains(p.body, `"status":"returned"`) {
		t.Fatalf("return: %d %s", p.status, trim(p.body))
	}

	// The supplier sees the message, answers the policy question "yes" and submits again.
	sup := b.api("GET", "/api/v1/s/"+s.sampleToken, "")
	if !strings.Contains(sup.body, `"returnMessage":"Bifoga er uppförandekod`) {
		t.Errorf("supplier view lacks the message: %s", trim(sup.body))
	}
	if p := b.do("GET", "/s/"+s.sampleToken, nil); !strings.Contains(p.body, "Bifoga er uppförandekod") {
		t.Errorf("supplier page lacks the message")
	}
	var v struct{ Version int64 }
	json.Unmarshal([]byte(sup.body), &v)
	body, _ := json.Marshal(map[string]any{"version": v.Version, "answers": map[string]any{"Q2.1": "yes", "Q2.3": "2023-05-01", "Q2.4": []string{"human-rights"}}})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 || !strings.Contains(p.body, `"status":"in_progress"`) {
		t.Fatalf("answer after return: %d %s", p.status, p.body)
	}
	policy := []byte("%PDF-1.4\n1 0 obj << /Title (Uppförandekod) /ModDate (D:20260301090000) >> endobj\n%%EOF\n")
	if p := b.send(uploadRequest(t, "/api/v1/s/"+s.sampleToken+"/files/Q2.2", "policy.pdf", policy, nil)); p.status != 201 {
		t.Fatalf("attach policy: %d %s", p.status, p.body)
	}
	if p := b.apiBody("POST", "/api/v1/s/"+s.sampleToken+"/submit", "", ""); p.status != 200 {
		t.Fatalf("resubmit: %d %s", p.status, p.body)
	}
	d = getDetail(t, b, s.sampleID, skane)
	if *d.Score.Total <= scoreBefore || len(d.Deviations) != before-1 {
		t.Errorf("score made again: %.1f → %.1f, deviations %d → %d", scoreBefore, *d.Score.Total, before, len(d.Deviations))
	}
	for _, dv := range d.Deviations {
		if dv.Question == "Q2.1" {
			t.Errorf("the deviation Q2.1 raised stands after a better answer: %+v", dv)
		}
	}
	// The policy was last revised in May 2023, as answered: more than two years before the submission.
	if aged := b.api("GET", base, skane); !strings.Contains(aged.body, `"agedEvidence":[{"evidence":`) || !strings.Contains(aged.body, `"date":"2023-05-01","basis":"answer"`) {
		t.Errorf("aged evidence not flagged: %s", aged.body[strings.Index(aged.body, `"agedEvidence"`):])
	}

	// An auditor records a finding from a desk audit; it needs a requirement of the version.
	if p := post(auditor, "/deviations", `{"requirement": "NOPE", "severity": "major", "source": "desk_audit", "finding": "x"}`); p.status != 422 || !strings.Contains(p.body, `"field":"requirement"`) {
		t.Errorf("unknown requirement: %d %s", p.status, p.body)
	}
	if p := post(auditor, "/deviations", `{"requirement": "LR-WAGES", "severity": "severe", "source": "desk_audit", "finding": ""}`); p.status != 422 ||
		!strings.Contains(p.body, `"field":"severity"`) || !strings.Contains(p.body, `"field":"finding"`) {
		t.Errorf("bad finding: %d %s", p.status, p.body)
	}
	p := post(auditor, "/deviations", `{"requirement": "LR-WAGES", "severity": "major", "source": "on_site_audit", "finding": "Lönebesked saknas för inhyrda arbetare i Ipoh.", "evidence": "Intervjuer 2026-10-12",
		"site": "Fabriken i Ipoh", "date": "2026-10-12", "auditor": "Revisionsbyrån Norr AB", "interviews": 12}`)
	if p.status != 200 || !strings.Contains(p.body, `"source":"on_site_audit"`) || !strings.Contains(p.body, `"status":"in_review"`) {
		t.Fatalf("finding: %d %s", p.status, trim(p.body))
	}

	// Judge every deviation: dismiss the first (a reason is required), confirm the rest.
	d = getDetail(t, b, s.sampleID, skane)
	dev := func(i int) string { return base + "/deviations/" + d.Deviations[i].ID }
	if p := b.apiBody("POST", dev(0)+"/decision", skane, `{"decision": "dismiss"}`); p.status != 422 || !strings.Contains(p.body, `"field":"reason"`) {
		t.Errorf("dismiss without reason: %d %s", p.status, p.body)
	}
	if p := b.apiBody("POST", base+"/plan", skane, ""); p.status != 409 || !strings.Contains(p.body, "not been judged") {
		t.Errorf("plan with open deviations: %d %s", p.status, p.body)
	}
	b.apiBody("POST", dev(0)+"/decision", skane, `{"decision": "dismiss", "reason": "Gäller inte handskar."}`)
	for i := 1; i < len(d.Deviations); i++ {
		if d.Deviations[i].Status == "open" {
			if p := b.apiBody("POST", dev(i)+"/decision", skane, `{"decision": "confirm"}`); p.status != 200 {
				t.Fatalf("confirm: %d %s", p.status, p.body)
			}
		}
	}
	if p := b.apiBody("POST", dev(0)+"/decision", skane, `{"decision": "confirm"}`); p.status != 409 {
		t.Errorf("judge twice: %d %s", p.status, p.body)
	}
	if p := b.apiBody("POST", base+"/plan", skane, ""); p.status != 409 || !strings.Contains(p.body, "has no action") {
		t.Errorf("plan without actions: %d %s", p.status, p.body)
	}
	// Within the shortest deadline (a critical deviation's 30 days), with a milestone.
	due := s.clock.t.AddDate(0, 0, 28).Format("2006-01-02")
	week := s.clock.t.AddDate(0, 0, 7).Format("2006-01-02")
	action := func(description, dueDate string) string {
		return `{"description": "` + description + `", "rootCause": "Ingen rutin för lönebesked", "immediate": "Lönebesked för mars delas ut",
			"remedy": "Ingen drabbad", "prevention": "Lönerutinen granskas årligen", "owner": "Produktionschef Lim", "dueDate": "` + dueDate + `",
			"milestones": [{"date": "` + week + `", "what": "Lönebesked utdelade"}]}`
	}
	if p := b.apiBody("PUT", dev(1)+"/action", skane, action("x", "2020-01-01")); p.status != 422 || !strings.Contains(p.body, "already passed") {
		t.Errorf("action due in the past: %d %s", p.status, p.body)
	}
	if p := b.apiBody("PUT", dev(0)+"/action", skane, action("x", due)); p.status != 409 {
		t.Errorf("action on a dismissed deviation: %d %s", p.status, p.body)
	}
	for i := 1; i < len(d.Deviations); i++ {
		if p := b.apiBody("PUT", dev(i)+"/action", skane, action("Inför skriftliga lönebesked", due)); p.status != 200 {
			t.Fatalf("action: %d %s", p.status, p.body)
		}
	}
	if p := b.apiBody("POST", base+"/plan", skane, ""); p.status != 200 || !strings.Contains(p.body, `"status":"corrective_actions"`) {
		t.Fatalf("plan: %d %s", p.status, trim(p.body))
	}

	// The supplier sees its open actions and reports on one with a file.
	sup = b.api("GET", "/api/v1/s/"+s.sampleToken, "")
	if strings.Count(sup.body, `"deviation":`) != len(d.Deviations)-1 {
		t.Errorf("supplier's actions: %s", trim(sup.body))
	}
	if p := supplierReport(t, b, s.sampleToken, d.Deviations[0].ID, "Klart", nil); p.status != 409 {
		t.Errorf("report on a dismissed deviation: %d %s", p.status, p.body)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << /ModDate (D:20230105120000) >> endobj\n%%EOF\n")
	if p := supplierReport(t, b, s.sampleToken, d.Deviations[1].ID, "Lönebesked införda från november.", pdf); p.status != 303 {
		t.Fatalf("report: %d %s", p.status, trim(p.body))
	}
	d = getDetail(t, b, s.sampleID, skane)
	if a := d.Deviations[1].Action; a == nil || len(a.Reports) != 1 || a.Reports[0].Text != "Lönebesked införda från november." {
		t.Errorf("report not recorded: %+v", d.Deviations[1])
	}

	// Closing needs every deviation settled; an accepted one needs a note.
	if p := b.apiBody("POST", base+"/close", skane, ""); p.status != 409 || !strings.Contains(p.body, "not closed or accepted") {
		t.Errorf("close too early: %d %s", p.status, p.body)
	}
	if p := b.apiBody("POST", dev(1)+"/settle", skane, `{"outcome": "accepted"}`); p.status != 422 {
		t.Errorf("accept without note: %d %s", p.status, p.body)
	}
	// A close rests on evidence: the reported file, or a recorded verification.
	if p := b.apiBody("POST", dev(2)+"/settle", skane, `{"outcome": "closed", "note": "Ser bra ut."}`); p.status != 422 || !strings.Contains(p.body, `"field":"method"`) {
		t.Errorf("closed with no file and no verification: %d %s", p.status, p.body)
	}
	for i := 1; i < len(d.Deviations); i++ {
		body := `{"outcome": "closed", "note": "Verifierat mot lönelistor."}`
		if i > 1 { // no file reported: the reviewer records how it was verified
			body = `{"outcome": "closed", "note": "Lönelistor granskade.", "method": "desk", "verifiedBy": "Kim Berg", "verifiedOn": "` + s.clock.t.Format("2006-01-02") + `"}`
		}
		if p := b.apiBody("POST", dev(i)+"/settle", skane, body); p.status != 200 {
			t.Fatalf("settle: %d %s", p.status, p.body)
		}
	}
	if v := getDetail(t, b, s.sampleID, skane).Deviations[2].Action.Verification; v == nil || v.Method != "desk" || v.By != "Kim Berg" {
		t.Errorf("verification not recorded: %+v", v)
	}
	if p := b.apiBody("POST", base+"/close", skane, ""); p.status != 200 || !strings.Contains(p.body, `"status":"closed"`) || !strings.Contains(p.body, `"light":"green"`) {
		t.Fatalf("close: %d %s", p.status, trim(p.body))
	}
	// Closed is the end of the table.
	for _, op := range []string{"/return", "/review", "/withdraw"} {
		if p := post(skane, op, `{"message": "m", "reason": "r"}`); p.status == 200 {
			t.Errorf("%s after close: %d", op, p.status)
		}
	}

	// Every change is in the trail and in the audit log, with before and after.
	d = getDetail(t, b, s.sampleID, skane)
	actions := map[string]int{}
	for _, e := range d.Trail {
		actions[e.Action]++
	}
	for _, want := range []string{"assessment_issued", "assessment_submitted", "returned_to_supplier", "finding_recorded",
		"deviation_dismissed", "deviation_confirmed", "action_planned", "plan_agreed", "action_progress_reported", "deviation_closed", "follow_up_closed"} {
		if actions[want] == 0 {
			t.Errorf("trail lacks %s: %v", want, actions)
		}
	}
	if actions["assessment_submitted"] != 2 {
		t.Errorf("two submissions, trail has %d", actions["assessment_submitted"])
	}
	last := d.Trail[len(d.Trail)-1]
	if last.By != "coord@skane.se" || last.Changes[0].Field != "status" || last.Changes[0].Before != "corrective_actions" || last.Changes[0].After != "closed" {
		t.Errorf("last trail entry %+v", last)
	}
	events, _ := s.accounts.Events(t.Context(), account.EventFilter{Subject: s.sampleID, Action: "deviation_dismissed"})
	if len(events) != 1 || !strings.Contains(events[0].Detail, `"open" → "dismissed: Gäller inte handskar."`) {
		t.Errorf("audit events %+v", events)
	}
}

// supplierReport posts a progress report through the supplier's page form.
func supplierReport(t *testing.T, b *browser, token, dev, text string, file []byte) page {
	t.Helper()
	csrf := b.do("GET", "/s/"+token, nil).csrf()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", csrf)
	w.WriteField("text", text)
	if file != nil {
		fw, _ := w.CreateFormFile("file", "lönebesked.pdf")
		fw.Write(file)
	}
	w.Close()
	req := httptest.NewRequest("POST", "/s/"+token+"/actions/"+dev, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.send(req)
}

// The coordinator's pages: the detail page offers the next steps and shows a
// refused form again with the problem; the list filters and pages.
func TestReviewPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	csrf := b.signIn("coord@skane.se")

	p := b.do("GET", "/assessments/"+s.sampleID, nil)
	for _, want := range []string{"Handskfabriken Åström AB", "Start the review", "How the score was made", "answered", "DD-POLICY", "Audit trail", "Answers submitted", "Q2.1"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	if p := b.do("POST", "/assessments/"+s.sampleID+"/return", url.Values{"_csrf": {csrf}, "message": {""}}); p.status != 422 || !strings.Contains(p.body, "error-summary") {
		t.Errorf("empty return message: %d", p.status)
	}
	if p := b.do("POST", "/assessments/"+s.sampleID+"/review", url.Values{"_csrf": {csrf}}); p.status != 303 {
		t.Errorf("start review: %d %s", p.status, trim(p.body))
	}
	if p := b.do("POST", "/assessments/"+s.sampleID+"/close", url.Values{"_csrf": {csrf}}); p.status != 409 || !strings.Contains(p.body, "deviations are not closed or accepted") {
		t.Errorf("close with open deviations: %d", p.status)
	}
	if p := b.do("GET", "/assessments/"+s.sampleID, nil); !strings.Contains(p.body, "in review") || !strings.Contains(p.body, "Agree the action plan") {
		t.Errorf("after review started:\n%s", trim(p.body))
	}

	// Other region: may read, may not act.
	h := s.browser(t)
	hcsrf := h.signIn("coord@halland.se")
	if p := h.do("GET", "/assessments/"+s.sampleID, nil); p.status != 200 || strings.Contains(p.body, "Start the review") || strings.Contains(p.body, `action="/assessments/`+s.sampleID+`/return"`) {
		t.Errorf("other region's detail page: %d", p.status)
	}
	if p := h.do("POST", "/assessments/"+s.sampleID+"/comments", url.Values{"_csrf": {hcsrf}, "text": {"x"}}); p.status != 403 {
		t.Errorf("other region comments: %d", p.status)
	}

	list := b.do("GET", "/assessments?region=all&status=in_review&q=åström", nil)
	if list.status != 200 || !strings.Contains(list.body, "Handskfabriken") || !strings.Contains(list.body, "1 follow-up ") {
		t.Errorf("filtered list: %d\n%s", list.status, trim(list.body))
	}
	if list := b.do("GET", "/assessments?region=all&scoreBand=high&status=in_review", nil); strings.Contains(list.body, "Handskfabriken") {
		t.Errorf("score band filter let a low score through")
	}
	if list := b.do("GET", "/assessments?sort=bogus&page=0", nil); list.status != 422 || !strings.Contains(list.body, "Unknown sort order") {
		t.Errorf("bad filters: %d", list.status)
	}
	if d := b.do("GET", "/dashboard?region=all", nil); d.status != 200 || !strings.Contains(d.body, "Newest submissions") || !strings.Contains(d.body, "Handskfabriken") {
		t.Errorf("dashboard: %d\n%s", d.status, trim(d.body))
	}
}

// The exports hold the same rows as the list, as CSV and as a workbook.
func TestExports(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	s.issueSample(t)
	tok := apiToken(t, s, "audit@saq.se")
	csv := b.api("GET", "/api/v1/assessments.csv?region=skane&lang=sv", tok)
	// In the reader's language: Swedish headers, names for ids, a
	// decimal comma and local times; English on ?lang=en.
	if csv.status != 200 || !strings.HasPrefix(csv.body, "\ufeffLeverantör;Organisationsnummer;Land;Region;Riskområde;") ||
		strings.Count(csv.body, "Handskfabriken Åström AB;556677-8899;Malaysia;Region Skåne;") != 2 ||
		regexp.MustCompile(`skane|T\d\d:\d\d|;issued;`).MatchString(csv.body) || !regexp.MustCompile(`;\d{4}-\d\d-\d\d \d\d:\d\d;`).MatchString(csv.body) {
		t.Errorf("csv: %d %s", csv.status, csv.body)
	}
	if en := b.api("GET", "/api/v1/assessments.csv?region=skane&lang=en", tok); !strings.HasPrefix(en.body, "\ufeffSupplier;Organisation number;Country;") {
		t.Errorf("csv in English: %s", en.body)
	}
	x := b.api("GET", "/api/v1/assessments.xlsx?region=skane&lang=sv", tok)
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil || x.status != 200 {
		t.Fatalf("xlsx: %d %v", x.status, err)
	}
	rows, _ := f.GetRows("Uppföljningar")
	if len(rows) != 3 || rows[0][0] != "Leverantör" || rows[1][0] != "Handskfabriken Åström AB" || rows[2][3] != "Region Skåne" {
		t.Errorf("xlsx rows %v", rows)
	}
	// Numbers as numbers, dates as dates, the header frozen.
	if typ, _ := f.GetCellType("Uppföljningar", "V2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the version is stored as text (%v)", typ)
	}
	if v, _ := f.GetCellValue("Uppföljningar", "K2", excelize.Options{RawCellValue: true}); !regexp.MustCompile(`^\d+(\.\d+)?$`).MatchString(v) {
		t.Errorf("the issue time is stored as %q, not as a date", v)
	}
	if panes, _ := f.GetPanes("Uppföljningar"); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header is not frozen: %+v", panes)
	}
	if p := b.api("GET", "/api/v1/assessments.csv?status=nope", tok); p.status != 422 {
		t.Errorf("bad filter: %d", p.status)
	}
}

// The annual figures: admins only, counted from what happened.
func TestStats(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	s.issueSample(t) // before the first submission, which it would reuse
	submitSample(t, s, b)
	year := s.clock.t.Format("2006")
	if p := b.api("GET", "/api/v1/stats?year="+year, apiToken(t, s, "coord@skane.se")); p.status != 403 {
		t.Errorf("coordinator reads stats: %d", p.status)
	}
	p := b.api("GET", "/api/v1/stats?year="+year, apiToken(t, s, "admin@saq.se"))
	var st struct {
		Total struct {
			Issued, Submitted int
			ResponseRate      float64
			MedianScore       *float64
			Deviations        map[string]map[string]int
		}
		Regions []struct{ Group string }
	}
	if err := json.Unmarshal([]byte(p.body), &st); err != nil || p.status != 200 {
		t.Fatalf("stats: %d %v %s", p.status, err, p.body)
	}
	if st.Total.Issued != 2 || st.Total.Submitted != 1 || st.Total.ResponseRate != 0.5 || st.Total.MedianScore == nil || len(st.Total.Deviations) == 0 ||
		len(st.Regions) != 1 || st.Regions[0].Group != "skane" {
		t.Errorf("stats %+v", st)
	}
	if p := b.api("GET", "/api/v1/stats?year=abc", apiToken(t, s, "admin@saq.se")); p.status != 422 {
		t.Errorf("bad year: %d", p.status)
	}
	b.signIn("admin@saq.se")
	if p := b.do("GET", "/stats?year="+year, nil); p.status != 200 || !strings.Contains(p.body, "Response rate") || !strings.Contains(p.body, "50.0 %") {
		t.Errorf("stats page: %d\n%s", p.status, trim(p.body))
	}
}

// A step the follow-up is not ready for is not offered as a button that
// would be refused: the page says what is missing instead.
func TestStepsOfferedOnlyWhenPossible(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	if _, err := s.reviews.StartReview(t.Context(), adminPrincipal, "127.0.0.1", s.sampleID); err != nil {
		t.Fatal(err)
	}
	b.signIn("coord@skane.se")
	page := b.do("GET", "/assessments/"+s.sampleID+"?lang=en", nil)
	for _, not := range []string{`action="/assessments/` + s.sampleID + `/plan"`, `action="/assessments/` + s.sampleID + `/close"`, `action="/assessments/` + s.sampleID + `/plan/request"`} {
		if strings.Contains(page.body, not) {
			t.Errorf("offered while deviations are open: %s", not)
		}
	}
	if !strings.Contains(page.body, `id="not-yet"`) || !strings.Contains(page.body, "deviations have not been judged yet.") || !strings.Contains(page.body, "deviations are not closed or accepted.") {
		t.Errorf("the page does not say why:\n%s", trim(page.body))
	}
}
