// Package campaignfile reads the file a coordinator uploads to issue the
// questionnaire to many suppliers at once: CSV in UTF-8 (with or without a
// BOM) or Windows-1252, as Swedish Excel saves "CSV (semikolonavgränsad)",
// separated by commas or semicolons, with a header row naming the columns
// in English or Swedish. It knows the format only; what becomes of each
// line is the domain's (followup.Service.Campaign).
package campaignfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
)

// MaxRows bounds one file.
const MaxRows = 5000

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

// Read reads a campaign file into its supplier lines; blank lines are left
// out, and a line that cannot be read as CSV is kept as Unreadable. A file
// that is no text, has no header or lacks a column is refused with a
// message in both languages.
func Read(raw []byte) ([]followup.CampaignLine, error) {
	data, err := text(raw)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(data)
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
	var lines []followup.CampaignLine
	for n := 0; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if n >= MaxRows {
			return nil, apperr.New(apperr.Invalid, fmt.Sprintf("Högst %d leverantörer per fil.", MaxRows), fmt.Sprintf("At most %d suppliers per file.", MaxRows))
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe): // FieldPos panics after a failed read
			lines = append(lines, followup.CampaignLine{Line: pe.StartLine, Unreadable: true})
			continue
		case err != nil:
			lines = append(lines, followup.CampaignLine{Unreadable: true})
			continue
		}
		if strings.Join(rec, "") == "" {
			continue // blank line
		}
		line, _ := r.FieldPos(0)
		get := func(f string) string {
			if i := index[f]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		lines = append(lines, followup.CampaignLine{Line: line, ContractRef: get("contract"), Supplier: assessment.Supplier{
			Name: get("name"), OrgNumber: get("org"), Country: get("country"), ContactName: get("contactName"), ContactEmail: get("contactEmail")}})
	}
}

// separator picks ';' (as Excel writes CSV in Sweden) or ',' from the header line.
func separator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// text is the file as UTF-8 text. Excel in a Swedish locale saves "CSV
// UTF-8" with a BOM, and plain "CSV (semikolonavgränsad)" in Windows-1252:
// a file that is not UTF-8 is read as that, unless it then holds control
// characters, which no spreadsheet writes in text (UTF-16, a workbook, or
// another file altogether).
func text(raw []byte) ([]byte, error) {
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
