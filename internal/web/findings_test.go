package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// An audit finding records the site, day, auditor and interviews; an
// observation is noted without being a deviation.
func TestAuditFindings(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	auditor := apiToken(t, s, "audit@saq.se")
	path := "/api/v1/assessments/" + s.sampleID + "/deviations"
	future := s.clock.t.AddDate(0, 0, 3).Format(time.DateOnly)
	past := s.clock.t.AddDate(0, 0, -3).Format(time.DateOnly)
	finding := func(kind, site, date, auditorName string, interviews int) string {
		return fmt.Sprintf(`{"requirement": "LR-WAGES", "severity": "major", "source": "on_site_audit", "finding": "Löner under minimilön på linje 3.",
			"kind": %q, "site": %q, "date": %q, "auditor": %q, "interviews": %d}`, kind, site, date, auditorName, interviews)
	}
	for _, tt := range []struct {
		name, body string
		want       string
	}{
		{"on site without a site", finding("deviation", "", past, "Revisionsbyrån Norr AB", 12), "Give the site that was audited."},
		{"on site without an auditor", finding("deviation", "Kedah, linje 3", past, "", 12), "Give who carried out the audit."},
		{"in the future", finding("deviation", "Kedah, linje 3", future, "Revisionsbyrån Norr AB", 12), "The audit's date is in the future."},
		{"negative interviews", finding("deviation", "Kedah, linje 3", past, "Revisionsbyrån Norr AB", -1), "Give the number of interviews, 0 or more."},
		{"on site without interviews", finding("deviation", "Kedah, linje 3", past, "Revisionsbyrån Norr AB", 0), "an on-site audit interviews at least one"},
		{"unknown kind", finding("remark", "Kedah, linje 3", past, "Revisionsbyrån Norr AB", 1), `"field":"kind"`},
	} {
		if p := b.apiBody("POST", path, auditor, tt.body); p.status != 422 || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: %d %s", tt.name, p.status, trim(p.body))
		}
	}
	before := getDetail(t, b, s.sampleID, auditor)
	var list struct{ Items []struct{ Deviations int } }
	listed := func() int {
		json.Unmarshal([]byte(b.api("GET", "/api/v1/assessments?q=556677", auditor).body), &list)
		if len(list.Items) != 1 {
			t.Fatalf("list %+v", list.Items)
		}
		return list.Items[0].Deviations
	}
	counted := listed()
	if p := b.apiBody("POST", path, auditor, finding("observation", "Kedah, linje 3", past, "Revisionsbyrån Norr AB", 12)); p.status != 200 {
		t.Fatalf("observation: %d %s", p.status, trim(p.body))
	}
	if p := b.apiBody("POST", path, auditor, finding("deviation", "Kedah, linje 2", past, "Revisionsbyrån Norr AB", 8)); p.status != 200 {
		t.Fatalf("deviation: %d %s", p.status, trim(p.body))
	}
	var d struct {
		Deviations []struct {
			Status, Light string
			Audit         struct {
				Site, Date, Auditor string
				Interviews          int
			}
		}
	}
	json.Unmarshal([]byte(b.api("GET", "/api/v1/assessments/"+s.sampleID, auditor).body), &d)
	n := len(before.Deviations)
	if len(d.Deviations) != n+2 {
		t.Fatalf("%d findings, want %d", len(d.Deviations), n+2)
	}
	obs, dev := d.Deviations[n], d.Deviations[n+1]
	if obs.Status != "observation" || obs.Light != "green" || obs.Audit.Site != "Kedah, linje 3" || obs.Audit.Date != past || obs.Audit.Interviews != 12 {
		t.Errorf("observation: %+v", obs)
	}
	if dev.Status != "confirmed" || dev.Audit.Auditor != "Revisionsbyrån Norr AB" {
		t.Errorf("deviation: %+v", dev)
	}
	// The observation does not count as a deviation in the list.
	if got := listed(); got != counted+1 {
		t.Errorf("the list counts %d deviations, want %d", got, counted+1)
	}
	// On the page, the form takes the same, and shows it.
	csrf := b.signIn("coord@skane.se")
	form := url.Values{"_csrf": {csrf}, "requirement": {"LR-HOURS"}, "severity": {"minor"}, "severityReason": {"Två veckor, inte systematiskt."}, "source": {"desk_audit"},
		"finding": {"Stämpelkort saknas för två veckor."}, "kind": {"observation"}, "site": {""}, "date": {""}, "auditor": {""}, "interviews": {""}}
	if p := b.do("POST", "/assessments/"+s.sampleID+"/deviations", form); p.status != 303 {
		t.Fatalf("form: %d %s", p.status, trim(p.body))
	}
	page := b.do("GET", "/assessments/"+s.sampleID, nil)
	// The heading counts the deviations; the two observations stand apart.
	for _, want := range []string{"Site: Kedah, linje 3", "12 interviews", "Stämpelkort saknas för två veckor.", "Två veckor, inte systematiskt.",
		fmt.Sprintf(">Deviations (%d) · 2 observations</h2>", n+1)} {
		if !strings.Contains(page.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A file from the audit is kept with the finding it supports; the
// answers' deviations take none.
func TestFindingFiles(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	auditor := apiToken(t, s, "audit@saq.se")
	base := "/api/v1/assessments/" + s.sampleID
	p := b.apiBody("POST", base+"/deviations", auditor, `{"requirement": "LR-WAGES", "severity": "major", "source": "desk_audit", "finding": "Lönelistor saknas."}`)
	var d struct {
		Deviations []struct{ ID, Source string }
		Evidence   []struct{ ID, Deviation, Name string }
	}
	if json.Unmarshal([]byte(p.body), &d) != nil || p.status != 200 {
		t.Fatalf("finding: %d %s", p.status, trim(p.body))
	}
	finding, fromAnswers := d.Deviations[len(d.Deviations)-1].ID, d.Deviations[0].ID
	upload := func(dev string, data []byte) page {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "Foto linje 3.pdf")
		fw.Write(data)
		w.Close()
		req := httptest.NewRequest("POST", base+"/deviations/"+dev+"/files", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+auditor)
		return b.send(req)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
	if p := upload(fromAnswers, pdf); p.status != 409 || !strings.Contains(p.body, "Only findings from an audit take files.") {
		t.Errorf("a file on an answer's deviation: %d %s", p.status, trim(p.body))
	}
	if p := upload(finding, []byte("not a document")); p.status != 422 {
		t.Errorf("a file of no accepted type: %d %s", p.status, trim(p.body))
	}
	p = upload(finding, pdf)
	if p.status != 201 || json.Unmarshal([]byte(p.body), &d) != nil {
		t.Fatalf("attach: %d %s", p.status, trim(p.body))
	}
	ev := d.Evidence[len(d.Evidence)-1]
	if ev.Deviation != finding || ev.Name != "Foto linje 3.pdf" {
		t.Errorf("attached as %+v", ev)
	}
	if got := b.api("GET", base+"/files/"+ev.ID, auditor); got.status != 200 || got.body != string(pdf) {
		t.Errorf("download: %d", got.status)
	}
	b.signIn("coord@skane.se")
	if page := b.do("GET", "/assessments/"+s.sampleID, nil); !strings.Contains(page.body, `/files/`+ev.ID+`">Foto linje 3.pdf</a>`) {
		t.Error("the file is not shown with its finding")
	}
}
