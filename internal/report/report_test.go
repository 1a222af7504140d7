package report_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/report"
	"github.com/regionerna/saq/internal/report/pdfcheck"
	"github.com/regionerna/saq/internal/report/sample"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata")

var (
	issued = time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	now    = time.Date(2026, 5, 4, 13, 37, 0, 0, time.UTC)
)

func auditInput(t testing.TB, lang string, o sample.Options) report.Audit {
	set := questionnairetest.Set(t)
	q, _ := set.Latest("code-of-conduct")
	q = q.For(sample.RiskArea)
	if o.Issued.IsZero() {
		o.Issued = issued
	}
	if o.Deviations == 0 {
		o.Deviations = 10
	}
	a := sample.Followup(q, o)
	return report.Audit{A: a, Q: q, Areas: set.Catalogue.Areas, RegionName: "Region Skåne", RiskAreaName: "Handskar", CountryName: "Malaysia",
		Aged: []assessment.AgedEvidence{{Evidence: a.Evidence[0], Date: "2023-05-01", Basis: "answer", Flagged: true}},
		Lang: lang, Today: now.Format(time.DateOnly), Now: now}
}

func write(t testing.TB, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func audit(t testing.TB, in report.Audit) []byte {
	return write(t, func(b *bytes.Buffer) error { return report.WriteAudit(b, in) })
}

// The audit report holds everything a reader needs, in either language,
// and poppler reads and renders it.
func TestAuditReport(t *testing.T) {
	pdfcheck.Require(t)
	tests := []struct {
		lang     string
		sections []string
		page     string
	}{
		{"sv", []string{"Revisionsrapport", "Uppföljningen", "Sammanfattning", "Uppgiven poäng per område", "Avvikelser efter allvarlighet och status",
			"Avvikelser och korrigerande åtgärder", "Gammalt eller utgånget underlag", "Verifierad poäng", "Underlagets bedömning", "att verifiera", "Tid- och åtgärdsplan", "Grundorsak", "Missade rapporteringsdatum", "Svar per avsnitt", "Granskarens kommentarer", "Ändringslogg",
			"poäng som lästes", "Motsäger svaret på fråga 5.7", "verifierad på plats av", "Annan allvarlighetsgrad än kravets"}, "Sida %d av %d"},
		{"en", []string{"Audit report", "The follow-up", "Summary", "Claimed score per area", "Deviations by severity and status",
			"Deviations and corrective actions", "Old or expired evidence", "Verified score", "Evidence judged", "to verify", "Time and action plan", "Root cause", "Missed reporting dates", "Answers by section", "Reviewer comments", "Audit trail",
			"score read", "Contradicts the answer to question 5.7", "verified on site by", "Severity other than the"}, "Page %d of %d"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			in := auditInput(t, tt.lang, sample.Options{})
			pdf := audit(t, in)
			text := pdfcheck.Text(t, pdf)
			for _, want := range append(tt.sections, sample.Supplier, "556677-8899", "RS-2026-0417 Undersökningshandskar", "Region Skåne", assessment.Reference(in.A.ID), "15:37 CEST") {
				if !strings.Contains(text, want) {
					t.Errorf("no %q in the report", want)
				}
			}
			// The deviations table breaks no word: its headers and its
			// values are whole, and a row is not split over two pages.
			for _, word := range map[string][]string{"sv": {"Allvarlighetsgrad", "skrivbordsrevision", "platsrevision", "1 lägesrapport från"},
				"en": {"Severity", "desk audit", "on-site audit", "1 progress report from"}}[tt.lang] {
				if !strings.Contains(text, word) {
					t.Errorf("the deviations table breaks %q", word)
				}
			}
			// Dates as people write them, never as the API does, but for
			// what the reviewers typed.
			var typed strings.Builder
			for _, d := range in.A.Deviations {
				typed.WriteString(d.Finding + d.Evidence + d.Reason)
			}
			for _, m := range regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}`).FindAllString(text, -1) {
				if !strings.Contains(typed.String(), m) {
					t.Errorf("a machine date in the report: %s", m)
				}
			}
			for _, sec := range in.Q.Sections {
				if !strings.Contains(text, sec.Title.In(tt.lang)) {
					t.Errorf("no section %q", sec.Title.In(tt.lang))
				}
			}
			if len(in.A.Deviations) != 10 {
				t.Fatalf("the sample has %d deviations, want 10", len(in.A.Deviations))
			}
			for _, d := range in.A.Deviations {
				if !strings.Contains(text, d.Requirement) {
					t.Errorf("deviation on %s missing", d.Requirement)
				}
				if w := strings.Fields(d.Finding); len(w) > 0 && !strings.Contains(strings.Join(strings.Fields(text), " "), strings.Join(w[:min(len(w), 6)], " ")) {
					t.Errorf("finding %q missing", d.Finding)
				}
				if d.Action != nil && !strings.Contains(text, d.Action.Owner) {
					t.Errorf("action owner %q missing", d.Action.Owner)
				}
			}
			// every shown question, with its points
			shown := assessment.Visible(in.Q, in.A.Level, in.A.Answers)
			for _, qu := range in.Q.Questions() {
				if shown[qu.ID] && !strings.Contains(text, qu.ID+" "+strings.Fields(qu.Text.In(tt.lang))[0]) {
					t.Errorf("question %s missing", qu.ID)
				}
			}
			pages := pdfcheck.Pages(t, pdf)
			for p := 1; p <= pages; p++ {
				if !strings.Contains(text, fmt.Sprintf(tt.page, p, pages)) {
					t.Errorf("no %q", fmt.Sprintf(tt.page, p, pages))
				}
			}
			info := pdfcheck.Info(t, pdf)
			if info["Title"] != tt.sections[0] || !strings.Contains(info["Subject"], sample.Supplier) ||
				info["Author"] == "" || !strings.HasPrefix(info["CreationDate"], "Mon May  4 13:37:00 2026") {
				t.Errorf("metadata %v", info)
			}
			img, _ := pdfcheck.Render(t, pdf, 1, 50)
			if img.Bounds().Dx() < 400 || pdfcheck.Inked(img) < 0.02 {
				t.Errorf("page 1 renders %v with %.3f inked", img.Bounds(), pdfcheck.Inked(img))
			}
			t.Logf("%s: %d pages, %d bytes", tt.lang, pages, len(pdf))
		})
	}
}

// Long answers and long questionnaires make longer reports, never broken ones.
func TestLongReports(t *testing.T) {
	pdfcheck.Require(t)
	short := audit(t, auditInput(t, "sv", sample.Options{}))
	long := auditInput(t, "sv", sample.Options{LongAnswer: 10000})
	var sentinel string
	for id, a := range long.A.Answers {
		if len([]rune(a.Text)) == 10000 {
			a.Text += " SLUT-" + id
			long.A.Answers[id] = a
			sentinel = "SLUT-" + id
			break
		}
	}
	if sentinel == "" {
		t.Fatal("the sample has no long answer")
	}
	pdf := audit(t, long)
	if pdfcheck.Pages(t, pdf) <= pdfcheck.Pages(t, short) || !strings.Contains(pdfcheck.Text(t, pdf), sentinel) {
		t.Errorf("10 000 characters: %d pages against %d, sentinel found: %v", pdfcheck.Pages(t, pdf), pdfcheck.Pages(t, short),
			strings.Contains(pdfcheck.Text(t, pdf), sentinel))
	}

	// 300 questions in 10 sections, every one answered, one word too long for any line.
	in := auditInput(t, "en", sample.Options{})
	big := &questionnaire.Questionnaire{ID: "big", Version: 1, Title: questionnaire.Text{"sv": "Stor", "en": "Big"}, Requirements: in.Q.Requirements}
	in.A.Answers = assessment.Answers{}
	for s := 1; s <= 10; s++ {
		sec := questionnaire.Section{ID: fmt.Sprint(s), Title: questionnaire.Text{"sv": fmt.Sprintf("Avsnitt %d", s), "en": fmt.Sprintf("Section %d", s)}}
		for n := 1; n <= 30; n++ {
			id := fmt.Sprintf("B%d.%d", s, n)
			sec.Questions = append(sec.Questions, questionnaire.Question{ID: id, Type: questionnaire.Free, Level: questionnaire.Basic,
				Text: questionnaire.Text{"sv": "Beskriv " + id, "en": "Describe " + id}, Requirements: []string{"DD-POLICY"}})
			in.A.Answers[id] = assessment.Answer{Text: "Answer to " + id + " " + strings.Repeat("x", 300)}
		}
		big.Sections = append(big.Sections, sec)
	}
	in.Q = big
	pdf = audit(t, in)
	text := pdfcheck.Text(t, pdf)
	for _, id := range []string{"B1.1", "B5.17", "B10.30"} {
		if !strings.Contains(text, "Describe "+id) || !strings.Contains(text, "Answer to "+id) {
			t.Errorf("question %s missing", id)
		}
	}
	t.Logf("10 000-character answer: %d pages (short: %d); 300 questions: %d pages", pdfcheck.Pages(t, audit(t, long)), pdfcheck.Pages(t, short), pdfcheck.Pages(t, pdf))
}

// Letters of Europe's scripts print; others show a replacement mark and
// break nothing.
func TestScripts(t *testing.T) {
	pdfcheck.Require(t)
	in := auditInput(t, "sv", sample.Options{})
	in.A.Supplier.Name = "Åäö Éü ß Łódź Москва Αθήνα 北京 🧤 مرحبا e\u0301"
	in.A.Comments = append(in.A.Comments, assessment.Comment{At: now, By: "x", Kind: "comment", Text: "tab\there\x00\x07 line\r\nbreak"})
	text := pdfcheck.Text(t, audit(t, in))
	for _, want := range []string{"Åäö Éü ß Łódź Москва Αθήνα", "\uFFFD\uFFFD \uFFFD", "é", "tab here line break"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in %q", want, text[:300])
		}
	}
	if strings.Contains(text, "北京") {
		t.Error("characters the fonts lack were set as they are")
	}
}

// The same data and clock give the same bytes; the golden files hold them
// (go test ./internal/report -update rewrites them after a deliberate change).
func TestGolden(t *testing.T) {
	q := questionnairetest.CodeOfConduct(t).For(sample.RiskArea)
	a := sample.Followup(q, sample.Options{Deviations: 10, Issued: issued})
	docs := map[string]func(*bytes.Buffer) error{
		"audit.sv.pdf": func(b *bytes.Buffer) error { return report.WriteAudit(b, auditInput(t, "sv", sample.Options{})) },
		"receipt.sv.pdf": func(b *bytes.Buffer) error {
			return report.WriteReceipt(b, report.Receipt{A: a, Q: q, RegionName: "Region Skåne", Lang: "sv", Now: now})
		},
		"annual.en.pdf": func(b *bytes.Buffer) error { return report.WriteAnnual(b, annualInput("en")) },
	}
	for name, f := range docs {
		t.Run(name, func(t *testing.T) {
			got := write(t, f)
			if again := write(t, f); !bytes.Equal(got, again) {
				t.Fatal("two runs on the same data differ")
			}
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to make it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (%d bytes against %d); look at both, then run with -update if the change is meant",
					name, len(got), len(want))
			}
		})
	}
}

// The receipt is the supplier's own answers and files, without the regions' judgement.
func TestReceipt(t *testing.T) {
	pdfcheck.Require(t)
	q := questionnairetest.CodeOfConduct(t).For(sample.RiskArea)
	a := sample.Followup(q, sample.Options{Deviations: 10, Issued: issued})
	for _, lang := range []string{"sv", "en"} {
		pdf := write(t, func(b *bytes.Buffer) error {
			return report.WriteReceipt(b, report.Receipt{A: a, Q: q, RegionName: "Region Skåne", Lang: lang, Now: now})
		})
		text := pdfcheck.Text(t, pdf)
		for _, want := range []string{sample.Supplier, a.Evidence[0].Name, a.Evidence[len(a.Evidence)-1].Name, "Vi arbetar med frågan", map[string]string{"sv": "23 feb. 2026", "en": "23 Feb 2026"}[lang]} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q", lang, want)
			}
		}
		for _, never := range []string{"Poäng", "Points", "DD-POLICY", "Riskbedömning", "Risk rating", "Granskarens", "Reviewer", "Ändringslogg", "Audit trail"} {
			if strings.Contains(text, never) {
				t.Errorf("%s: the receipt shows %q", lang, never)
			}
		}
	}
}

// Before submission the receipt says so and shows what is saved.
func TestReceiptBeforeSubmission(t *testing.T) {
	pdfcheck.Require(t)
	q := questionnairetest.CodeOfConduct(t).For(sample.RiskArea)
	a := sample.Followup(q, sample.Options{Deviations: 10, Issued: issued})
	a.SubmittedAt, a.Status = time.Time{}, assessment.InProgress
	text := pdfcheck.Text(t, write(t, func(b *bytes.Buffer) error {
		return report.WriteReceipt(b, report.Receipt{A: a, Q: q, Lang: "en", Now: now})
	}))
	if !strings.Contains(text, "The answers have not been submitted yet") || strings.Contains(text, "– UTC") {
		t.Errorf("unsubmitted receipt: %.400s", text)
	}
}

func annualInput(lang string) report.Annual {
	f := func(v float64) *float64 { return &v }
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var all []assessment.Summary
	for i, r := range []string{"skane", "skane", "halland", "vgr", "vgr", "vgr"} {
		all = append(all, assessment.Summary{ID: fmt.Sprint(i), Region: r, RiskArea: []string{"gloves", "food"}[i%2], IssuedAt: at,
			SubmittedAt: at, Total: f(float64(30 + 12*i)), Deviations: []assessment.DeviationSummary{
				{Area: "labour-rights", Severity: "major", Status: assessment.DevConfirmed, ActionDue: "2026-05-01", PlannedAt: at},
				{Area: "environment", Severity: questionnaire.Severity([]string{"minor", "critical"}[i%2]), Status: assessment.DevClosed,
					ActionDue: "2026-05-01", PlannedAt: at, ClosedAt: at.AddDate(0, 0, 5+i)},
			}})
	}
	names := map[string]string{"skane": "Region Skåne", "halland": "Region Halland", "vgr": "Västra Götalandsregionen", "gloves": "Handskar", "food": "Livsmedel"}
	return report.Annual{Stats: listing.MakeStats(all, 2026), Names: names, Lang: lang, Now: now}
}

func TestAnnual(t *testing.T) {
	pdfcheck.Require(t)
	pdf := write(t, func(b *bytes.Buffer) error { return report.WriteAnnual(b, annualInput("sv")) })
	text := pdfcheck.Text(t, pdf)
	for _, want := range []string{"Sammanställning per riskområde 2026", "Alla riskområden", "Handskar", "Livsmedel", "Region Skåne",
		"Region Halland", "Västra Götalandsregionen", "Medianpoäng per region", "Avvikelser per region", "Per region", "kritisk"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q", want)
		}
	}
	// Gloves in Skåne: follow-ups 0 (30) and 1 is food; Skåne has only no. 0 in gloves → median 30,0 %.
	if !strings.Contains(text, "30,0 %") {
		t.Errorf("no median 30,0 %% in %s", text)
	}
	empty := write(t, func(b *bytes.Buffer) error {
		return report.WriteAnnual(b, report.Annual{Stats: listing.MakeStats(nil, 2025), Lang: "en", Now: now})
	})
	if text := pdfcheck.Text(t, empty); !strings.Contains(text, "No follow-ups were issued in the year.") {
		t.Errorf("empty year: %s", text)
	}
}

// BenchmarkAudit: the full audit report of the sample (every question of
// the advanced level, 10 deviations) on one core.
//
//	go test ./internal/report -run '^$' -bench Audit -cpu 1
func BenchmarkAudit(b *testing.B) {
	in := auditInput(b, "sv", sample.Options{})
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := report.WriteAudit(&buf, in); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
	b.ReportMetric(float64(size), "bytes")
}

// Whatever a supplier or reviewer types, the report is made. The seeds run
// with the tests; go test ./internal/report -fuzz FuzzAuditText explores.
func FuzzAuditText(f *testing.F) {
	for _, seed := range []string{"", "Åström", "\x00\xff\xfe", "北京 🧤 مرحبا", strings.Repeat("W", 5000), "a\r\n\tb\u200b\u0301\ufeff", "{nb} %d %s"} {
		f.Add(seed)
	}
	in := auditInput(f, "sv", sample.Options{})
	f.Fuzz(func(t *testing.T, s string) {
		in.A.Supplier.Name = s
		in.A.Comments = []assessment.Comment{{At: now, By: s, Kind: "comment", Text: s}}
		in.A.Deviations[0].Finding = s
		var b bytes.Buffer
		if err := report.WriteAudit(&b, in); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Fatalf("%q: %v", s, err)
		}
	})
}

// TestBlankQuestionnaire: the printed questionnaire holds every question of
// its level, and only those, with its options, in the language asked.
func TestBlankQuestionnaire(t *testing.T) {
	pdfcheck.Require(t)
	q, _ := questionnairetest.Set(t).Latest("code-of-conduct")
	q = q.For(sample.RiskArea)
	for _, tt := range []struct {
		lang  string
		level questionnaire.Level
	}{{"sv", questionnaire.Basic}, {"en", questionnaire.Advanced}} {
		t.Run(tt.lang+" "+string(tt.level), func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.WriteBlank(&buf, report.Blank{Q: q, Level: tt.level, Lang: tt.lang, Now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(pdfcheck.Text(t, buf.Bytes())), " ")
			for _, qu := range q.Questions() {
				words := strings.Join(strings.Fields(qu.Text.In(tt.lang)), " ")
				first := words[:min(len(words), 30)]
				in := strings.Contains(text, qu.ID+" "+first)
				if want := tt.level.Includes(qu.Level); in != want {
					t.Errorf("%s (level %s) printed: %v, want %v", qu.ID, qu.Level, in, want)
				}
				if in && len(qu.Options) > 0 && qu.OptionsFrom == "" && !strings.Contains(text, strings.Join(strings.Fields(qu.Options[0].Label.In(tt.lang)), " ")) {
					t.Errorf("%s's first option is not printed", qu.ID)
				}
				// A question asked after an answer names that answer.
				if si := qu.ShowIf; in && si != nil {
					from, _ := q.Question(si.Question)
					o, _ := from.Option(si.AnyOf[0])
					want := map[string]string{"sv": "Besvara bara om ni svarade ”%s", "en": "Answer only if you answered ”%s"}[tt.lang]
					if !strings.Contains(text, fmt.Sprintf(want, o.Label.In(tt.lang))) || !strings.Contains(text, strings.TrimPrefix(si.Question, "Q")+".") {
						t.Errorf("%s does not say which answer to %s leads to it", qu.ID, si.Question)
					}
				}
				// A list of every country is written, not ticked.
				if in && qu.OptionsFrom != "" && !strings.Contains(text, map[string]string{"sv": "Skriv ländernas namn.", "en": "Write the countries' names."}[tt.lang]) {
					t.Errorf("%s: no line to write the countries on", qu.ID)
				}
			}
		})
	}
}
