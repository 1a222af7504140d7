package questionnaire

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// CatalogueFile is the name of the requirement catalogue in a questionnaire
// folder; QuestionnaireFiles matches the questionnaire versions beside it.
const (
	CatalogueFile      = "requirements.yaml"
	QuestionnaireFiles = "*.v[0-9]*.yaml"
)

// Problem is one thing wrong in a definition file.
type Problem struct {
	Where string // "question Q2.1", "requirement LR-FORCED", …
	What  string
}

// InvalidError lists everything wrong with one file.
type InvalidError struct {
	File     string
	Problems []Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		b.WriteString(": ")
		if p.Where != "" {
			b.WriteString(p.Where)
			b.WriteString(": ")
		}
		b.WriteString(p.What)
	}
	return b.String()
}

// problems collects the problems of one file as it is checked.
type problems []Problem

func (ps *problems) add(where, format string, args ...any) {
	*ps = append(*ps, Problem{Where: where, What: fmt.Sprintf(format, args...)})
}

func (ps problems) err(file string) error {
	if len(ps) == 0 {
		return nil
	}
	return &InvalidError{File: file, Problems: ps}
}

// decodeStrict decodes one YAML document, refusing unknown fields so a typo
// in a field name is reported instead of silently ignored.
func decodeStrict(file string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return &InvalidError{File: file, Problems: []Problem{{What: "the file is empty"}}}
		}
		return &InvalidError{File: file, Problems: []Problem{{What: strings.TrimPrefix(err.Error(), "yaml: ")}}}
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// checkID reports an id that is empty, too long, or would not be a safe
// field name or URL part (no "$", no spaces).
func checkID(ps *problems, where, id string) {
	if !idPattern.MatchString(id) {
		ps.add(where, "id %q must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", id)
	}
}

// checkText reports a text missing in any language.
func checkText(ps *problems, where, field string, t Text, required bool) {
	if t == nil && !required {
		return
	}
	for _, lang := range Languages {
		if strings.TrimSpace(t[lang]) == "" {
			ps.add(where, "%s has no %s text", field, langName(lang))
		}
	}
	for lang := range t {
		if !slices.Contains(Languages, lang) {
			ps.add(where, "%s has a text in %q; only %s are used", field, lang, strings.Join(Languages, " and "))
		}
	}
}

func langName(code string) string {
	switch code {
	case "sv":
		return "Swedish (sv)"
	case "en":
		return "English (en)"
	}
	return code
}

// ParseCatalogue reads and checks a requirement catalogue.
func ParseCatalogue(file string, data []byte) (*Catalogue, error) {
	var c Catalogue
	if err := decodeStrict(file, data, &c); err != nil {
		return nil, err
	}
	var ps problems
	areas := map[string]bool{}
	for _, a := range c.Areas {
		where := "area " + a.ID
		checkID(&ps, where, a.ID)
		if areas[a.ID] {
			ps.add(where, "duplicate area id")
		}
		areas[a.ID] = true
		checkText(&ps, where, "title", a.Title, true)
	}
	if len(c.Areas) == 0 {
		ps.add("", "no areas")
	}
	c.requirements = map[string]*Requirement{}
	for i := range c.Requirements {
		r := &c.Requirements[i]
		where := "requirement " + r.ID
		checkID(&ps, where, r.ID)
		if _, dup := c.requirements[r.ID]; dup {
			ps.add(where, "duplicate requirement id")
		}
		c.requirements[r.ID] = r
		if !areas[r.Area] {
			ps.add(where, "unknown area %q", r.Area)
		}
		checkText(&ps, where, "title", r.Title, true)
		checkText(&ps, where, "description", r.Description, true)
		if strings.TrimSpace(r.Source) == "" {
			ps.add(where, "no source (code-of-conduct clause or convention)")
		}
		if !r.Severity.valid() {
			ps.add(where, "severity %q must be critical, major or minor", r.Severity)
		}
	}
	if len(c.Requirements) == 0 {
		ps.add("", "no requirements")
	}
	if err := ps.err(file); err != nil {
		return nil, err
	}
	return &c, nil
}

