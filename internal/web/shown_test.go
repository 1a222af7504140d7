package web_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regionerna/saq/internal/report/pdfcheck"
)

// TestHostileTextShown: text that is printable but hostile where it is
// shown — markup, an attribute breaker, a formula — is stored as given and
// shown as text: escaped on every page that shows it, as text in the PDF,
// and defused in the CSV and XLSX exports.
func TestHostileTextShown(t *testing.T) {
	t.Parallel()
	pdfcheck.Require(t)
	s := newSite(t)
	const (
		name    = `=HYPERLINK("http://evil.example")<script>alert(1)</script>`
		contact = `Eva" onmouseover="alert(2)`
	)
	tok := apiToken(t, s, "coord@skane.se")
	b := s.browser(t)
	p := b.apiBody("POST", "/api/v1/assessments", tok, `{"supplier": {"name": `+jsonString(name)+`, "orgNumber": "556677-8899",
		"country": "SE", "contactName": `+jsonString(contact)+`, "contactEmail": "eva@example.se"}, "contractRef": "@SUM(A1)", "riskArea": "gloves",
		"questionnaire": "code-of-conduct", "language": "sv", "dueDate": "2030-01-31", "forceNew": true}`)
	if p.status != 201 {
		t.Fatalf("issue: %d %s", p.status, p.body)
	}
	id := p.body[strings.Index(p.body, `"id":"`)+6:]
	id = id[:strings.Index(id, `"`)]

	staff := s.browser(t)
	staff.signIn("admin@saq.se")
	for _, path := range []string{"/assessments/" + id, "/assessments?region=all", "/dashboard?region=all", "/outbox"} {
		page := staff.do("GET", path, nil)
		if page.status != 200 {
			t.Fatalf("%s: %d", path, page.status)
		}
		for _, raw := range []string{"<script>alert(1)", `" onmouseover="alert(2)`} {
			if strings.Contains(page.body, raw) {
				t.Errorf("%s shows %q unescaped", path, raw)
			}
		}
		if path == "/assessments/"+id && !strings.Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the name as text", path)
		}
	}

	pdf := staff.do("GET", "/assessments/"+id+"/report.pdf", nil)
	if pdf.status != 200 || !strings.Contains(pdfcheck.Text(t, []byte(pdf.body)), "<script>alert(1)</script>") {
		t.Errorf("the PDF does not show the name as text: %d", pdf.status)
	}

	csv := b.api("GET", "/api/v1/assessments.csv?region=skane", tok)
	if csv.status != 200 || strings.Contains(csv.body, ";=HYPERLINK") || strings.Contains(csv.body, ";@SUM") ||
		!strings.Contains(csv.body, "'=HYPERLINK") || !strings.Contains(csv.body, "'@SUM(A1)") {
		t.Errorf("CSV export: formulas not defused:\n%s", csv.body)
	}
	x := b.api("GET", "/api/v1/assessments.xlsx?region=skane", tok)
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Uppföljningar")
	for _, row := range rows {
		for _, cell := range row {
			if strings.HasPrefix(cell, "=") || strings.HasPrefix(cell, "@") {
				t.Errorf("XLSX export: a cell starts a formula: %q", cell)
			}
		}
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
