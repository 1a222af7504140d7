package web_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/report/pdfcheck"
)

// pdf asks for a PDF and checks it is one.
func (b *browser) pdf(path, token string) (page, []byte) {
	b.t.Helper()
	p := b.api("GET", path, token)
	if p.status == 200 && (p.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.body, "%PDF-")) {
		b.t.Fatalf("%s: %s is no PDF: %.40q", path, p.header.Get("Content-Type"), p.body)
	}
	return p, []byte(p.body)
}

// The audit report over HTTP: who may download it, in which language, and
// that it holds the follow-up as the service stores it.
func TestAuditReportOverHTTP(t *testing.T) {
	t.Parallel()
	pdfcheck.Require(t)
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	tokens := map[string]string{}
	for _, email := range []string{"admin@saq.se", "coord@skane.se", "coord@halland.se", "audit@saq.se"} {
		tokens[email] = apiToken(t, s, email)
	}
	base := "/api/v1/assessments/" + s.sampleID
	finding := `{"requirement": "LR-WAGES", "severity": "major", "source": "on_site_audit", "finding": "Lönebesked saknas för inhyrda arbetare i Ipoh.", "evidence": "Intervjuer",
		"site": "Fabriken i Ipoh", "date": "2026-10-12", "auditor": "Revisionsbyrån Norr AB", "interviews": 12}`
	if p := b.apiBody("POST", base+"/deviations", tokens["audit@saq.se"], finding); p.status != 201 && p.status != 200 {
		t.Fatalf("finding: %d %s", p.status, trim(p.body))
	}
	d := getDetail(t, b, s.sampleID, tokens["coord@skane.se"])

	// Every account reads the regions' shared results; nobody else does.
	for _, tt := range []struct {
		who, token string
		status     int
	}{
		{"admin", tokens["admin@saq.se"], 200},
		{"coordinator of the region", tokens["coord@skane.se"], 200},
		{"coordinator of another region", tokens["coord@halland.se"], 200},
		{"auditor", tokens["audit@saq.se"], 200},
		{"signed out", "", 401},
		{"a supplier's link as token", s.sampleToken, 401},
	} {
		t.Run(tt.who, func(t *testing.T) {
			if p, _ := b.pdf(base+"/report.pdf", tt.token); p.status != tt.status {
				t.Errorf("%d, want %d: %s", p.status, tt.status, trim(p.body))
			}
		})
	}

	p, pdf := b.pdf(base+"/report.pdf?lang=sv", tokens["coord@halland.se"])
	text := pdfcheck.Text(t, pdf)
	pages := pdfcheck.Pages(t, pdf)
	for _, want := range []string{"Handskfabriken Åström AB", "Revisionsrapport", "Uppföljningen", "Sammanfattning", "Uppgiven poäng per område", "Verifierad poäng",
		"Avvikelser och korrigerande åtgärder", "Svar per avsnitt", "Granskarens kommentarer", "Ändringslogg", "Region Skåne", "Malaysia (MY)",
		"Lönebesked saknas för inhyrda arbetare i Ipoh.", "Fabriken i Ipoh", "12 intervjuer", "Granskningsfynd registrerat", fmt.Sprintf("Sida %d av %d", pages, pages)} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the report", want)
		}
	}
	for _, dv := range d.Deviations {
		if !strings.Contains(text, dv.Requirement) {
			t.Errorf("no deviation on %s", dv.Requirement)
		}
	}
	if cd := p.header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="revisionsrapport-handskfabriken-astrom-ab-`) ||
		!strings.Contains(cd, "filename*=UTF-8''revisionsrapport-handskfabriken-%C3%A5str%C3%B6m-ab-") || p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", p.header)
	}
	if img, _ := pdfcheck.Render(t, pdf, 1, 40); pdfcheck.Inked(img) < 0.02 {
		t.Error("page 1 renders blank")
	}

	_, en := b.pdf(base+"/report.pdf?lang=en", tokens["audit@saq.se"])
	if text := pdfcheck.Text(t, en); !strings.Contains(text, "Audit report") || !strings.Contains(text, "Answers by section") {
		t.Errorf("English report: %.300s", text)
	}
	if p, _ := b.pdf(base+"/report.pdf?lang=de", tokens["admin@saq.se"]); p.status != 422 || !strings.Contains(p.body, "The language can be sv or en.") {
		t.Errorf("lang=de: %d %s", p.status, p.body)
	}
	if p, _ := b.pdf("/api/v1/assessments/nope/report.pdf", tokens["admin@saq.se"]); p.status != 404 {
		t.Errorf("unknown follow-up: %d", p.status)
	}

	// The page route, signed in, in the reader's language unless asked; the detail page links both.
	b.signIn("coord@halland.se")
	if p := b.do("GET", "/assessments/"+s.sampleID, nil); !strings.Contains(p.body, "/assessments/"+s.sampleID+"/report.pdf?lang=sv") {
		t.Error("the detail page does not offer the report")
	}
	if p := b.do("GET", "/assessments/"+s.sampleID+"/report.pdf", nil); p.status != 200 || !strings.Contains(pdfcheck.Text(t, []byte(p.body)), "Audit report") {
		t.Errorf("page route: %d", p.status)
	}
	// The Swedish report leaves the reader's English pages English.
	if p := b.do("GET", "/assessments/"+s.sampleID+"/report.pdf?lang=sv", nil); p.status != 200 || !strings.Contains(pdfcheck.Text(t, []byte(p.body)), "Revisionsrapport") ||
		strings.Contains(p.header.Get("Set-Cookie"), "lang=") {
		t.Errorf("Swedish report: %d, cookies %q", p.status, p.header.Get("Set-Cookie"))
	}
}