// Parse reads and checks one questionnaire version against the catalogue,
// fills in defaults (levels, yes/no labels, maximum points) and computes its hash.
func Parse(file string, data []byte, cat *Catalogue) (*Questionnaire, error) {
	var q Questionnaire
	if err := decodeStrict(file, data, &q); err != nil {
		return nil, err
	}
	q.File = file
	var ps problems
	emptyRedFlags(&ps, data)
	checkID(&ps, "questionnaire", q.ID)
	if q.Version < 1 {
		ps.add("questionnaire", "version must be a whole number from 1 up, got %d", q.Version)
	}
	if q.Format < 0 || q.Format > 3 {
		ps.add("questionnaire", "format %d is unknown: leave it out, or give 2 or 3", q.Format)
	}
	checkText(&ps, "questionnaire", "title", q.Title, true)
	checkText(&ps, "questionnaire", "description", q.Description, false)
	if len(q.Sections) == 0 {
		ps.add("questionnaire", "no sections")
	}

	sections := map[string]bool{}
	earlier := map[string]*Question{} // questions before the one being checked
	refs := map[string]bool{}
	for si := range q.Sections {
		s := &q.Sections[si]
		where := "section " + s.ID
		checkID(&ps, where, s.ID)
		if sections[s.ID] {
			ps.add(where, "duplicate section id")
		}
		sections[s.ID] = true
		checkText(&ps, where, "title", s.Title, true)
		checkText(&ps, where, "intro", s.Intro, false)
		for _, ra := range s.RiskAreas {
			checkID(&ps, where, ra)
		}
		if len(s.Questions) == 0 {
			ps.add(where, "no questions")
		}
		for qi := range s.Questions {
			qu := &s.Questions[qi]
			checkQuestion(&ps, qu, earlier, cat)
			if q.Format >= 2 {
				checkFlags(&ps, qu, cat)
			}
			if q.Format >= 3 {
				checkGaps(&ps, qu, cat)
			}
			checkContradictions(&ps, qu, earlier)
			if qu.ChangedIn < 0 || qu.ChangedIn > q.Version {
				ps.add("question "+qu.ID, "changed_in %d must be a version from 1 to this one (%d)", qu.ChangedIn, q.Version)
			}
			for _, r := range qu.Requirements {
				refs[r] = true
			}
			for _, o := range qu.Options {
				if o.Gap != "" {
					refs[o.Gap] = true
				}
			}
			if _, dup := earlier[qu.ID]; dup {
				ps.add("question "+qu.ID, "duplicate question id")
			}
			earlier[qu.ID] = qu
		}
	}
	if pc := q.ProductionCountries; pc != "" {
		if qu, ok := earlier[pc]; !ok || qu.Type != Free && qu.OptionsFrom != Countries {
			ps.add("questionnaire", "production_countries %q must name a text question or one with options_from: countries", pc)
		}
	}
	if err := ps.err(file); err != nil {
		return nil, err
	}

	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, _ := cat.Requirement(id)
		q.Requirements = append(q.Requirements, *r)
	}
	canonical, err := q.Canonical()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	sum := sha256.Sum256(canonical)
	q.Hash = "sha256:" + hex.EncodeToString(sum[:])
	return &q, nil
}

// Canonical is the version's content as JSON with sorted keys: what its hash
// covers and what is stored when it is published.
func (q *Questionnaire) Canonical() ([]byte, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("encode questionnaire %s version %d: %w", q.ID, q.Version, err)
	}
	return b, nil
}

// emptyRedFlags reports "red_flag:" left without a value, which the decoder
// cannot tell apart from no red flag at all.
func emptyRedFlags(ps *problems, data []byte) {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return
	}
	var walk func(n *yaml.Node, where string)
	walk = func(n *yaml.Node, where string) {
		if n.Kind == yaml.MappingNode {
			fields := map[string]*yaml.Node{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				fields[n.Content[i].Value] = n.Content[i+1]
			}
			if id, ok := fields["id"]; ok {
				if _, isQuestion := fields["text"]; isQuestion {
					where = "question " + id.Value
				} else {
					where += " option " + id.Value
				}
			}
			if rf, ok := fields["red_flag"]; ok && rf.Tag == "!!null" {
				ps.add(strings.TrimSpace(where), "red_flag needs a severity: critical, major or minor (line %d gives none)", rf.Line)
			}
		}
		for _, c := range n.Content {
			walk(c, where)
		}
	}
	walk(&root, "")
}

