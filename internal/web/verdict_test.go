package web_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regionerna/saq/internal/report/pdfcheck"
)

// scored is the score part of GET /api/v1/assessments/{id} the verdict tests read.
type scored struct {
	Score struct {
		Total, Verified *float64
		VerifiedAreas   map[string]*float64
		Requirements    map[string]struct {
			Points, Max int
			Verdict     string
		}
	}
	Trail []struct{ Action string }
}

func getScored(t *testing.T, b *browser, id, tok string) scored {
	t.Helper()
	var d scored
	if p := b.api("GET", "/api/v1/assessments/"+id, tok); p.status != 200 || json.Unmarshal([]byte(p.body), &d) != nil {
		t.Fatalf("get %s: %d %s", id, p.status, trim(p.body))
	}
	return d
}

// The desk audit judges the evidence requirement by requirement, over the
// API and on the page; the verified score follows and is shown apart from
// the claimed one, in the detail, the list and the export.
func TestVerdictsOnTheEvidence(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	// Climate work counts: no red flag stands on it, so its points are claimed.
	submitSampleWith(t, s, b, map[string]any{"Q6.6": "yes"})
	auditor, halland := apiToken(t, s, "audit@saq.se"), apiToken(t, s, "coord@halland.se")
	path := "/api/v1/assessments/" + s.sampleID + "/verdicts"
	before := getScored(t, b, s.sampleID, auditor)
	if before.Score.Total == nil || before.Score.Verified != nil {
		t.Fatalf("before any verdict: claimed %v, verified %v", before.Score.Total, before.Score.Verified)
	}
	var applied []string // the requirements whose questions counted
	for id, r := range before.Score.Requirements {
		if r.Max > 0 {
			applied = append(applied, id)
		}
	}
	body := func(verdict, note string) string {
		var rows []string
		for _, id := range applied {
			rows = append(rows, fmt.Sprintf(`{"requirement": %q, "verdict": %q, "note": %q}`, id, verdict, note))
		}
		return `{"verdicts": [` + strings.Join(rows, ",") + `]}`
	}

	for _, tt := range []struct {
		name, token, body string
		status            int
		want              string
	}{
		{"another region's coordinator", halland, body("verified", ""), 403, ""},
		{"not verified needs a note", auditor, body("not_verified", ""), 422, `"field":"verdict.` + applied[0] + `","message":"Write what the evidence lacks."`},
		{"unknown verdict", auditor, body("maybe", ""), 422, "Choose verified, partly verified or not verified."},
		{"unknown requirement", auditor, `{"verdicts": [{"requirement": "XX-NONE", "verdict": "verified"}]}`, 422, "The requirement is not in the questionnaire's version."},
		{"no verdicts", auditor, `{"verdicts": []}`, 422, ""},
	} {
		if p := b.apiBody("POST", path, tt.token, tt.body); p.status != tt.status || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: %d %s", tt.name, p.status, trim(p.body))
		}
	}
	if d := getScored(t, b, s.sampleID, auditor); d.Score.Verified != nil {
		t.Fatalf("a refused verdict changed the score: verified %v", *d.Score.Verified)
	}

	// Every requirement borne out: verified equals claimed.
	if p := b.apiBody("POST", path, auditor, body("verified", "")); p.status != 200 {
		t.Fatalf("verdicts: %d %s", p.status, trim(p.body))
	}
	all := getScored(t, b, s.sampleID, auditor)
	if all.Score.Verified == nil || *all.Score.Verified != *all.Score.Total || all.Score.Requirements[applied[0]].Verdict != "verified" {
		t.Fatalf("all verified: claimed %v, verified %v", *all.Score.Total, all.Score.Verified)
	}
	if last := all.Trail[len(all.Trail)-1]; last.Action != "evidence_judged" {
		t.Errorf("trail ends with %s", last.Action)
	}
	// All of it only partly: the verified score is half the claim.
	if p := b.apiBody("POST", path, auditor, body("partly", "Bara utkast.")); p.status != 200 {
		t.Fatalf("partly: %d %s", p.status, trim(p.body))
	}
	half := getScored(t, b, s.sampleID, auditor)
	if *half.Score.Total == 0 || half.Score.Verified == nil || math.Abs(*half.Score.Verified-*half.Score.Total/2) > 0.1 {
		t.Errorf("partly verified: claimed %v, verified %v", *half.Score.Total, half.Score.Verified)
	}

	// The list and the export show both.
	list := b.api("GET", "/api/v1/assessments?q=556677", auditor)
	if !strings.Contains(list.body, fmt.Sprintf(`"verified":%v`, *half.Score.Verified)) {
		t.Errorf("list without the verified score %v: %s", *half.Score.Verified, trim(list.body))
	}
	csv := b.api("GET", "/api/v1/assessments.csv?lang=en", auditor)
	if head, _, _ := strings.Cut(csv.body, "\n"); !strings.Contains(head, "Claimed score (%);Verified score (%);Requirements judged;") {
		t.Errorf("export header %q", head)
	}
	// Scores with a decimal comma in Swedish, a point in English; in the
	// workbook, numbers.
	if sv := b.api("GET", "/api/v1/assessments.csv?lang=sv", auditor); !regexp.MustCompile(`;\d+,\d;`).MatchString(sv.body) || regexp.MustCompile(`;\d+\.\d;`).MatchString(sv.body) {
		t.Errorf("scores in the Swedish export:\n%s", sv.body)
	}
	if !regexp.MustCompile(`;\d+\.\d;`).MatchString(csv.body) {
		t.Errorf("scores in the English export:\n%s", csv.body)
	}
	x := b.api("GET", "/api/v1/assessments.xlsx?lang=sv", auditor)
	wb, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := wb.GetCellValue("Uppföljningar", "O2", excelize.Options{RawCellValue: true}); !regexp.MustCompile(`^\d+(\.\d+)?$`).MatchString(v) {
		t.Errorf("the claimed score in the workbook: %q", v)
	}
	if typ, _ := wb.GetCellType("Uppföljningar", "O2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the claimed score is stored as text (%v)", typ)
	}

	// On the page: the form shows each requirement's verdict; a refused
	// form keeps what was typed and says what is wrong, in the row.
	csrf := b.signIn("audit@saq.se")
	page := b.do("GET", "/assessments/"+s.sampleID, nil)
	for _, want := range []string{"Claimed score", "Verified score", "Evidence judged", `<option value="partly" selected>partly verified</option>`, `value="Bara utkast."`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	form := url.Values{"_csrf": {csrf}}
	form.Set("verdicts.0.requirement", applied[0])
	form.Set("verdicts.0.verdict", "not_verified")
	form.Set("verdicts.0.note", "")
	form.Set("verdicts.1.requirement", applied[1])
	form.Set("verdicts.1.verdict", "verified")
	form.Set("verdicts.1.note", "Policyn från 2026 stämmer med svaren.")
	refused := b.do("POST", "/assessments/"+s.sampleID+"/verdicts", form)
	if refused.status != 422 || !strings.Contains(refused.body, `id="e-v-`+applied[0]+`">Write what the evidence lacks.`) ||
		!strings.Contains(refused.body, `value="Policyn från 2026 stämmer med svaren."`) {
		t.Errorf("refused form: %d %s", refused.status, trim(refused.body))
	}
	form.Set("verdicts.0.note", "Riskanalysen saknas.")
	if p := b.do("POST", "/assessments/"+s.sampleID+"/verdicts", form); p.status != 303 {
		t.Fatalf("form: %d %s", p.status, trim(p.body))
	}
	after := getScored(t, b, s.sampleID, auditor)
	if after.Score.Requirements[applied[0]].Verdict != "not_verified" || after.Score.Requirements[applied[1]].Verdict != "verified" {
		t.Errorf("after the form: %+v", after.Score.Requirements)
	}
}

