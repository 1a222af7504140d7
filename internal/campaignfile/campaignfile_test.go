package campaignfile_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/campaignfile"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, file string
		lines      []string // "line name org contract", or "line unreadable"
		refused    string   // part of the English message when the file is refused
	}{
		{"semicolons, Swedish headers", "Leverantör;Organisationsnummer;Land;Kontaktperson;E-post;Avtal\nHandskar AB;556677-8899;SE;Åsa;asa@h.se;AVT-1\n",
			[]string{"2 Handskar AB 556677-8899 AVT-1"}, ""},
		{"commas, BOM, a quoted comma", "\xef\xbb\xbfname,orgNumber,country,contactName,contactEmail,contract\n\"Citat, AB\",1,SE,Bo,bo@c.se,AVT-2\n",
			[]string{"2 Citat, AB 1 AVT-2"}, ""},
		{"Windows-1252 from Swedish Excel", "name;orgNumber;country;contactName;contactEmail;contract\nSm\xe5land AB;2;SE;\xc5sa;a@s.se;AVT-3\n",
			[]string{"2 Småland AB 2 AVT-3"}, ""},
		{"blank lines left out, a broken line kept", "name;orgNumber;country;contactName;contactEmail;contract\n;;;;;\n\n\"open;3;SE;A;a@b.se;AVT-4\n",
			[]string{"4 unreadable"}, ""},
		{"a column missing", "name;orgNumber;country\nA;1;SE\n", nil, "The header row lacks columns: contactName, contactEmail, contract."},
		{"empty", "", nil, "The file has no header row."},
		{"UTF-16, not text", "\xff\xfen\x00a\x00m\x00e\x00", nil, "The file could not be read as text."},
		{"too many rows", "name;orgNumber;country;contactName;contactEmail;contract\n" + strings.Repeat("A;1;SE;A;a@b.se;C\n", campaignfile.MaxRows+1), nil, "At most 5000 suppliers per file."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := campaignfile.Read([]byte(tt.file))
			if tt.refused != "" {
				e, ok := apperr.As(err)
				if !ok || !strings.Contains(e.Message["en"], tt.refused) || e.Message["sv"] == "" {
					t.Fatalf("refused with %v, want %q in both languages", err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range lines {
				if l.Unreadable {
					got = append(got, strconv.Itoa(l.Line)+" unreadable")
					continue
				}
				got = append(got, strconv.Itoa(l.Line)+" "+l.Supplier.Name+" "+l.Supplier.OrgNumber+" "+l.ContractRef)
			}
			if strings.Join(got, "|") != strings.Join(tt.lines, "|") {
				t.Errorf("lines %q, want %q", got, tt.lines)
			}
		})
	}
}