// yesNoLabels are the options a yes_no question may offer, with the labels
// filled in when the file gives none: yes and no always, and where an
// honest answer needs them, "don't know" and "not applicable".
var yesNoLabels = map[string]Text{
	"yes":     {"sv": "Ja", "en": "Yes"},
	"no":      {"sv": "Nej", "en": "No"},
	"unknown": {"sv": "Vet inte", "en": "Don't know"},
	"na":      {"sv": "Ej tillämpligt", "en": "Not applicable"},
}

func checkQuestion(ps *problems, qu *Question, earlier map[string]*Question, cat *Catalogue) {
	where := "question " + qu.ID
	checkID(ps, where, qu.ID)
	checkText(ps, where, "text", qu.Text, true)
	checkText(ps, where, "help", qu.Help, false)

	switch qu.Level {
	case "":
		qu.Level = Basic
	case Basic, Advanced:
	default:
		ps.add(where, "level %q must be basic or advanced", qu.Level)
	}

	seenReq := map[string]bool{}
	for _, r := range qu.Requirements {
		if _, ok := cat.Requirement(r); !ok {
			ps.add(where, "unknown requirement %q", r)
		}
		if seenReq[r] {
			ps.add(where, "requirement %q named twice", r)
		}
		seenReq[r] = true
	}

	switch {
	case qu.OptionsFrom == "":
	case qu.OptionsFrom != Countries:
		ps.add(where, "options_from %q is unknown; the one list is %s", qu.OptionsFrom, Countries)
	case qu.Type != Multi || len(qu.Options) > 0:
		ps.add(where, "options_from makes a multi question's options: give no options of its own")
	}
	switch qu.Type {
	case YesNo, Single, Multi:
		if qu.OptionsFrom == "" {
			checkOptions(ps, where, qu)
		}
	case Number, Free, Date, File:
		if len(qu.Options) > 0 {
			ps.add(where, "a %s question has no options", qu.Type)
		}
		if qu.Points < 0 {
			ps.add(where, "negative points (%d)", qu.Points)
		}
		if qu.Points != 0 && qu.Type != File {
			ps.add(where, "only choice and file questions give points")
		}
	default:
		ps.add(where, "unknown type %q; use one of yes_no, single, multi, number, text, date, file", qu.Type)
	}

	possible := qu.Points
	for _, o := range qu.Options {
		if qu.Type == Multi {
			possible += max(o.Points, 0)
		} else {
			possible = max(possible, o.Points)
		}
	}
	switch {
	case qu.MaxPoints < 0:
		ps.add(where, "negative max_points (%d)", qu.MaxPoints)
	case qu.MaxPoints > possible:
		ps.add(where, "max_points %d is more than the answers can give (%d)", qu.MaxPoints, possible)
	case qu.MaxPoints == 0:
		qu.MaxPoints = possible
	}

	if qu.ShowIf != nil {
		checkShowIf(ps, where, qu, earlier)
	}
}

func checkOptions(ps *problems, where string, qu *Question) {
	if qu.Type == YesNo && len(qu.Options) == 0 {
		ps.add(where, "a yes_no question lists its options yes and no, with their points")
		return
	}
	if len(qu.Options) < 2 {
		ps.add(where, "a %s question needs at least two options", qu.Type)
	}
	seen := map[string]bool{}
	for i := range qu.Options {
		o := &qu.Options[i]
		ow := fmt.Sprintf("%s option %s", where, o.ID)
		checkID(ps, ow, o.ID)
		if seen[o.ID] {
			ps.add(ow, "duplicate option id")
		}
		seen[o.ID] = true
		if qu.Type == YesNo {
			if _, ok := yesNoLabels[o.ID]; !ok {
				ps.add(ow, "a yes_no question's options are yes and no, and may add unknown and na")
			} else if o.Label == nil {
				o.Label = yesNoLabels[o.ID]
			}
		}
		checkText(ps, ow, "label", o.Label, true)
		if o.Points < 0 {
			ps.add(ow, "negative points (%d)", o.Points)
		}
		if o.RedFlag != "" && !o.RedFlag.valid() {
			ps.add(ow, "red_flag needs a severity: critical, major or minor (got %q)", o.RedFlag)
		}
		if o.NotApplicable && (o.Points != 0 || o.RedFlag != "") {
			ps.add(ow, "a not-applicable option gives no points and raises no red flag")
		}
		if o.Verify && (o.RedFlag != "" || o.NotApplicable) {
			ps.add(ow, "an option to verify is neither a red flag nor not applicable")
		}
		if o.Verify && len(qu.Requirements) == 0 {
			ps.add(ow, "an option to verify needs the question to name the requirement it checks")
		}
	}
	if qu.Type == YesNo && (!seen["yes"] || !seen["no"]) {
		ps.add(where, "a yes_no question offers both yes and no")
	}
}

