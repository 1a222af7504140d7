package followup_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/campaignfile"
	"github.com/regionerna/saq/internal/followup"
)

// FuzzCampaign: whatever file a coordinator uploads as a campaign, the
// service either refuses it with a message in both languages, or accounts
// for its lines: each created follow-up exists and holds only printable
// text, and each refused line says why in both languages. The seeds run
// with go test ./...; go test -fuzz FuzzCampaign explores (slowly: a
// database each).
func FuzzCampaign(f *testing.F) {
	header := "name;orgNumber;country;contactName;contactEmail;contract\n"
	for _, seed := range []string{
		header + "Handskar AB;556677-8899;SE;Åsa;asa@handsk.se;AVT-1\n",
		"\xef\xbb\xbf" + strings.ReplaceAll(header, ";", ",") + "\"Citat, AB\",556677-8899,se,Bo,bo@citat.se,AVT-2\n",
		header + "=HYPERLINK(\"http://evil.example\");556677-8899;SE;@SUM(1);x@y.se;+1\n",
		header + "Nul\x00AB;556677-8899;SE;Eva\r\nBcc: x@evil.example;eva@x.se;AVT-3\n",
		header + "\xff\xfe;556677-8899;SE;A;a@b.se;AVT-4\n",
		header + "\"unterminated;556677-8899;SE;A;a@b.se;AVT-5\n",
		header + ";;;;;\n\n",
		"name\nonly a name\n",
		"",
		header + strings.Repeat("Rad AB;556677-8899;SE;A;a@b.se;AVT-6\n", 3),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, csv []byte) {
		s := newService(t)
		lines, err := campaignfile.Read(csv)
		var res *followup.CampaignResult
		if err == nil {
			res, err = s.Campaign(t.Context(), coordinator, "ip", followup.CampaignInput{IssueInput: validIssue, Lines: lines})
		}
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Message["sv"] == "" || e.Message["en"] == "" {
				t.Fatalf("refused without a message for people: %v", err)
			}
			return
		}
		for _, row := range res.Created {
			a, err := s.Get(t.Context(), coordinator, row.ID)
			if err != nil {
				t.Fatalf("line %d created %s, which is not there: %v", row.Line, row.ID, err)
			}
			for _, text := range []string{a.Supplier.Name, a.Supplier.OrgNumber, a.Supplier.Country, a.Supplier.ContactName, a.Supplier.ContactEmail, a.ContractRef} {
				if !assessment.Printable(text) {
					t.Fatalf("line %d stored %q", row.Line, text)
				}
			}
		}
		for _, row := range res.Errors {
			if row.Why["sv"] == "" || row.Why["en"] == "" {
				t.Fatalf("line %d refused without a reason in both languages: %+v", row.Line, row)
			}
		}
	})
}
