package followup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/orgnr"
)

// CampaignInput is what applies to every supplier of a campaign, and the
// lines of the file that names them (read by internal/campaignfile).
type CampaignInput struct {
	IssueInput // Supplier and ContractRef come from each line
	Lines      []CampaignLine
}

// CampaignLine is one supplier line of a campaign file: its number, the
// supplier and contract it names, or Unreadable when it could not be read.
type CampaignLine struct {
	Line        int
	Supplier    assessment.Supplier
	ContractRef string
	Unreadable  bool
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

// Campaign issues the questionnaire to every valid line of a campaign
// file. A line whose organisation number, contract and questionnaire
// version were already issued is skipped, so uploading the same file twice
// creates nothing new.
func (s *Service) Campaign(ctx context.Context, by *account.Principal, ip string, in CampaignInput) (*CampaignResult, error) {
	res := &CampaignResult{Created: []CampaignRow{}, Reused: []CampaignRow{}, Skipped: []CampaignRow{}, Errors: []CampaignRow{}}
	seen := map[string]int{} // org|contract → line, within this file
	for _, l := range in.Lines {
		line := l.Line
		if l.Unreadable {
			row := CampaignRow{Line: line}
			row.because("raden kunde inte läsas som CSV", "the line could not be read as CSV")
			res.Errors = append(res.Errors, row)
			continue
		}
		row := CampaignRow{Line: line, Org: l.Supplier.OrgNumber}
		one := in.IssueInput
		one.Supplier, one.ContractRef = l.Supplier, l.ContractRef
		if sv, en := rowProblems(one); en != "" {
			row.because(sv, en)
			res.Errors = append(res.Errors, row)
			continue
		}
		country := strings.ToUpper(one.Supplier.Country)
		if number, p := orgnr.Normalise(country, one.Supplier.OrgNumber); p == nil && s.Org.KnownCountry(country) {
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

// alreadyIssued returns the id of an assessment already issued for the same
// organisation number, contract and questionnaire version, or "".
func (s *Service) alreadyIssued(ctx context.Context, in IssueInput) (string, error) {
	version := in.QuestionnaireVersion
	if version == 0 {
		q, ok := s.Questionnaires.Latest(in.Questionnaire)
		if !ok {
			return "", nil
		}
		version = q.Version
	}
	list, err := s.Repo.Summaries(ctx, assessment.Filter{OrgNumber: strings.TrimSpace(in.Supplier.OrgNumber)})
	if err != nil {
		return "", err
	}
	for _, a := range list {
		if a.ContractRef == in.ContractRef && a.Questionnaire == in.Questionnaire && a.QuestionnaireVersion == version && a.Status != assessment.Withdrawn {
			return a.ID, nil
		}
	}
	return "", nil
}
