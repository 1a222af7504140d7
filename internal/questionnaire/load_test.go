package questionnaire_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/questionnaires"
)

func loadShipped(t testing.TB) *questionnaire.Set {
	t.Helper()
	set, err := questionnaire.LoadFS(questionnaires.Files)
	if err != nil {
		t.Fatalf("load shipped questionnaires: %v", err)
	}
	return set
}

func TestShippedQuestionnaire(t *testing.T) {
	set := loadShipped(t)
	q, ok := set.Latest("code-of-conduct")
	if !ok {
		t.Fatal("no code-of-conduct questionnaire")
	}
	qs := q.Questions()
	if len(qs) < 45 {
		t.Errorf("%d questions, want at least 45", len(qs))
	}
	if got, want := strings.Join(q.Areas(set.Catalogue), ","), "human-rights,labour-rights,environment,business-ethics,due-diligence"; got != want {
		t.Errorf("areas covered = %s, want %s", got, want)
	}
	types := map[questionnaire.QuestionType]int{}
	levels := map[questionnaire.Level]int{}
	showIf := 0
	for _, qu := range qs {
		types[qu.Type]++
		levels[qu.Level]++
		if qu.ShowIf != nil {
			showIf++
		}
	}
	for _, ty := range []questionnaire.QuestionType{"yes_no", "single", "multi", "number", "text", "date", "file"} {
		if types[ty] == 0 {
			t.Errorf("no %s question", ty)
		}
	}
	if levels[questionnaire.Basic] == 0 || levels[questionnaire.Advanced] == 0 {
		t.Errorf("levels = %v, want both basic and advanced", levels)
	}
	if showIf == 0 {
		t.Error("no show-if conditions")
	}
	// Every one of the six routine requirements, and transparency, is asked about.
	for _, id := range []string{"DD-POLICY", "DD-COMMUNICATION", "DD-RESPONSIBILITY", "DD-RISK-ANALYSIS", "DD-FOLLOW-UP", "DD-DEVIATIONS", "DD-TRANSPARENCY"} {
		found := false
		for _, r := range q.Requirements {
			found = found || r.ID == id
		}
		if !found {
			t.Errorf("no question evidences %s", id)
		}
	}
	if !strings.HasPrefix(q.Hash, "sha256:") || len(q.Hash) != len("sha256:")+64 {
		t.Errorf("hash %q", q.Hash)
	}
}

func TestHashIsStableAndCoversContent(t *testing.T) {
	cat := catalogue(t)
	a, err := questionnaire.Parse("a.yaml", []byte(validQuestionnaire), cat)
	if err != nil {
		t.Fatal(err)
	}
	// Comments and layout do not change the content, so not the hash.
	b, err := questionnaire.Parse("b.yaml", []byte("# a comment\n"+validQuestionnaire+"\n\n"), cat)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash != b.Hash {
		t.Errorf("reformatting changed the hash: %s vs %s", a.Hash, b.Hash)
	}
	c, err := questionnaire.Parse("c.yaml", []byte(strings.Replace(validQuestionnaire, "points: 4", "points: 5", 1)), cat)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash == c.Hash {
		t.Error("changing points kept the hash")
	}
	if err := questionnaire.CheckPublished(a, b.Hash); err != nil {
		t.Errorf("same content refused: %v", err)
	}
	err = questionnaire.CheckPublished(c, a.Hash)
	if !errors.Is(err, questionnaire.ErrVersionChanged) || !strings.Contains(err.Error(), "new version") || !strings.Contains(err.Error(), "c.yaml") {
		t.Errorf("changed content: %v", err)
	}
}