// checkFlags holds a format-2 question to the catalogue: an answer raises
// one deviation, on the one requirement the question names, with that
// requirement's severity.
func checkFlags(ps *problems, qu *Question, cat *Catalogue) {
	where := "question " + qu.ID
	for _, o := range qu.Options {
		if o.RedFlag == "" && !o.Verify {
			continue
		}
		if len(qu.Requirements) != 1 {
			ps.add(where, "an answer raises one deviation: a question with red flags or items to verify names exactly one requirement (it names %d)", len(qu.Requirements))
			return
		}
		r, ok := cat.Requirement(qu.Requirements[0])
		if ok && o.RedFlag != "" && o.RedFlag != r.Severity {
			ps.add(fmt.Sprintf("%s option %s", where, o.ID), "red_flag %s does not match the severity of %s (%s)", o.RedFlag, r.ID, r.Severity)
		}
	}
}

// checkGaps holds a format-3 question to its rules: it counts toward one
// requirement at most, so no point counts twice, and a "Vet inte" names
// the routine requirement (due-diligence area) it is a gap in; only a
// "Vet inte" names one.
func checkGaps(ps *problems, qu *Question, cat *Catalogue) {
	where := "question " + qu.ID
	if len(qu.Requirements) > 1 {
		ps.add(where, "a question counts toward one requirement (it names %d)", len(qu.Requirements))
	}
	for _, o := range qu.Options {
		ow := fmt.Sprintf("%s option %s", where, o.ID)
		switch {
		case o.ID == "unknown" && o.Gap == "":
			ps.add(ow, "a \"Vet inte\" names the routine requirement it is a gap in (gap)")
		case o.Gap == "":
		case o.ID != "unknown" || !o.Verify:
			ps.add(ow, "only a \"Vet inte\" to verify (id unknown, verify: true) names a gap")
		default:
			if r, ok := cat.Requirement(o.Gap); !ok {
				ps.add(ow, "gap names %q, which is not in the catalogue", o.Gap)
			} else if r.Area != "due-diligence" {
				ps.add(ow, "gap names %s, which is not a routine requirement (area due-diligence)", o.Gap)
			}
		}
	}
}

// checkContradictions holds contradicted_by to a not-applicable option of
// a question that names its requirement, and to an earlier choice.
func checkContradictions(ps *problems, qu *Question, earlier map[string]*Question) {
	for _, o := range qu.Options {
		if o.ContradictedBy == nil {
			continue
		}
		ow := fmt.Sprintf("question %s option %s", qu.ID, o.ID)
		if !o.NotApplicable || len(qu.Requirements) == 0 {
			ps.add(ow, "contradicted_by belongs on a not-applicable option of a question that names its requirement")
		}
		dep, ok := earlier[o.ContradictedBy.Question]
		if !ok || !dep.Type.HasOptions() {
			ps.add(ow, "contradicted_by refers to %q, which is not an earlier choice question", o.ContradictedBy.Question)
			continue
		}
		for _, id := range o.ContradictedBy.AnyOf {
			if _, ok := dep.Option(id); !ok {
				ps.add(ow, "contradicted_by refers to option %q, which %s does not offer", id, dep.ID)
			}
		}
		if len(o.ContradictedBy.AnyOf) == 0 {
			ps.add(ow, "contradicted_by names no options of %s (any_of)", dep.ID)
		}
	}
}