// With only one requirement judged, the verified score says so (1 of N)
// on the page, in the list and in the report, in both languages, and the
// areas nobody judged show no verified score at all rather than 0 %.
func TestVerifiedSaysHowMuchWasJudged(t *testing.T) {
	t.Parallel()
	pdfcheck.Require(t)
	s := newSite(t)
	b := s.browser(t)
	submitSample(t, s, b)
	auditor := apiToken(t, s, "audit@saq.se")
	before := getScored(t, b, s.sampleID, auditor)
	var applied []string
	for id, r := range before.Score.Requirements {
		if r.Max > 0 {
			applied = append(applied, id)
		}
	}
	slices.Sort(applied)
	if p := b.apiBody("POST", "/api/v1/assessments/"+s.sampleID+"/verdicts", auditor,
		fmt.Sprintf(`{"verdicts": [{"requirement": %q, "verdict": "verified", "note": ""}]}`, applied[0])); p.status != 200 {
		t.Fatalf("verdict: %d %s", p.status, trim(p.body))
	}
	n := len(applied)
	b.signIn("audit@saq.se")
	for lang, want := range map[string]string{"sv": fmt.Sprintf("(1 av %d krav bedömda)", n), "en": fmt.Sprintf("(1 of %d requirements judged)", n)} {
		page := b.do("GET", "/assessments/"+s.sampleID+"?lang="+lang, nil)
		list := b.do("GET", "/assessments?lang="+lang, nil)
		if !strings.Contains(page.body, want) || !strings.Contains(list.body, want) {
			t.Errorf("%s: the page or the list lacks %q", lang, want)
		}
		// Areas without a judged requirement show "–", not a verified 0 %:
		// every row of the areas' table but the judged requirement's.
		table := page.body[strings.Index(page.body, "<caption>"):]
		table = table[:strings.Index(table, "</table>")]
		if rows, dashes := strings.Count(table, "<tr><td>"), strings.Count(table, "<td>–</td></tr>"); rows < 2 || dashes != rows-1 {
			t.Errorf("%s: %d of %d areas show no verified score, want all but the judged one:\n%s", lang, dashes, rows, table)
		}
		_, pdf := b.pdf("/api/v1/assessments/"+s.sampleID+"/report.pdf?lang="+lang, auditor)
		text := pdfcheck.Text(t, pdf)
		unjudged := map[string]string{"sv": "ej bedömt", "en": "not judged"}[lang]
		if !strings.Contains(text, strings.Trim(want, "()")) || !strings.Contains(text, unjudged) {
			t.Errorf("%s: the report lacks %q or %q", lang, want, unjudged)
		}
	}
}
