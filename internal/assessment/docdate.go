package assessment

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
)

// Governing documents are expected revised within one to two years: one
// older than WarnDocumentAge years is pointed out to the reviewer, one
// older than MaxDocumentAge years is flagged.
const (
	WarnDocumentAge = 1
	MaxDocumentAge  = 2
)

var (
	pdfDate  = regexp.MustCompile(`/(ModDate|CreationDate)\s*\(D:(\d{4})(\d{2})(\d{2})`)
	xmlDate  = regexp.MustCompile(`<(?:dcterms:modified|dcterms:created|xmp:ModifyDate)[^>]*>(\d{4}-\d{2}-\d{2})`)
	dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// documentDate reads the date a document carries: for a PDF its
// modification (else creation) date, for DOCX and XLSX the one in
// docProps/core.xml. Empty when there is none or it cannot be read.
func documentDate(contentType string, data []byte) string {
	switch contentType {
	case "application/pdf":
		var created string
		for _, m := range pdfDate.FindAllSubmatch(data, 8) {
			d := string(m[2]) + "-" + string(m[3]) + "-" + string(m[4])
			if string(m[1]) == "ModDate" {
				return valid(d)
			}
			created = d
		}
		if m := xmlDate.FindSubmatch(data); m != nil { // XMP metadata
			return valid(string(m[1]))
		}
		return valid(created)
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return ""
		}
		f, err := zr.Open("docProps/core.xml")
		if err != nil {
			return ""
		}
		defer f.Close()
		core, err := io.ReadAll(io.LimitReader(f, 1<<20))
		if err != nil {
			return ""
		}
		var best string
		for _, m := range xmlDate.FindAllSubmatch(core, 2) {
			best = max(best, string(m[1])) // modified is the later of the two
		}
		return valid(best)
	}
	return ""
}

func valid(d string) string {
	if !dateOnly.MatchString(d) {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return ""
	}
	return d
}

// AgedEvidence is an evidence file whose document is older than
// WarnDocumentAge years, Flagged when older than MaxDocumentAge; or one
// whose certificate has expired, which is always flagged.
type AgedEvidence struct {
	Evidence Evidence
	Date     string // YYYY-MM-DD
	// Basis is "answer" (the revision date given in a date question),
	// "document" (its metadata) or "expired" (Date is the expiry date the
	// supplier gave, now past).
	Basis   string
	Flagged bool
}

// AgedEvidence lists the evidence documents more than WarnDocumentAge
// years old on day at (today: a document ages after the submission too). A
// document's date is the date the file itself carries; the revision date
// the supplier gave in a date question on the same requirement stands
// instead only when it is older, so an answer never makes a document
// younger than it is.
func (a *Assessment) AgedEvidence(q *questionnaire.Questionnaire, at time.Time) []AgedEvidence {
	warn := at.AddDate(-WarnDocumentAge, 0, 0).Format(time.DateOnly)
	flag := at.AddDate(-MaxDocumentAge, 0, 0).Format(time.DateOnly)
	today := at.Format(time.DateOnly)
	revised := map[string]string{} // requirement → the latest revision date answered
	expires := map[string]string{} // requirement → the earliest expiry date answered
	for _, qu := range q.Questions() {
		ans, ok := a.Answers[qu.ID]
		if !ok || qu.Type != questionnaire.Date || ans.Date == "" {
			continue
		}
		for _, r := range qu.Requirements {
			if qu.Expires {
				expires[r] = minDate(expires[r], ans.Date)
			} else {
				revised[r] = max(revised[r], ans.Date)
			}
		}
	}
	var out []AgedEvidence
	for _, e := range a.Evidence {
		answered, expiry := "", ""
		if qu, ok := q.Question(e.Question); ok {
			for _, r := range qu.Requirements {
				answered = max(answered, revised[r])
				expiry = minDate(expiry, expires[r])
			}
		}
		if expiry != "" && expiry < today {
			out = append(out, AgedEvidence{Evidence: e, Date: expiry, Basis: "expired", Flagged: true})
			continue
		}
		date, basis := e.DocumentDate, "document"
		if answered != "" && (date == "" || answered < date) {
			date, basis = answered, "answer"
		}
		if date != "" && date < warn {
			out = append(out, AgedEvidence{Evidence: e, Date: date, Basis: basis, Flagged: date < flag})
		}
	}
	return out
}

// minDate is the earlier of two dates, either of which may be "".
func minDate(a, b string) string {
	if a == "" || b != "" && b < a {
		return b
	}
	return a
}