func checkShowIf(ps *problems, where string, qu *Question, earlier map[string]*Question) {
	si := qu.ShowIf
	dep, ok := earlier[si.Question]
	switch {
	case si.Question == qu.ID:
		ps.add(where, "show_if refers to the question itself")
		return
	case !ok:
		ps.add(where, "show_if refers to %q, which is not an earlier question", si.Question)
		return
	case !dep.Type.HasOptions():
		ps.add(where, "show_if refers to %s, a %s question; it must be yes_no, single or multi", si.Question, dep.Type)
		return
	case dep.Level == Advanced && qu.Level == Basic:
		ps.add(where, "a basic question cannot depend on %s, an advanced one", si.Question)
	}
	if len(si.AnyOf) == 0 {
		ps.add(where, "show_if names no options of %s (any_of)", si.Question)
	}
	for _, o := range si.AnyOf {
		if _, ok := dep.Option(o); !ok {
			ps.add(where, "show_if refers to option %q, which %s does not offer", o, si.Question)
		}
	}
}

// Set is everything in one questionnaire folder.
type Set struct {
	Catalogue      *Catalogue
	Questionnaires []*Questionnaire // sorted by id, then version
}

// Countries is the list options_from may name: every ISO 3166-1 alpha-2
// code, labelled by its names.
const Countries = "countries"

// FillOptions gives every question whose options come from list those
// options. It is done after loading, outside the versions' hashes, so
// that a corrected country name never changes a published version.
func (s *Set) FillOptions(list string, options []Option) {
	for _, q := range s.Questionnaires {
		for _, qu := range q.Questions() {
			if qu.OptionsFrom == list {
				qu.Options = slices.Clone(options)
			}
		}
	}
}

// LoadFS reads the catalogue and every file named like QuestionnaireFiles as a
// questionnaire version. All problems in all files are returned together.
func LoadFS(fsys fs.FS) (*Set, error) {
	data, err := fs.ReadFile(fsys, CatalogueFile)
	if err != nil {
		return nil, fmt.Errorf("read requirement catalogue: %w", err)
	}
	cat, err := ParseCatalogue(CatalogueFile, data)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, QuestionnaireFiles)
	if err != nil {
		return nil, fmt.Errorf("list questionnaires: %w", err)
	}
	set := &Set{Catalogue: cat}
	var errs []error
	for _, name := range names {
		q, err := LoadFile(fsys, name, cat)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set.Questionnaires = append(set.Questionnaires, q)
	}
	if err := set.checkVersions(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// LoadFile reads one questionnaire version from fsys.
func LoadFile(fsys fs.FS, name string, cat *Catalogue) (*Questionnaire, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read questionnaire %s: %w", name, err)
	}
	return Parse(path.Base(name), data, cat)
}

func (s *Set) checkVersions() error {
	sort.Slice(s.Questionnaires, func(i, j int) bool {
		a, b := s.Questionnaires[i], s.Questionnaires[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Version < b.Version
	})
	for i := 1; i < len(s.Questionnaires); i++ {
		a, b := s.Questionnaires[i-1], s.Questionnaires[i]
		if a.ID == b.ID && a.Version == b.Version {
			return fmt.Errorf("%s and %s both define questionnaire %s version %d", a.File, b.File, a.ID, a.Version)
		}
	}
	return nil
}

// Get returns one version of a questionnaire.
func (s *Set) Get(id string, version int) (*Questionnaire, bool) {
	for _, q := range s.Questionnaires {
		if q.ID == id && q.Version == version {
			return q, true
		}
	}
	return nil, false
}

// Latest returns the highest version of a questionnaire.
func (s *Set) Latest(id string) (*Questionnaire, bool) {
	var latest *Questionnaire
	for _, q := range s.Questionnaires {
		if q.ID == id && (latest == nil || q.Version > latest.Version) {
			latest = q
		}
	}
	return latest, latest != nil
}

// ErrVersionChanged is returned by CheckPublished for a version whose content
// differs from what was first published.
var ErrVersionChanged = errors.New("published questionnaire version changed")

// CheckPublished compares q with the hash recorded when its version was first
// published; a published version never changes.
func CheckPublished(q *Questionnaire, publishedHash string) error {
	if publishedHash == q.Hash {
		return nil
	}
	return fmt.Errorf("%w: %s defines %s version %d, but its content differs from the version published earlier (%s, now %s); keep published versions as they are and give the changed questionnaire a new version number",
		ErrVersionChanged, q.File, q.ID, q.Version, publishedHash, q.Hash)
}
