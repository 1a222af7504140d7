// Package org holds the organisation the service serves: the regions (and
// the national office) and the risk areas, each owned by one region. It is
// loaded from questionnaires/organisation.yaml and knows nothing of HTTP or storage.
package org

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// File is the organisation's data file in the questionnaire folder.
const File = "organisation.yaml"

// National is the id of the national office.
const National = "national"

// Name is a name in Swedish and English.
type Name map[string]string

// In returns the name in lang, or the Swedish one.
func (n Name) In(lang string) string {
	if s, ok := n[lang]; ok {
		return s
	}
	return n["sv"]
}

// Region is a region, or the national office.
type Region struct {
	ID   string `yaml:"id" json:"id"`
	Name Name   `yaml:"name" json:"name"`
}

// Risk is an inherent risk level.
type Risk string

const (
	Low    Risk = "low"
	Medium Risk = "medium"
	High   Risk = "high"
)

// RiskArea is a procurement area followed up by its owning region (or
// group of regions) for all.
type RiskArea struct {
	ID   string `yaml:"id" json:"id"`
	Name Name   `yaml:"name" json:"name"`
	// Owners are the regions with the national responsibility for the
	// area; none where the regions' own sources do not name them.
	Owners       []string `yaml:"owners" json:"owners"`
	InherentRisk Risk     `yaml:"inherent_risk" json:"inherentRisk"`
	// Why says what the inherent risk rests on, for those who read or
	// change it.
	Why string `yaml:"why,omitempty" json:"why,omitempty"`
}

// Directory is the loaded organisation.
type Directory struct {
	Regions   []Region   `yaml:"regions"`
	RiskAreas []RiskArea `yaml:"risk_areas"`
	// Deadlines are the days a supplier has, by the severity of the
	// deviation, from the request for a plan to the action done.
	Deadlines Deadlines `yaml:"deadlines"`
	Countries Countries `yaml:"-"`
	// CountryNames is every ISO 3166-1 alpha-2 code with its names: a code
	// not in it is not a country.
	CountryNames map[string]Name `yaml:"-"`

	namesOnce sync.Once     // makes names, for CountriesIn
	names     []countryName // every country name, lower-cased, longest first
}

// Deadlines are the time limits of the time and action plan, in days.
type Deadlines struct {
	// Plan is how long the supplier has to send its plan once asked.
	Plan int `yaml:"plan" json:"plan"`
	// Remind is how many days before a plan is due the supplier is reminded.
	Remind int `yaml:"remind" json:"remind"`
	// Action is the longest an action may take, by severity (critical,
	// major, minor), from the day the plan was requested.
	Action map[string]int `yaml:"action" json:"action"`
}

// DefaultDeadlines are the limits when the file sets none: a plan within
// 30 days, a reminder a week before, and actions within 30, 90 and 180
// days by severity.
func DefaultDeadlines() Deadlines {
	return Deadlines{Plan: 30, Remind: 7, Action: map[string]int{"critical": 30, "major": 90, "minor": 180}}
}

// ActionDays is the most days an action on a deviation of severity may
// take; 0 when none is set.
func (d Deadlines) ActionDays(severity string) int { return d.Action[severity] }

// CountryNamesFile holds the names of the countries.
const CountryNamesFile = "country-names.yaml"

// KnownCountry says whether code is an ISO 3166-1 alpha-2 country code.
func (d *Directory) KnownCountry(code string) bool {
	_, ok := d.CountryNames[code]
	return ok
}

// CountryName is the name of the country with code in lang, or the code
// itself when it is unknown.
// CountryList names a list of country codes ("MY, TH") in lang
// ("Malaysia, Thailand").
func (d *Directory) CountryList(codes, lang string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, d.CountryName(c, lang))
		}
	}
	return strings.Join(out, ", ")
}

func (d *Directory) CountryName(code, lang string) string {
	if n, ok := d.CountryNames[code]; ok {
		return n.In(lang)
	}
	return code
}

