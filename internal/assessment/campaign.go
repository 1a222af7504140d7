package assessment

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/orgnr"
)

// MaxCampaignRows bounds one CSV upload.
const MaxCampaignRows = 5000

// CampaignInput is what applies to every supplier of a campaign.
type CampaignInput struct {
	IssueInput // Supplier and ContractRef come from each row
	CSV        []byte
}

// CampaignRow is what became of one line of the CSV.
type CampaignRow struct {
	Line   int               `json:"line"`
	Org    string            `json:"orgNumber,omitempty"`
	ID     string            `json:"id,omitempty"`
	Token  string            `json:"-"` // for the invitation; shown once
	Link   string            `json:"link,omitempty"`
	Reason string            `json:"reason,omitempty"` // in English; Why holds it in each language
	Why    map[string]string `json:"-"`
}

// because sets a row's reason in Swedish and English.
func (r *CampaignRow) because(sv, en string) {
	r.Why = map[string]string{"sv": sv, "en": en}
	r.Reason = en
}

// In returns the row with its reason in lang.
func (r CampaignRow) In(lang string) CampaignRow {
	if why, ok := r.Why[lang]; ok {
		r.Reason = why
	}
	return r
}

// CampaignResult lists created, skipped (already issued) and refused rows.
type CampaignResult struct {
	Created []CampaignRow `json:"created"`
	Reused  []CampaignRow `json:"reused"` // recent answers stand; no link sent
	Skipped []CampaignRow `json:"skipped"`
	Errors  []CampaignRow `json:"errors"`
}

// columns maps the header names accepted, English or Swedish, to fields.
var columns = map[string]string{
	"name": "name", "supplier": "name", "leverantör": "name", "namn": "name", "leverantörsnamn": "name",
	"orgnumber": "org", "organisationsnummer": "org", "orgnr": "org", "org.nr": "org", "organisation number": "org",
	"country": "country", "land": "country", "landskod": "country",
	"contactname": "contactName", "contact name": "contactName", "kontaktperson": "contactName", "kontakt": "contactName",
	"contactemail": "contactEmail", "contact email": "contactEmail", "email": "contactEmail", "e-post": "contactEmail", "epost": "contactEmail",
	"contractref": "contract", "contract": "contract", "avtal": "contract", "avtalsnummer": "contract", "avtalsreferens": "contract",
}

var required = []string{"name", "org", "country", "contactName", "contactEmail", "contract"}

// Campaign issues the questionnaire to every valid row of a CSV of suppliers
// (UTF-8 with or without BOM, or Windows-1252 as Swedish Excel saves "CSV
// (semikolonavgränsad)"; comma or semicolon separated). A row whose
// organisation number, contract and questionnaire version were already
// issued is skipped, so uploading the same file twice creates nothing new.
func (s *Service) Campaign(ctx context.Context, by *account.Principal, ip string, in CampaignInput) (*CampaignResult, error) {
	data, err := csvText(in.CSV)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectSeparator(data)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "Filen saknar rubrikrad.", "The file has no header row.")
	}
	index := map[string]int{}
	for i, h := range header {
		if f, ok := columns[strings.ToLower(strings.TrimSpace(h))]; ok {
			index[f] = i
		}
	}
	var missing []string
	for _, f := range required {
		if _, ok := index[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.New(apperr.Invalid,
			"Rubrikraden saknar kolumner: "+strings.Join(missing, ", ")+".",
			"The header row lacks columns: "+strings.Join(missing, ", ")+".")
	}

	res := &CampaignResult{Created: []CampaignRow{}, Reused: []CampaignRow{}, Skipped: []CampaignRow{}, Errors: []CampaignRow{}}
	seen := map[string]int{} // org|contract → line, within this file
	for n := 0; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		switch {
		case err == nil:
			line, _ = r.FieldPos(0)
		case errors.As(err, &pe): // FieldPos panics after a failed read
			line = pe.StartLine
		}
		if n >= MaxCampaignRows {
			return nil, apperr.New(apperr.Invalid, fmt.Sprintf("Högst %d leverantörer per fil.", MaxCampaignRows), fmt.Sprintf("At most %d suppliers per file.", MaxCampaignRows))
		}
		if err != nil {
			row := CampaignRow{Line: line}
			row.because("raden kunde inte läsas som CSV", "the line could not be read as CSV")
			res.Errors = append(res.Errors, row)
			continue
		}
		get := func(f string) string {
			if i := index[f]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // blank line
		}
		row := CampaignRow{Line: line, Org: get("org")}
		one := in.IssueInput
		one.Supplier = Supplier{Name: get("name"), OrgNumber: get("org"), Country: get("country"), ContactName: get("contactName"), ContactEmail: get("contactEmail")}
		one.ContractRef = get("contract")
		if sv, en := rowProblems(one); en != "" {
			row.because(sv, en)
			res.Errors = append(res.Errors, row)
			continue
		}
		country := strings.ToUpper(one.Supplier.Country)
		if number, p := orgnr.Normalise(country, one.Supplier.OrgNumber); p == nil && s.org.KnownCountry(country) {
			one.Supplier.OrgNumber, row.Org = number, number // so that 5566778899 and 556677-8899 are one
		}
		key := one.Supplier.OrgNumber + "|" + one.ContractRef
		if first, dup := seen[key]; dup {
			row.because(fmt.Sprintf("samma organisationsnummer och avtal som rad %d", first), fmt.Sprintf("same organisation number and contract as line %d", first))
			res.Skipped = append(res.Skipped, row)
			continue
		}
		if prev, err := s.alreadyIssued(ctx, one); err != nil {
			return nil, err
		} else if prev != "" {
			seen[key] = line
			row.ID = prev
			row.because("redan utskickad", "already issued")
			res.Skipped = append(res.Skipped, row)
			continue
		}
		a, token, err := s.Issue(ctx, by, ip, one)
		if err != nil {
			if e, ok := apperr.As(err); ok {
				row.because(describe(e, "sv"), describe(e, "en"))
				res.Errors = append(res.Errors, row)
				continue
			}
			return nil, err
		}
		seen[key] = line
		row.ID, row.Token = a.ID, token
		if a.ReusedFrom != "" {
			row.because("återanvänder "+a.ReusedFrom, "reuses "+a.ReusedFrom)
			res.Reused = append(res.Reused, row)
			continue
		}
		res.Created = append(res.Created, row)
	}
	return res, nil
}