// The annual summary is for admins only.
func TestAnnualReportOverHTTP(t *testing.T) {
	t.Parallel()
	pdfcheck.Require(t)
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	year := s.clock.t.Year()
	path := fmt.Sprintf("/api/v1/stats/report.pdf?year=%d&lang=sv", year)
	for _, who := range []string{"coord@skane.se", "audit@saq.se"} {
		if p, _ := b.pdf(path, apiToken(t, s, who)); p.status != 403 {
			t.Errorf("%s: %d", who, p.status)
		}
	}
	p, pdf := b.pdf(path, apiToken(t, s, "admin@saq.se"))
	if p.status != 200 {
		t.Fatalf("admin: %d %s", p.status, trim(p.body))
	}
	text := pdfcheck.Text(t, pdf)
	for _, want := range []string{fmt.Sprintf("Sammanställning per riskområde %d", year), "Handskar", "Region Skåne", "Medianpoäng per region"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in %.400s", want, text)
		}
	}
	if p, _ := b.pdf("/api/v1/stats/report.pdf?year=last", apiToken(t, s, "admin@saq.se")); p.status != 422 {
		t.Errorf("bad year: %d", p.status)
	}
}

// The supplier submits through the pages, is thanked and offered the
// receipt: their own answers and files, no scores.
func TestSupplierReceipt(t *testing.T) {
	t.Parallel()
	pdfcheck.Require(t)
	s := newSite(t)
	b := s.browser(t)
	answers := completeAnswers(t, s, s.sampleID)
	answers["Q2.1"], answers["Q2.3"], answers["Q2.4"] = "yes", "2023-05-01", []string{"human-rights"}
	answers["Q1.7"] = map[string]any{"value": "Malaysia och Thailand", "comment": "Fabriken i Kedah, Ålands hav"}
	body, _ := json.Marshal(map[string]any{"version": 1, "answers": answers})
	if p := b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", string(body)); p.status != 200 {
		t.Fatalf("save: %d %s", p.status, trim(p.body))
	}
	if p := b.upload("/api/v1/s/"+s.sampleToken+"/files/Q2.2", "Uppförandekod 2025 – Åström.pdf", pdfFile, nil); p.status != 201 {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	csrf := b.do("GET", "/s/"+s.sampleToken+"/review", nil).csrf()
	p := b.do("POST", "/s/"+s.sampleToken+"/submit", map[string][]string{"_csrf": {csrf}})
	if p.status != 303 || p.header.Get("Location") != "/s/"+s.sampleToken+"?submitted=1" {
		t.Fatalf("submit: %d %s", p.status, p.header.Get("Location"))
	}
	if p := b.do("GET", p.header.Get("Location"), nil); !strings.Contains(p.body, "Tack! Era svar är inskickade.") ||
		!strings.Contains(p.body, `href="/s/`+s.sampleToken+`/receipt"`) {
		t.Errorf("after submitting: %s", p.body)
	}

	req := httptest.NewRequest("GET", "/s/"+s.sampleToken+"/receipt?lang=sv", nil)
	p = b.send(req)
	if p.status != 200 || p.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt: %d %s", p.status, p.header.Get("Content-Type"))
	}
	text := pdfcheck.Text(t, []byte(p.body))
	for _, want := range []string{"Kvitto på inskickade svar", "Handskfabriken Åström AB", "Malaysia och Thailand", "Fabriken i Kedah, Ålands hav",
		"Uppförandekod 2025 – Åström.pdf", "Bifogade dokument"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the receipt", want)
		}
	}
	for _, never := range []string{"Poäng", "Riskbedömning", "DD-POLICY", "Ändringslogg"} {
		if strings.Contains(text, never) {
			t.Errorf("the receipt shows %q", never)
		}
	}
	if p := b.do("GET", "/s/not-a-token/receipt", nil); p.status == 200 {
		t.Errorf("receipt without a valid link: %d", p.status)
	}
}