func TestDefaultsFilledIn(t *testing.T) {
	q, err := questionnaire.Parse("q.yaml", []byte(validQuestionnaire), catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	yn, _ := q.Question("Q1")
	if yn.Level != questionnaire.Basic || yn.MaxPoints != 4 {
		t.Errorf("Q1 level %q max %d, want basic 4", yn.Level, yn.MaxPoints)
	}
	if yes, _ := yn.Option("yes"); yes.Label.In("sv") != "Ja" || yes.Label.In("en") != "Yes" {
		t.Errorf("yes label = %v", yes.Label)
	}
	multi, _ := q.Question("Q3")
	if multi.MaxPoints != 3 {
		t.Errorf("multi max = %d, want the sum of its options, 3", multi.MaxPoints)
	}
	file, _ := q.Question("Q4")
	if file.MaxPoints != 2 {
		t.Errorf("file max = %d, want 2", file.MaxPoints)
	}
}

const validCatalogue = `
areas:
  - id: labour-rights
    title: {sv: Arbetstagares rättigheter, en: Labour rights}
requirements:
  - id: LR-FORCED
    area: labour-rights
    title: {sv: Inget tvångsarbete, en: No forced labour}
    description: {sv: Inget tvångsarbete., en: No forced labour.}
    source: ILO 29 och 105
    severity: critical
`

const validQuestionnaire = `
id: t
version: 1
title: {sv: Test, en: Test}
sections:
  - id: S1
    title: {sv: Del 1, en: Part 1}
    questions:
      - id: Q1
        type: yes_no
        requirements: [LR-FORCED]
        text: {sv: "Fråga ett?", en: "Question one?"}
        options:
          - {id: "yes", points: 4}
          - {id: "no", points: 0, red_flag: critical}
      - id: Q2
        type: text
        show_if: {question: Q1, any_of: ["no"]}
        text: {sv: "Varför inte?", en: "Why not?"}
      - id: Q3
        type: multi
        text: {sv: "Vilka?", en: "Which?"}
        options:
          - {id: a, points: 1, label: {sv: A, en: A}}
          - {id: b, points: 2, label: {sv: B, en: B}}
      - id: Q4
        type: file
        points: 2
        text: {sv: Bifoga, en: Attach}
`

func catalogue(t testing.TB) *questionnaire.Catalogue {
	t.Helper()
	c, err := questionnaire.ParseCatalogue("requirements.yaml", []byte(validCatalogue))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRefusedQuestionnaires changes one thing in a valid file and expects the
// loader to refuse it with a message naming the file, the place and the fault.
func TestRefusedQuestionnaires(t *testing.T) {
	tests := []struct {
		name    string
		old     string // replaced in validQuestionnaire …
		new     string // … by this
		wantMsg string
	}{
		{"duplicate question id", "id: Q2\n", "id: Q1\n", "question Q1: duplicate question id"},
		{"unknown requirement", "[LR-FORCED]", "[LR-NOPE]", `question Q1: unknown requirement "LR-NOPE"`},
		{"show-if on later question", "question: Q1, any_of", "question: Q3, any_of", `question Q2: show_if refers to "Q3", which is not an earlier question`},
		{"show-if on unknown question", "question: Q1, any_of", "question: Q9, any_of", `show_if refers to "Q9"`},
		{"show-if on unknown option", `any_of: ["no"]`, `any_of: ["maybe"]`, `question Q2: show_if refers to option "maybe", which Q1 does not offer`},
		{"show-if on itself", "show_if: {question: Q1,", "show_if: {question: Q2,", "question Q2: show_if refers to the question itself"},
		{"show-if on a text question", "- id: Q3\n        type: multi\n", "- id: Q3\n        type: multi\n        show_if: {question: Q2, any_of: [x]}\n", "question Q3: show_if refers to Q2, a text question"},
		{"missing English text", `text: {sv: "Varför inte?", en: "Why not?"}`, `text: {sv: "Varför inte?"}`, "question Q2: text has no English (en) text"},
		{"missing Swedish label", "label: {sv: A, en: A}", "label: {en: A}", "question Q3 option a: label has no Swedish (sv) text"},
		{"empty text", `en: "Question one?"`, `en: "  "`, "question Q1: text has no English (en) text"},
		{"negative option points", "points: 0, red_flag", "points: -1, red_flag", "question Q1 option no: negative points (-1)"},
		{"negative file points", "points: 2\n        text: {sv: Bifoga", "points: -2\n        text: {sv: Bifoga", "question Q4: negative points (-2)"},
		{"red flag without severity", "red_flag: critical", "red_flag: true", `question Q1 option no: red_flag needs a severity: critical, major or minor (got "true")`},
		{"red flag empty", "red_flag: critical", "red_flag: null", "question Q1 option no: red_flag needs a severity"},
		{"unknown type", "type: text", "type: essay", `question Q2: unknown type "essay"`},
		{"unknown level", "type: text\n", "type: text\n        level: expert\n", `question Q2: level "expert" must be basic or advanced`},
		{"unknown field", "type: text\n", "type: text\n        mandatory: true\n", "field mandatory not found"},
		{"production countries from a choice", "version: 1\n", "version: 1\nproduction_countries: Q1\n", `production_countries "Q1" must name a text question`},
		{"production countries from nowhere", "version: 1\n", "version: 1\nproduction_countries: Q9\n", `production_countries "Q9" must name a text question`},
		{"changed in a later version", "type: text\n", "type: text\n        changed_in: 2\n", "question Q2: changed_in 2 must be a version from 1 to this one (1)"},
		{"options on text", "type: text\n", "type: text\n        options: [{id: a, label: {sv: A, en: A}}]\n", "question Q2: a text question has no options"},
		{"yes_no with other option", `{id: "no", points: 0`, `{id: "nah", points: 0`, "question Q1 option nah: a yes_no question's options are yes and no"},
		{"single option only", "\n          - {id: b, points: 2, label: {sv: B, en: B}}", "", "question Q3: a multi question needs at least two options"},
		{"max points too high", "type: file\n        points: 2", "type: file\n        points: 2\n        max_points: 3", "question Q4: max_points 3 is more than the answers can give (2)"},
		{"version zero", "version: 1", "version: 0", "version must be a whole number from 1 up"},
		{"unknown format", "version: 1\n", "version: 1\nformat: 4\n", "format 4 is unknown"},
		// Format 2: a flag carries its requirement's severity, on one requirement.
		{"yes_no without no", `{id: "no", points: 0, red_flag: critical}`, `{id: unknown, points: 0, verify: true}`, "question Q1: a yes_no question offers both yes and no"},
		{"verify and red flag", "red_flag: critical}", "red_flag: critical, verify: true}", "question Q1 option no: an option to verify is neither a red flag nor not applicable"},
		{"verify without requirement", "{id: b, points: 2,", "{id: b, points: 2, verify: true,", "question Q3 option b: an option to verify needs the question to name the requirement it checks"},
		{"module with a bad risk area", "title: {sv: Del 1, en: Part 1}\n", "title: {sv: Del 1, en: Part 1}\n    risk_areas: [\"glo ves\"]\n", `section S1: id "glo ves" must be`},
		{"bad id", "id: Q4", "id: Q 4", `id "Q 4" must be`},
		{"operator-like id", "id: Q4", "id: $gt", `id "$gt" must be`},
		{"no sections", "sections:", "sections: []\nx:", "field x not found"},
		{"not yaml", "id: t", "id: [t", "did not find expected"},
	}
	cat := catalogue(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(validQuestionnaire, tt.old, tt.new, 1)
			if src == validQuestionnaire {
				t.Fatalf("the test's replacement %q matched nothing", tt.old)
			}
			q, err := questionnaire.Parse("broken.yaml", []byte(src), cat)
			if err == nil {
				t.Fatalf("loaded %s version %d, want an error containing %q", q.ID, q.Version, tt.wantMsg)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "broken.yaml: ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error:\n%s\nwant it to start with the file name and contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestRefusedCatalogues(t *testing.T) {
	tests := []struct {
		name, old, new, wantMsg string
	}{
		{"duplicate requirement", "requirements:\n", "requirements:\n  - {id: LR-FORCED, area: labour-rights, title: {sv: a, en: a}, description: {sv: a, en: a}, source: x, severity: minor}\n", "requirement LR-FORCED: duplicate requirement id"},
		{"unknown area", "area: labour-rights", "area: labour", `requirement LR-FORCED: unknown area "labour"`},
		{"bad severity", "severity: critical", "severity: high", `requirement LR-FORCED: severity "high" must be critical, major or minor`},
		{"no source", "source: ILO 29 och 105", `source: ""`, "requirement LR-FORCED: no source"},
		{"missing description language", "description: {sv: Inget tvångsarbete., en: No forced labour.}", "description: {sv: Inget tvångsarbete.}", "requirement LR-FORCED: description has no English (en) text"},
		{"extra language", "title: {sv: Inget tvångsarbete, en: No forced labour}", "title: {sv: Inget tvångsarbete, en: No forced labour, de: Keine Zwangsarbeit}", `title has a text in "de"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(validCatalogue, tt.old, tt.new, 1)
			if src == validCatalogue {
				t.Fatalf("the test's replacement %q matched nothing", tt.old)
			}
			_, err := questionnaire.ParseCatalogue("requirements.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v, want one containing %q", err, tt.wantMsg)
			}
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	src := strings.Replace(validQuestionnaire, "[LR-FORCED]", "[LR-NOPE]", 1)
	src = strings.Replace(src, "type: text", "type: essay", 1)
	_, err := questionnaire.Parse("two.yaml", []byte(src), catalogue(t))
	var inv *questionnaire.InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 2 {
		t.Fatalf("error %v, want an InvalidError with 2 problems", err)
	}
}

// FuzzLoad feeds arbitrary bytes to the loader: it may refuse them, but must
// never panic, and what it accepts must be complete in both languages.
func FuzzLoad(f *testing.F) {
	shipped, err := questionnaires.Files.ReadFile("code-of-conduct.v1.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	f.Add([]byte(validQuestionnaire))
	f.Add([]byte(strings.Replace(validQuestionnaire, "question: Q1", "question: Q3", 1)))
	f.Add([]byte("id: x\nversion: 1\nsections: [{id: S, questions: [{id: Q, type: yes_no}]}]"))
	f.Add([]byte("{"))
	f.Add([]byte(""))
	set, err := questionnaire.LoadFS(questionnaires.Files)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := questionnaire.Parse("fuzz.yaml", data, set.Catalogue)
		if err != nil {
			return
		}
		for _, qu := range q.Questions() {
			for _, lang := range questionnaire.Languages {
				if qu.Text[lang] == "" {
					t.Fatalf("accepted question %s without %s text", qu.ID, lang)
				}
			}
			if qu.MaxPoints < 0 {
				t.Fatalf("accepted negative maximum on %s", qu.ID)
			}
		}
	})
}

// A basic follow-up is asked the basic questions only; an advanced one all.
func TestAskedAt(t *testing.T) {
	q, _ := loadShipped(t).Latest("code-of-conduct")
	all := len(q.Questions())
	for _, tt := range []struct {
		level questionnaire.Level
		only  func(questionnaire.Level) bool
	}{
		{questionnaire.Basic, func(l questionnaire.Level) bool { return l == questionnaire.Basic }},
		{questionnaire.Advanced, func(questionnaire.Level) bool { return true }},
	} {
		asked := q.AskedAt(tt.level)
		want := 0
		for _, qu := range q.Questions() {
			if tt.only(qu.Level) {
				want++
			}
		}
		if got := len(asked.Questions()); got != want || want == 0 {
			t.Errorf("%s: %d questions asked, want %d", tt.level, got, want)
		}
		for _, sec := range asked.Sections {
			if len(sec.Questions) == 0 {
				t.Errorf("%s: section %s is empty", tt.level, sec.ID)
			}
		}
	}
	if len(q.Questions()) != all || q.AskedAt(questionnaire.Basic).Hash != q.Hash {
		t.Error("AskedAt changed the questionnaire")
	}
}

// In format 2 an answer raises one deviation, with the severity of the one
// requirement its question names; format 1 files keep loading as they were.
func TestFormat2Flags(t *testing.T) {
	const twoReqs = `
  - id: LR-CHILD
    area: labour-rights
    title: {sv: Inget barnarbete, en: No child labour}
    description: {sv: Inget barnarbete., en: No child labour.}
    source: ILO 138 och 182
    severity: critical
  - id: LR-HOURS
    area: labour-rights
    title: {sv: Arbetstid, en: Working hours}
    description: {sv: Skälig arbetstid., en: Reasonable hours.}
    source: ILO 1
    severity: major
`
	cat2, err := questionnaire.ParseCatalogue("requirements.yaml", []byte(validCatalogue+twoReqs))
	if err != nil {
		t.Fatal(err)
	}
	format2 := strings.Replace(validQuestionnaire, "version: 1\n", "version: 1\nformat: 2\n", 1)
	tests := []struct {
		name, old, new, wantMsg string // wantMsg "": loads
	}{
		{"flag with its requirement's severity", "", "", ""},
		{"flag below its requirement's severity", "red_flag: critical}", "red_flag: major}", "question Q1 option no: red_flag major does not match the severity of LR-FORCED (critical)"},
		{"flag on two requirements", "[LR-FORCED]", "[LR-FORCED, LR-CHILD]", "question Q1: an answer raises one deviation: a question with red flags or items to verify names exactly one requirement (it names 2)"},
		{"item to verify on two requirements", `{id: "no", points: 0, red_flag: critical}`, "{id: \"no\", points: 0}\n          - {id: unknown, points: 0, verify: true}", ""},
		{"an item to verify alone", `{id: "no", points: 0, red_flag: critical}`, "{id: \"no\", points: 0}\n          - {id: unknown, points: 0, verify: true}", ""},
		{"no flag, two requirements", `{id: "no", points: 0, red_flag: critical}`, `{id: "no", points: 0}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(format2, tt.old, tt.new, 1)
			if tt.old != "" && src == format2 {
				t.Fatalf("the test's replacement %q matched nothing", tt.old)
			}
			switch tt.name {
			case "item to verify on two requirements":
				src = strings.Replace(src, "[LR-FORCED]", "[LR-FORCED, LR-HOURS]", 1)
				tt.wantMsg = "question Q1: an answer raises one deviation"
			case "no flag, two requirements":
				src = strings.Replace(src, "[LR-FORCED]", "[LR-FORCED, LR-HOURS]", 1)
			}
			q, err := questionnaire.Parse("f2.yaml", []byte(src), cat2)
			switch {
			case tt.wantMsg == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantMsg != "" && (err == nil || !strings.Contains(err.Error(), tt.wantMsg)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantMsg)
			case tt.wantMsg == "" && q.Format != 2:
				t.Errorf("format %d", q.Format)
			}
			// The same file in format 1 loads: published versions stand.
			if _, err := questionnaire.Parse("f1.yaml", []byte(strings.Replace(src, "format: 2\n", "", 1)), cat2); err != nil && tt.wantMsg != "" && strings.Contains(err.Error(), "one deviation") {
				t.Errorf("format 1 held to format 2: %v", err)
			}
		})
	}
	// Every shipped format-2 version passes, and its flags match (checked
	// again here from the outside, not by the loader's own code).
	set := loadShipped(t)
	for _, q := range set.Questionnaires {
		if q.Format < 2 {
			continue
		}
		for _, qu := range q.Questions() {
			for _, o := range qu.Options {
				if o.RedFlag == "" {
					continue
				}
				r, _ := set.Catalogue.Requirement(qu.Requirements[0])
				if len(qu.Requirements) != 1 || o.RedFlag != r.Severity {
					t.Errorf("%s v%d %s %s: flag %s on %v", q.ID, q.Version, qu.ID, o.ID, o.RedFlag, qu.Requirements)
				}
			}
		}
	}
}

// A module is asked only in follow-ups of its risk areas; the rest of the
// questionnaire in all of them.
func TestModulesByRiskArea(t *testing.T) {
	q, _ := loadShipped(t).Latest("code-of-conduct")
	tests := []struct {
		riskArea string
		modules  string
	}{
		{"pharmaceuticals", "M1"},
		{"ict", "M2 M3"},
		{"medtech", "M2"},
		{"gloves", "M7"},
		{"textiles", "M4"},
		{"instruments", "M5"},
		{"food", "M6"},
		{"dressings", ""},
	}
	for _, tt := range tests {
		asked := q.For(tt.riskArea)
		var modules []string
		for _, s := range asked.Sections {
			if len(s.RiskAreas) > 0 {
				modules = append(modules, s.ID)
			}
		}
		if got := strings.Join(modules, " "); got != tt.modules {
			t.Errorf("%s asks modules %q, want %q", tt.riskArea, got, tt.modules)
		}
		if len(asked.Sections)-len(modules) != len(q.Sections)-7 {
			t.Errorf("%s: %d sections besides its modules, want every one of the %d", tt.riskArea, len(asked.Sections)-len(modules), len(q.Sections)-7)
		}
	}
	// The honest answers of a yes_no question get their labels filled in.
	qu, _ := q.Question("Q4.5")
	for id, want := range map[string]string{"unknown": "Vet inte", "yes": "Ja"} {
		if o, ok := qu.Option(id); !ok || o.Label.In("sv") != want {
			t.Errorf("Q4.5 option %s: %+v", id, o)
		}
	}
}

// Published versions keep their content: the hashes recorded when 1–3
// were published. A change to the catalogue entries they carry, or to
// what they ask, shows here before a running service refuses to start.
func TestPublishedHashesKept(t *testing.T) {
	set := loadShipped(t)
	for v, want := range map[int]string{
		1: "sha256:ab8aa0dc8b2fcc82652c815ba2257af6ae046fbfa8977f004256564daaecd2f9",
		2: "sha256:0c451bdd30bb2364c2fc3691997df11cc634cf30f67a543dc8dc0964ac9c5dd6",
		3: "sha256:8078a61a4402ed5f082427e5829e57dd70e02415237c69640b2f262bedd44537",
	} {
		q, ok := set.Get("code-of-conduct", v)
		if !ok || q.Hash != want {
			t.Errorf("code-of-conduct version %d: hash %s, want %s as published", v, q.Hash, want)
		}
	}
}

// Format 3: a question counts toward one requirement, a "Vet inte" names
// the routine requirement it is a gap in, and "Ej tillämpligt" may name
// the earlier answer that contradicts it.
func TestFormat3(t *testing.T) {
	cat, err := questionnaire.ParseCatalogue("requirements.yaml", []byte(strings.Replace(validCatalogue+`
  - id: DD-FOLLOW-UP
    area: due-diligence
    title: {sv: Uppföljning, en: Follow-up}
    description: {sv: Uppföljning., en: Follow-up.}
    source: Rutinkrav 5
    severity: major
`, "requirements:\n", "  - id: due-diligence\n    title: {sv: Tillbörlig aktsamhet, en: Due diligence}\nrequirements:\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	valid := strings.NewReplacer(
		"version: 1\n", "version: 1\nformat: 3\n",
		`- {id: "no", points: 0, red_flag: critical}`, `- {id: "no", points: 0, red_flag: critical}
          - {id: unknown, points: 0, verify: true, gap: DD-FOLLOW-UP}
          - {id: na, not_applicable: true, contradicted_by: {question: Q0, any_of: [m]}}`,
		"    questions:\n", "    questions:\n      - id: Q0\n        type: multi\n        optional: true\n        text: {sv: \"Vilka?\", en: \"Which?\"}\n        options:\n          - {id: m, label: {sv: M, en: M}}\n          - {id: n, label: {sv: N, en: N}}\n",
	).Replace(validQuestionnaire)
	q, err := questionnaire.Parse("ok.yaml", []byte(valid), cat)
	if err != nil {
		t.Fatalf("valid format 3: %v", err)
	}
	if len(q.Requirements) != 2 {
		t.Errorf("requirements carried %v, want the question's and its gap's", q.Requirements)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"no gap", ", gap: DD-FOLLOW-UP}", "}", `question Q1 option unknown: a "Vet inte" names the routine requirement it is a gap in (gap)`},
		{"gap not routine", "gap: DD-FOLLOW-UP", "gap: LR-FORCED", "gap names LR-FORCED, which is not a routine requirement"},
		{"gap unknown", "gap: DD-FOLLOW-UP", "gap: DD-NOPE", `gap names "DD-NOPE", which is not in the catalogue`},
		{"gap on a yes", `{id: "yes", points: 4}`, `{id: "yes", points: 4, gap: DD-FOLLOW-UP}`, `question Q1 option yes: only a "Vet inte" to verify`},
		{"two requirements", "requirements: [LR-FORCED]", "requirements: [LR-FORCED, DD-FOLLOW-UP]", "question Q1: a question counts toward one requirement (it names 2)"},
		{"contradicted by a later question", "question: Q0, any_of: [m]", "question: Q3, any_of: [a]", `contradicted_by refers to "Q3", which is not an earlier choice question`},
		{"contradicted by an unknown option", "any_of: [m]}", "any_of: [z]}", `contradicted_by refers to option "z", which Q0 does not offer`},
		{"contradicted on a yes", `{id: "yes", points: 4}`, `{id: "yes", points: 4, contradicted_by: {question: Q0, any_of: [m]}}`, "contradicted_by belongs on a not-applicable option"},
	} {
		src := strings.Replace(valid, tt.old, tt.new, 1)
		if src == valid {
			t.Fatalf("%s: the replacement matched nothing", tt.name)
		}
		if _, err := questionnaire.Parse("broken.yaml", []byte(src), cat); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