// rowProblems checks what the issuing checks do not: required values
// present. It returns the problems in Swedish and in English.
func rowProblems(in IssueInput) (sv, en string) {
	var psv, pen []string
	for _, c := range []struct{ v, sv, en string }{
		{in.Supplier.Name, "leverantörens namn saknas", "name is empty"},
		{in.Supplier.ContactName, "kontaktperson saknas", "contact name is empty"},
		{in.Supplier.ContactEmail, "e-post saknas", "contact email is empty"},
		{in.ContractRef, "avtal saknas", "contract is empty"},
	} {
		if c.v == "" {
			psv, pen = append(psv, c.sv), append(pen, c.en)
		}
	}
	if in.Supplier.ContactEmail != "" && !strings.Contains(in.Supplier.ContactEmail, "@") {
		psv, pen = append(psv, "e-posten är ingen e-postadress"), append(pen, "contact email is not an email address")
	}
	slices.Sort(pen)
	return strings.Join(psv, "; "), strings.Join(pen, "; ")
}

// describe words an application error for a report line, in lang.
func describe(e *apperr.Error, lang string) string {
	if len(e.Fields) == 0 {
		return e.Message[lang]
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Message[lang])
	}
	return strings.Join(parts, "; ")
}

// detectSeparator picks ';' (as Excel writes CSV in Sweden) or ',' from the header line.
func detectSeparator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// alreadyIssued returns the id of an assessment already issued for the same
// organisation number, contract and questionnaire version, or "".
func (s *Service) alreadyIssued(ctx context.Context, in IssueInput) (string, error) {
	version := in.QuestionnaireVersion
	if version == 0 {
		q, ok := s.qs.Latest(in.Questionnaire)
		if !ok {
			return "", nil
		}
		version = q.Version
	}
	list, err := s.repo.Summaries(ctx, Filter{OrgNumber: strings.TrimSpace(in.Supplier.OrgNumber)})
	if err != nil {
		return "", err
	}
	for _, a := range list {
		if a.ContractRef == in.ContractRef && a.Questionnaire == in.Questionnaire && a.QuestionnaireVersion == version && a.Status != Withdrawn {
			return a.ID, nil
		}
	}
	return "", nil
}

// csvText is the CSV file as UTF-8 text. Excel in a Swedish locale saves
// "CSV UTF-8" with a BOM, and plain "CSV (semikolonavgränsad)" in
// Windows-1252: a file that is not UTF-8 is read as that, unless it then
// holds control characters, which no spreadsheet writes in text (UTF-16, a
// workbook, or another file altogether).
func csvText(raw []byte) ([]byte, error) {
	if data := bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")); utf8.Valid(data) {
		return data, nil
	}
	data, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err == nil && !bytes.ContainsFunc(data, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\r' && r != '\n' || r >= 0x7f && r < 0xa0 || r == utf8.RuneError
	}) {
		return data, nil
	}
	return nil, apperr.New(apperr.Invalid,
		"Filen kunde inte läsas som text. Spara den i Excel som ”CSV UTF-8” eller ”CSV (semikolonavgränsad)”.",
		"The file could not be read as text. Save it in Excel as \"CSV UTF-8\" or \"CSV (semicolon delimited)\".")
}
