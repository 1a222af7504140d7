package assessment

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"
)

func TestLightOf(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(10 * time.Hour) }
	tests := []struct {
		name   string
		status DeviationStatus
		due    string
		closed time.Time
		want   Light
	}{
		{"dismissed", DevDismissed, "", time.Time{}, Green},
		{"closed in time", DevClosed, "2026-06-30", day("2026-06-30"), Green},
		{"closed late", DevClosed, "2026-06-30", day("2026-07-01"), Red},
		{"accepted without remedy", DevAccepted, "2026-06-30", day("2026-06-01"), Red},
		{"open, not judged", DevOpen, "", time.Time{}, Yellow},
		{"action not yet due", DevConfirmed, "2026-06-30", time.Time{}, Yellow},
		{"action due today", DevConfirmed, "2026-06-15", time.Time{}, Yellow},
		{"action overdue", DevConfirmed, "2026-06-14", time.Time{}, Red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LightOf(tt.status, tt.due, tt.closed, "2026-06-15"); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if worst() != Green || worst(Green, Yellow) != Yellow || worst(Yellow, Red, Green) != Red {
		t.Error("worst")
	}
}

func TestDocumentDate(t *testing.T) {
	var docx bytes.Buffer
	z := zip.NewWriter(&docx)
	w, _ := z.Create("docProps/core.xml")
	w.Write([]byte(`<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2019-02-01T10:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2021-06-30T08:00:00Z</dcterms:modified></cp:coreProperties>`))
	z.Close()
	tests := []struct {
		name, ctype string
		data        []byte
		want        string
	}{
		{"pdf modified", "application/pdf", []byte("%PDF-1.7 << /CreationDate (D:20190101) /ModDate (D:20220315120000+01'00') >>"), "2022-03-15"},
		{"pdf created only", "application/pdf", []byte("%PDF-1.7 << /CreationDate (D:20190101120000) >>"), "2019-01-01"},
		{"pdf xmp", "application/pdf", []byte("%PDF-1.7 <xmp:ModifyDate>2020-09-09T00:00:00Z</xmp:ModifyDate>"), "2020-09-09"},
		{"pdf bad date", "application/pdf", []byte("%PDF-1.7 << /ModDate (D:20221399) >>"), ""},
		{"pdf none", "application/pdf", []byte("%PDF-1.7"), ""},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Bytes(), "2021-06-30"},
		{"docx broken", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04 not a zip"), ""},
		{"png", "image/png", []byte("\x89PNG"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := documentDate(tt.ctype, tt.data); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
