// Package questionnaire holds the requirement catalogue and the versioned,
// bilingual questionnaire definitions: their format, loading and checks.
// It knows nothing of HTTP or storage.
package questionnaire

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// Languages every text must be given in, in display order.
var Languages = []string{"sv", "en"}

// Text is one text in each language, keyed by language code.
type Text map[string]string

// In returns the text in lang, or the Swedish one when lang is missing.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t["sv"]
}

// Severity of not meeting a requirement, or of a red-flag answer.
type Severity string

const (
	Critical Severity = "critical"
	Major    Severity = "major"
	Minor    Severity = "minor"
)

// Severities lists every severity, gravest first.
var Severities = []Severity{Critical, Major, Minor}

func (s Severity) valid() bool { return s == Critical || s == Major || s == Minor }

// UnmarshalYAML takes any scalar, so that "red_flag: true" is reported as a
// missing severity rather than a type error.
func (s *Severity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a severity is one word: critical, major or minor", n.Line)
	}
	*s = Severity(n.Value)
	return nil
}

// Area is one of the five areas the requirements fall into.
type Area struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
}

// Requirement is one harmonised sustainability requirement.
type Requirement struct {
	ID          string   `yaml:"id" json:"id"`
	Area        string   `yaml:"area" json:"area"`
	Title       Text     `yaml:"title" json:"title"`
	Description Text     `yaml:"description" json:"description"`
	Source      string   `yaml:"source" json:"source"` // code-of-conduct clause, convention
	Severity    Severity `yaml:"severity" json:"severity"`
}

// Catalogue is the requirement catalogue: the areas and their requirements.
type Catalogue struct {
	Areas        []Area        `yaml:"areas"`
	Requirements []Requirement `yaml:"requirements"`

	requirements map[string]*Requirement
}

// Requirement returns the requirement with the given id.
func (c *Catalogue) Requirement(id string) (*Requirement, bool) {
	r, ok := c.requirements[id]
	return r, ok
}

// Area returns the area with the given id.
func (c *Catalogue) Area(id string) (*Area, bool) {
	for i := range c.Areas {
		if c.Areas[i].ID == id {
			return &c.Areas[i], true
		}
	}
	return nil, false
}

// QuestionType says what kind of answer a question takes.
type QuestionType string

const (
	YesNo  QuestionType = "yes_no"
	Single QuestionType = "single" // one option
	Multi  QuestionType = "multi"  // any number of options
	Number QuestionType = "number"
	Free   QuestionType = "text"
	Date   QuestionType = "date"
	File   QuestionType = "file" // evidence documents
)

// HasOptions tells whether answers are chosen from the question's options.
func (t QuestionType) HasOptions() bool { return t == YesNo || t == Single || t == Multi }

// Level is the level of the contract's due-diligence clause a question belongs to.
type Level string

const (
	Basic    Level = "basic"
	Advanced Level = "advanced" // includes every basic question
)

// Includes tells whether a questionnaire issued at level l asks a question of level q.
func (l Level) Includes(q Level) bool { return l == Advanced || q == Basic }

// Option is one answer a choice question offers.
type Option struct {
	ID            string   `yaml:"id" json:"id"`
	Label         Text     `yaml:"label" json:"label"`
	Points        int      `yaml:"points" json:"points"`
	RedFlag       Severity `yaml:"red_flag,omitempty" json:"redFlag,omitempty"`             // the answer raises a deviation
	NotApplicable bool     `yaml:"not_applicable,omitempty" json:"notApplicable,omitempty"` // the question does not count
	// Verify opens an item for the reviewer to check: the answer ("Vet
	// inte", or a harm said to be remedied) is neither met nor a red flag
	// until someone has looked.
	Verify bool `yaml:"verify,omitempty" json:"verify,omitempty"`
	// Gap, on a "Vet inte" option, names the routine requirement that
	// should have found the answer out: what a reviewer confirms is a gap
	// in the supplier's knowledge, a deviation of that requirement, not the
	// harm the question asks about (format 3).
	Gap string `yaml:"gap,omitempty" json:"gap,omitempty"`
	// ContradictedBy, on a not-applicable option, names an earlier answer
	// that says the opposite (Q1.5 "migrant workers"): given together, the
	// answer opens an item to verify.
	ContradictedBy *ShowIf `yaml:"contradicted_by,omitempty" json:"contradictedBy,omitempty"`
}

// ShowIf makes a question appear only after a given answer to an earlier one.
type ShowIf struct {
	Question string   `yaml:"question" json:"question"`
	AnyOf    []string `yaml:"any_of" json:"anyOf"` // option ids; one chosen is enough
}

