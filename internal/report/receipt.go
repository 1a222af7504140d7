package report

import (
	"fmt"
	"io"
	"time"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Receipt is what a supplier's receipt is made from: its own answers and
// attachments, and nothing of the regions' judgement (no scores).
type Receipt struct {
	A          *assessment.Assessment
	Q          *questionnaire.Questionnaire
	RegionName string
	Lang       string
	Now        time.Time
}

// WriteReceipt writes the supplier's receipt as a PDF.
func WriteReceipt(w io.Writer, in Receipt) error {
	a := in.A
	d := newDoc(meta{
		Title:   i18n.T(in.Lang, "r.receipt"),
		Subject: in.Q.Title.In(in.Lang) + ": " + a.Supplier.Name,
		Header:  a.Supplier.Name,
		Lang:    in.Lang,
		Now:     in.Now,
	})
	d.title(d.t("r.receipt"), a.Supplier.Name)
	if a.SubmittedAt.IsZero() {
		d.para(d.t("r.receipt.notyet"), ink)
	} else {
		d.para(d.t("r.receipt.lead"), ink)
	}
	d.pdf.Ln(2)
	d.facts([][2]string{
		{d.t("r.supplier"), a.Supplier.Name},
		{d.t("c.f.orgNumber"), or(a.Supplier.OrgNumber)},
		{d.t("c.f.contractRef"), or(a.ContractRef)},
		{d.t("r.region"), or(in.RegionName)},
		{d.t("r.questionnaire"), fmt.Sprintf(d.t("r.qversion"), in.Q.Title.In(d.lang), in.Q.Version, in.Q.ID)},
		{d.t("r.submitted"), d.stamp(a.SubmittedAt)},
		{d.t("r.id"), assessment.Reference(a.ID)},
		{d.t("r.reportmade"), d.stamp(in.Now)},
	})

	d.answers(a, in.Q, false)

	d.heading(d.t("r.attachments"), 0)
	if len(a.Evidence) == 0 {
		d.para(d.t("r.noattachments"), muted)
	} else {
		cols := []column{{d.t("r.file"), 92, "L"}, {d.t("r.for"), 30, "L"}, {d.t("r.size"), 22, "R"}, {d.t("r.uploaded"), contentW - 144, "L"}}
		var rows [][]string
		for _, e := range a.Evidence {
			what := e.Question
			if e.Deviation != "" {
				what = d.t("c.action")
			}
			rows = append(rows, []string{e.Name, what, size(e.Size), d.stamp(e.UploadedAt)})
		}
		d.table(cols, rows, tableOpts{})
	}
	return d.write(w)
}

// size is a byte count for people.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
