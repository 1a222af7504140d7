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

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
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
	Line   int    `json:"line"`
	Org    string `json:"orgNumber,omitempty"`
	ID     string `json:"id,omitempty"`
	Token  string `json:"-"` // for the invitation; shown once
	Link   string `json:"link,omitempty"`
	Reason string `json:"reason,omitempty"`
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
// (UTF-8 with or without BOM, comma or semicolon separated). A row whose
// organisation number, contract and questionnaire version were already
// issued is skipped, so uploading the same file twice creates nothing new.
func (s *Service) Campaign(ctx context.Context, by *account.Principal, ip string, in CampaignInput) (*CampaignResult, error) {
	data := bytes.TrimPrefix(in.CSV, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, apperr.New(apperr.Invalid, "Filen är inte UTF-8. Spara den som ”CSV UTF-8” i Excel.", "The file is not UTF-8. Save it as \"CSV UTF-8\" in Excel.")
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
		line, _ := r.FieldPos(0)
		if errors.Is(err, io.EOF) {
			break
		}
		if n >= MaxCampaignRows {
			return nil, apperr.New(apperr.Invalid, fmt.Sprintf("Högst %d leverantörer per fil.", MaxCampaignRows), fmt.Sprintf("At most %d suppliers per file.", MaxCampaignRows))
		}
		if err != nil {
			res.Errors = append(res.Errors, CampaignRow{Line: line, Reason: "the line could not be read as CSV"})
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
		if problems := rowProblems(one); problems != "" {
			row.Reason = problems
			res.Errors = append(res.Errors, row)
			continue
		}
		key := one.Supplier.OrgNumber + "|" + one.ContractRef
		if first, dup := seen[key]; dup {
			row.Reason = fmt.Sprintf("same organisation number and contract as line %d", first)
			res.Skipped = append(res.Skipped, row)
			continue
		}
		seen[key] = line
		if prev, err := s.alreadyIssued(ctx, one); err != nil {
			return nil, err
		} else if prev != "" {
			row.ID, row.Reason = prev, "already issued"
			res.Skipped = append(res.Skipped, row)
			continue
		}
		a, token, err := s.Issue(ctx, by, ip, one)
		if err != nil {
			if e, ok := apperr.As(err); ok {
				row.Reason = describe(e)
				res.Errors = append(res.Errors, row)
				continue
			}
			return nil, err
		}
		row.ID, row.Token = a.ID, token
		if a.ReusedFrom != "" {
			row.Reason = "reuses " + a.ReusedFrom
			res.Reused = append(res.Reused, row)
			continue
		}
		res.Created = append(res.Created, row)
	}
	return res, nil
}

// rowProblems checks what the issuing checks do not: required values present.
func rowProblems(in IssueInput) string {
	var p []string
	for name, v := range map[string]string{"name": in.Supplier.Name, "contact name": in.Supplier.ContactName, "contact email": in.Supplier.ContactEmail, "contract": in.ContractRef} {
		if v == "" {
			p = append(p, name+" is empty")
		}
	}
	if in.Supplier.ContactEmail != "" && !strings.Contains(in.Supplier.ContactEmail, "@") {
		p = append(p, "contact email is not an email address")
	}
	slices.Sort(p)
	return strings.Join(p, "; ")
}

// describe words an application error for a report line, in English.
func describe(e *apperr.Error) string {
	if len(e.Fields) == 0 {
		return e.Message["en"]
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message["en"])
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