// Question is one question of a section.
type Question struct {
	ID           string       `yaml:"id" json:"id"`
	Type         QuestionType `yaml:"type" json:"type"`
	Level        Level        `yaml:"level" json:"level"`
	Optional     bool         `yaml:"optional,omitempty" json:"optional,omitempty"`
	Text         Text         `yaml:"text" json:"text"`
	Help         Text         `yaml:"help,omitempty" json:"help,omitempty"`
	Requirements []string     `yaml:"requirements,omitempty" json:"requirements,omitempty"`
	Options      []Option     `yaml:"options,omitempty" json:"options,omitempty"`
	Points       int          `yaml:"points,omitempty" json:"points,omitempty"` // file questions: for evidence attached
	MaxPoints    int          `yaml:"max_points,omitempty" json:"maxPoints"`    // filled in by the loader
	ShowIf       *ShowIf      `yaml:"show_if,omitempty" json:"showIf,omitempty"`
	// OptionsFrom names a list the options are filled in from when the set
	// is loaded ("countries": every ISO 3166-1 code, by its names), so a
	// multi question can take a structured list too long to write out.
	OptionsFrom string `yaml:"options_from,omitempty" json:"optionsFrom,omitempty"`
	// Expires marks a date question whose answer is the day a certificate
	// runs out: a date past is pointed out like evidence too old.
	Expires bool `yaml:"expires,omitempty" json:"expires,omitempty"`
	// ChangedIn is the version in which the question's meaning last
	// changed: an answer given to an earlier version is not carried
	// forward into a new follow-up. 0: never changed.
	ChangedIn int `yaml:"changed_in,omitempty" json:"changedIn,omitempty"`
	// Min and Max bound a number question's answer; without Min it is 0: a
	// number asked for is a count or an amount, never negative.
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
}

// MaxNumber is the largest number any answer may hold.
const MaxNumber = 1e12

// Range is the least and the greatest number the question accepts.
func (q *Question) Range() (lo, hi float64) {
	lo, hi = 0, MaxNumber
	if q.Min != nil {
		lo = *q.Min
	}
	if q.Max != nil {
		hi = *q.Max
	}
	return lo, hi
}

// Carries tells whether an answer given to this question in version
// from of its questionnaire still answers it.
func (q *Question) Carries(from int) bool { return from >= q.ChangedIn }

// Option returns the option with the given id.
func (q *Question) Option(id string) (*Option, bool) {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i], true
		}
	}
	return nil, false
}

// Section is a page of the questionnaire.
type Section struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
	Intro Text   `yaml:"intro,omitempty" json:"intro,omitempty"`
	// RiskAreas makes the section a module: asked only in follow-ups of
	// these risk areas. Empty: asked in every follow-up.
	RiskAreas []string   `yaml:"risk_areas,omitempty" json:"riskAreas,omitempty"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// Questionnaire is one published version of a questionnaire. A version never
// changes once published: a change is a new version.
type Questionnaire struct {
	ID      string `yaml:"id" json:"id"`
	Version int    `yaml:"version" json:"version"`
	// Format is the set of rules the check holds the version to: from 2,
	// a question whose answer can raise a red flag names one requirement,
	// and the flag's severity is that requirement's; from 3, every question
	// counts toward one requirement at most, and every "Vet inte" names the
	// routine requirement it is a gap in. 0 is format 1.
	Format      int  `yaml:"format,omitempty" json:"format,omitempty"`
	Title       Text `yaml:"title" json:"title"`
	Description Text `yaml:"description" json:"description"`
	// ProductionCountries names the text question whose answer lists the
	// countries where the products are made: the risk is read from them.
	ProductionCountries string    `yaml:"production_countries,omitempty" json:"productionCountries,omitempty"`
	Sections            []Section `yaml:"sections" json:"sections"`

	// Requirements holds every requirement the questions reference, so a
	// version carries the catalogue entries it was published with.
	Requirements []Requirement `yaml:"-" json:"requirements"`
	// Hash is the SHA-256 of the canonical JSON of all of the above.
	Hash string `yaml:"-" json:"-"`
	// File is where the definition was read from.
	File string `yaml:"-" json:"-"`
}

// Questions returns every question in order.
func (q *Questionnaire) Questions() []*Question {
	var all []*Question
	for si := range q.Sections {
		for qi := range q.Sections[si].Questions {
			all = append(all, &q.Sections[si].Questions[qi])
		}
	}
	return all
}

// AskedAt is the questionnaire as a follow-up at level asks it: the
// questions of other levels left out, and sections left empty dropped. The
// copy shares the questions; neither is changed.
func (q *Questionnaire) AskedAt(level Level) *Questionnaire {
	c := *q
	c.Sections = nil
	for _, sec := range q.Sections {
		var asked []Question
		for _, qu := range sec.Questions {
			if level.Includes(qu.Level) {
				asked = append(asked, qu)
			}
		}
		if len(asked) > 0 {
			sec.Questions = asked
			c.Sections = append(c.Sections, sec)
		}
	}
	return &c
}

// For is the questionnaire as a follow-up of riskArea asks it: the modules
// of other risk areas left out. The copy shares the sections it keeps.
func (q *Questionnaire) For(riskArea string) *Questionnaire {
	c := *q
	c.Sections = nil
	for _, sec := range q.Sections {
		if len(sec.RiskAreas) == 0 || slices.Contains(sec.RiskAreas, riskArea) {
			c.Sections = append(c.Sections, sec)
		}
	}
	return &c
}

// Question returns the question with the given id.
func (q *Questionnaire) Question(id string) (*Question, bool) {
	for _, qu := range q.Questions() {
		if qu.ID == id {
			return qu, true
		}
	}
	return nil, false
}

// Areas returns the ids of the areas the questions evidence, in catalogue order.
func (q *Questionnaire) Areas(c *Catalogue) []string {
	seen := map[string]bool{}
	for _, r := range q.Requirements {
		seen[r.Area] = true
	}
	var ids []string
	for _, a := range c.Areas {
		if seen[a.ID] {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