// ParseCountryNames reads and checks the table of country names.
func ParseCountryNames(file string, data []byte) (map[string]Name, error) {
	var doc struct {
		Names map[string]Name `yaml:"names"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	for code, n := range doc.Names {
		if len(code) != 2 || strings.ToUpper(code) != code {
			problems = append(problems, fmt.Sprintf("%s: %q is not a two-letter country code in capitals", file, code))
		}
		if strings.TrimSpace(n["sv"]) == "" || strings.TrimSpace(n["en"]) == "" {
			problems = append(problems, fmt.Sprintf("%s: %s needs a Swedish and an English name", file, code))
		}
	}
	if len(doc.Names) == 0 {
		problems = append(problems, file+": no countries")
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return doc.Names, nil
}

// CountriesFile holds the inherent risk of production countries.
const CountriesFile = "countries.yaml"

// Countries is the country risk list.
type Countries struct {
	Default   Risk            `yaml:"default"`
	Countries map[string]Risk `yaml:"countries"`
}

// CountryRisk is the inherent risk of a country by ISO code, or the default.
func (d *Directory) CountryRisk(code string) Risk {
	if r, ok := d.Countries.Countries[code]; ok {
		return r
	}
	return d.Countries.Default
}

// ParseCountries reads and checks the country risk list.
func ParseCountries(file string, data []byte) (Countries, error) {
	var c Countries
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	if !c.Default.valid() {
		problems = append(problems, fmt.Sprintf("%s: default %q must be low, medium or high", file, c.Default))
	}
	for code, r := range c.Countries {
		if len(code) != 2 || strings.ToUpper(code) != code {
			problems = append(problems, fmt.Sprintf("%s: %q is not a two-letter country code in capitals", file, code))
		}
		if !r.valid() {
			problems = append(problems, fmt.Sprintf("%s: %s: %q must be low, medium or high", file, code, r))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return c, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return c, nil
}

func (r Risk) valid() bool { return r == Low || r == Medium || r == High }

// Riskier tells whether risk a is higher than b.
func Riskier(a, b Risk) bool {
	rank := map[Risk]int{Low: 0, Medium: 1, High: 2}
	return rank[a] > rank[b]
}

// Region returns the region with the given id.
func (d *Directory) Region(id string) (Region, bool) {
	for _, r := range d.Regions {
		if r.ID == id {
			return r, true
		}
	}
	return Region{}, false
}

// RiskArea returns the risk area with the given id.
func (d *Directory) RiskArea(id string) (RiskArea, bool) {
	for _, a := range d.RiskAreas {
		if a.ID == id {
			return a, true
		}
	}
	return RiskArea{}, false
}

// RegionName is the name of region id in lang, or the id itself when it is unknown.
func (d *Directory) RegionName(id, lang string) string {
	if r, ok := d.Region(id); ok {
		return r.Name.In(lang)
	}
	return id
}

// RiskAreaName is the name of risk area id in lang, or the id itself when it is unknown.
func (d *Directory) RiskAreaName(id, lang string) string {
	if a, ok := d.RiskArea(id); ok {
		return a.Name.In(lang)
	}
	return id
}

// Load reads and checks File, CountriesFile and CountryNamesFile from fsys.
func Load(fsys fs.FS) (*Directory, error) {
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", File, err)
	}
	d, err := Parse(File, data)
	if err != nil {
		return nil, err
	}
	if data, err = fs.ReadFile(fsys, CountriesFile); err != nil {
		return nil, fmt.Errorf("read %s: %w", CountriesFile, err)
	}
	if d.Countries, err = ParseCountries(CountriesFile, data); err != nil {
		return nil, err
	}
	if data, err = fs.ReadFile(fsys, CountryNamesFile); err != nil {
		return nil, fmt.Errorf("read %s: %w", CountryNamesFile, err)
	}
	if d.CountryNames, err = ParseCountryNames(CountryNamesFile, data); err != nil {
		return nil, err
	}
	for code := range d.Countries.Countries {
		if !d.KnownCountry(code) {
			return nil, fmt.Errorf("%s: %s is not a country in %s", CountriesFile, code, CountryNamesFile)
		}
	}
	return d, nil
}

// Parse reads and checks an organisation file; every problem is reported.
func Parse(file string, data []byte) (*Directory, error) {
	var d Directory
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, file+": "+fmt.Sprintf(format, args...)) }
	names := func(what, id string, n Name) {
		for _, lang := range []string{"sv", "en"} {
			if strings.TrimSpace(n[lang]) == "" {
				add("%s %s has no %s name", what, id, lang)
			}
		}
	}
	regions := map[string]bool{}
	for _, r := range d.Regions {
		if r.ID == "" || regions[r.ID] {
			add("region id %q is empty or used twice", r.ID)
		}
		regions[r.ID] = true
		names("region", r.ID, r.Name)
	}
	if !regions[National] {
		add("no region %q for the national office", National)
	}
	areas := map[string]bool{}
	for _, a := range d.RiskAreas {
		if a.ID == "" || areas[a.ID] {
			add("risk area id %q is empty or used twice", a.ID)
		}
		areas[a.ID] = true
		names("risk area", a.ID, a.Name)
		for _, o := range a.Owners {
			if !regions[o] || o == National {
				add("risk area %s: owner %q is not a region", a.ID, o)
			}
		}
		if !a.InherentRisk.valid() {
			add("risk area %s: inherent_risk %q must be low, medium or high", a.ID, a.InherentRisk)
		}
	}
	if d.Deadlines.Plan == 0 && d.Deadlines.Remind == 0 && d.Deadlines.Action == nil {
		d.Deadlines = DefaultDeadlines()
	}
	dl := d.Deadlines
	if dl.Plan < 1 || dl.Plan > 365 {
		add("deadlines: plan %d must be 1 to 365 days", dl.Plan)
	}
	if dl.Remind < 0 || dl.Remind >= dl.Plan {
		add("deadlines: remind %d must be 0 or more and less than plan", dl.Remind)
	}
	for _, sev := range []string{"critical", "major", "minor"} {
		if n := dl.Action[sev]; n < 1 || n > 730 {
			add("deadlines: action %s %d must be 1 to 730 days", sev, n)
		}
	}
	if dl.Action["critical"] > dl.Action["major"] || dl.Action["major"] > dl.Action["minor"] {
		add("deadlines: a graver deviation never gets longer (critical ≤ major ≤ minor)")
	}
	for sev := range dl.Action {
		if sev != "critical" && sev != "major" && sev != "minor" {
			add("deadlines: action %q is not a severity (critical, major, minor)", sev)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return &d, nil
}
