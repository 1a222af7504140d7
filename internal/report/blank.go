package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
)

// Blank is a questionnaire printed empty, for a supplier to collect answers
// from its sites before typing them in.
type Blank struct {
	Q     *questionnaire.Questionnaire
	Level questionnaire.Level
	Lang  string
	Now   time.Time
}

// WriteBlank writes the questions of the level, section by section, with a
// box for each option, lines to write on, and what each one depends on.
func WriteBlank(w io.Writer, in Blank) error {
	d := newDoc(meta{
		Title:   i18n.T(in.Lang, "r.blank"),
		Subject: in.Q.Title.In(in.Lang),
		Header:  in.Q.Title.In(in.Lang),
		Lang:    in.Lang,
		Now:     in.Now,
	})
	d.title(in.Q.Title.In(in.Lang), fmt.Sprintf(d.t("r.blank.sub"), in.Q.Version, i18n.T(in.Lang, "level."+string(in.Level))))
	d.para(d.t("r.blank.lead"), ink)
	for _, sec := range in.Q.Sections {
		var shown []*questionnaire.Question
		for i := range sec.Questions {
			if in.Level.Includes(sec.Questions[i].Level) {
				shown = append(shown, &sec.Questions[i])
			}
		}
		if len(shown) == 0 {
			continue
		}
		d.heading(sec.Title.In(in.Lang), 0)
		if intro := sec.Intro.In(in.Lang); intro != "" {
			d.para(intro, muted)
			d.pdf.Ln(2)
		}
		for _, qu := range shown {
			d.blankQuestion(in.Q, qu)
		}
	}
	return d.write(w)
}

// blankQuestion sets one question with room for its answer.
func (d *doc) blankQuestion(q *questionnaire.Questionnaire, qu *questionnaire.Question) {
	d.room(4 * lineH)
	d.font("B", bodySize, ink)
	text := qu.ID + "  " + qu.Text.In(d.lang)
	if qu.Optional {
		text += " " + d.t("s.optional")
	}
	d.pdf.MultiCell(contentW, lineH, clean(text), "", "L", false)
	if si := qu.ShowIf; si != nil {
		d.font("", bodySize-1, muted)
		d.pdf.MultiCell(contentW, lineH, clean(d.showIf(q, si)), "", "L", false)
	}
	if help := qu.Help.In(d.lang); help != "" {
		d.font("", bodySize-1, muted)
		d.pdf.MultiCell(contentW, lineH, clean(help), "", "L", false)
	}
	d.font("", bodySize, ink)
	switch {
	case qu.OptionsFrom != "": // a list too long to print: the names are written on lines
		d.para(d.t("r.blank.list"), muted)
		for range 2 {
			d.room(7)
			d.pdf.Ln(6)
			d.line(margin, d.pdf.GetY(), margin+contentW, d.pdf.GetY(), rule)
		}
	case qu.Type == questionnaire.YesNo, qu.Type == questionnaire.Single, qu.Type == questionnaire.Multi:
		for _, o := range qu.Options {
			d.room(lineH + 1)
			x, y := margin+2, d.pdf.GetY()+0.8
			d.pdf.SetDrawColor(ink[0], ink[1], ink[2])
			if qu.Type == questionnaire.Multi {
				d.pdf.Rect(x, y, 3, 3, "D")
			} else {
				d.pdf.Circle(x+1.5, y+1.5, 1.5, "D")
			}
			d.pdf.SetX(x + 5)
			d.pdf.MultiCell(contentW-7, lineH+0.6, clean(o.Label.In(d.lang)), "", "L", false)
		}
	case qu.Type == questionnaire.File:
		d.para(d.t("r.blank.file"), muted)
	default:
		lines := map[questionnaire.QuestionType]int{questionnaire.Free: 4}[qu.Type]
		for range max(lines, 1) {
			d.room(7)
			d.pdf.Ln(6)
			d.line(margin, d.pdf.GetY(), margin+contentW, d.pdf.GetY(), rule)
		}
	}
	d.pdf.Ln(1)
	d.room(6)
	d.font("", bodySize-1, muted)
	d.pdf.CellFormat(22, 6, clean(d.t("s.comment")), "", 0, "L", false, 0, "")
	d.line(margin+22, d.pdf.GetY()+5, margin+contentW, d.pdf.GetY()+5, rule)
	d.pdf.Ln(9)
}

// showIf says when a question is asked, naming the answers that lead to
// it: "Besvara bara om ni svarade ”Ja” eller ”Delvis” på fråga 2.1."
func (d *doc) showIf(q *questionnaire.Questionnaire, si *questionnaire.ShowIf) string {
	num := strings.TrimPrefix(si.Question, "Q")
	var labels []string
	if from, ok := q.Question(si.Question); ok {
		for _, id := range si.AnyOf {
			if o, ok := from.Option(id); ok {
				labels = append(labels, "”"+o.Label.In(d.lang)+"”")
			}
		}
	}
	if len(labels) == 0 {
		return fmt.Sprintf(d.t("r.blank.if"), num)
	}
	answers := labels[0]
	if n := len(labels); n > 1 {
		answers = strings.Join(labels[:n-1], ", ") + " " + d.t("r.or") + " " + labels[n-1]
	}
	return fmt.Sprintf(d.t("r.blank.ifanswer"), answers, num)
}
