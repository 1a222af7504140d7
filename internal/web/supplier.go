package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
)

// The supplier's pages, under the personal link. Everything works without
// JavaScript: show-if is evaluated on the server when a section is saved.
func (s *Server) supplierRoutes() {
	s.handle("GET", "/s/:token", account.SupplierResponse, s.supplierIntro)
	s.handle("GET", "/s/:token/section/:n", account.SupplierResponse, s.supplierSection)
	s.handle("POST", "/s/:token/section/:n", account.SupplierResponse, s.supplierSave)
	s.handle("GET", "/s/:token/review", account.SupplierResponse, s.supplierReview)
	s.handle("POST", "/s/:token/submit", account.SupplierResponse, s.supplierSubmit)
	s.supplierActionRoutes()
}

// supplierPage is what every supplier page template gets as .Data.
type supplierPage struct {
	Token      string
	A          *assessment.Assessment
	Q          *questionnaire.Questionnaire
	Lang       string
	Sections   []sectionLink
	Progress   string
	RegionName string
	Status     string
	ReadOnly   bool
	Return     *assessment.Comment // the reviewer's message, while the questionnaire is back with the supplier
	Actions    []supplierAction
	Error      string // a refused progress report
	ErrorFor   string // the deviation it was for
	Submitted  bool   // just submitted: thank the supplier and offer the receipt
}

type sectionLink struct {
	N        int
	Title    string
	Answered int
	Total    int
	Current  bool
}

func (s *Server) supplierData(c *fiber.Ctx, current int) (*supplierPage, error) {
	a := supplierAssessment(c)
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return nil, err
	}
	lang := language(c)
	shown := assessment.Visible(q, a.Level, a.Answers)
	p := &supplierPage{Token: c.Params("token"), A: a, Q: q, Lang: lang, Status: a.Status.Label(lang), ReadOnly: !a.Status.SupplierMayAnswer(),
		Return: a.ReturnMessage(), Actions: supplierActions(a)}
	for i, sec := range q.Sections {
		l := sectionLink{N: i + 1, Title: sec.Title.In(lang), Current: i+1 == current}
		for _, qu := range sec.Questions {
			if shown[qu.ID] {
				l.Total++
				if _, ok := a.Answers[qu.ID]; ok {
					l.Answered++
				}
			}
		}
		if l.Total > 0 {
			p.Sections = append(p.Sections, l)
		}
	}
	p.Progress = fmt.Sprintf(i18n.T(lang, "s.progress"), a.Progress.Answered, a.Progress.Total)
	p.RegionName = s.org.RegionName(a.Region, lang)
	return p, nil
}

func (s *Server) supplierIntro(c *fiber.Ctx) error {
	p, err := s.supplierData(c, 0)
	if err != nil {
		return err
	}
	p.Submitted = c.Query("submitted") == "1" && p.ReadOnly
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "supplier_intro", p)
}

// questionView is one question as a section page shows it.
type questionView struct {
	*questionnaire.Question
	Text     string
	Help     string
	Answer   assessment.Answer
	Number   string // the number as typed or stored
	Error    string
	Options  []optionView
	Required bool
	Files    []assessment.Evidence
	Hidden   bool   // by show-if, for now; disabled so it is not sent
	ShowIf   string // "Q1.4:subcontracted,both" when the page can re-evaluate it live
}

type optionView struct {
	ID, Label string
	Checked   bool
}

type sectionPage struct {
	*supplierPage
	N         int
	Section   *questionnaire.Section
	Title     string
	Intro     string
	Questions []questionView
	Saved     bool
	Stale     bool
	Error     string
	Fields    map[string]string
	Version   int64
	Next      int // 0: the review page comes next
	Prev      int
}

// section is the supplier's assessment, its questionnaire and the section
// number in the path.
func (s *Server) section(c *fiber.Ctx) (*assessment.Assessment, *questionnaire.Questionnaire, int, error) {
	a := supplierAssessment(c)
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return nil, nil, 0, err
	}
	n, err := sectionNumber(c, q)
	if err != nil {
		return nil, nil, 0, err
	}
	return a, q, n, nil
}

// sectionNumber reads :n, refusing a section out of range.
func sectionNumber(c *fiber.Ctx, q *questionnaire.Questionnaire) (int, error) {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || n > len(q.Sections) {
		return 0, fiber.ErrNotFound
	}
	return n, nil
}

// buildSection lays out section n with the given answers (stored, or as
// typed when a save was refused) and per-question errors.
func (s *Server) buildSection(c *fiber.Ctx, n int, answers assessment.Answers, typedNumbers map[string]string, fieldErrs map[string]string) (*sectionPage, error) {
	p, err := s.supplierData(c, n)
	if err != nil {
		return nil, err
	}
	sec := &p.Q.Sections[n-1]
	sp := &sectionPage{supplierPage: p, N: n, Section: sec, Title: sec.Title.In(p.Lang), Intro: sec.Intro.In(p.Lang), Version: p.A.Version, Fields: fieldErrs}
	shown := assessment.Visible(p.Q, p.A.Level, answers)
	onPage := map[string]bool{}
	for i := range sec.Questions {
		qu := &sec.Questions[i]
		if !p.A.Level.Includes(qu.Level) {
			continue
		}
		onPage[qu.ID] = true
		// A question whose condition is on this page is laid out hidden, for
		// the page's script to show; one that depends on another page's
		// answer is left out until that answer shows it.
		live := qu.ShowIf != nil && onPage[qu.ShowIf.Question]
		if !shown[qu.ID] && !live {
			continue
		}
		ans := answers[qu.ID]
		v := questionView{Question: qu, Text: qu.Text.In(p.Lang), Help: qu.Help.In(p.Lang), Answer: ans, Error: fieldErrs[qu.ID], Required: !qu.Optional, Hidden: !shown[qu.ID]}
		if live {
			v.ShowIf = qu.ShowIf.Question + ":" + strings.Join(qu.ShowIf.AnyOf, ",")
		}
		if ans.Number != nil {
			v.Number = strconv.FormatFloat(*ans.Number, 'f', -1, 64)
		}
		if t, ok := typedNumbers[qu.ID]; ok {
			v.Number = t
		}
		for _, e := range p.A.Evidence {
			if e.Question == qu.ID {
				v.Files = append(v.Files, e)
			}
		}
		for _, o := range qu.Options {
			v.Options = append(v.Options, optionView{ID: o.ID, Label: o.Label.In(p.Lang), Checked: ans.Choice == o.ID || slices.Contains(ans.Choices, o.ID)})
		}
		sp.Questions = append(sp.Questions, v)
	}
	// Next and previous skip sections with nothing shown.
	for _, l := range p.Sections {
		if l.N < n {
			sp.Prev = l.N
		}
		if l.N > n && sp.Next == 0 {
			sp.Next = l.N
		}
	}
	return sp, nil
}

func (s *Server) supplierSection(c *fiber.Ctx) error {
	a, _, n, err := s.section(c)
	if err != nil {
		return err
	}
	sp, err := s.buildSection(c, n, a.Answers, nil, nil)
	if err != nil {
		return err
	}
	sp.Saved = c.Query("saved") == "1"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "supplier_section", sp)
}

// supplierSave saves the questions shown on a section's form. A refused save
// shows the page again with what the supplier typed, so nothing typed is lost.
func (s *Server) supplierSave(c *fiber.Ctx) error {
	_, q, n, err := s.section(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return apperr.New(apperr.Invalid, "Formuläret saknar version. Ladda om sidan.", "The form has no version. Reload the page.")
	}
	inputs := map[string]assessment.Input{}
	typed := assessment.Answers{}
	typedNumbers := map[string]string{}
	args := c.Request().PostArgs()
	for _, qu := range q.Sections[n-1].Questions {
		if c.FormValue("m."+qu.ID) == "" { // not on the form the supplier saw
			continue
		}
		comment := c.FormValue("c." + qu.ID)
		in := assessment.Input{HasValue: qu.Type != questionnaire.File, HasComment: true, Comment: &comment}
		t := supplierAssessment(c).Answers[qu.ID]
		t.Comment = comment
		switch qu.Type {
		case questionnaire.Multi:
			list := []any{}
			t.Choices = nil
			for _, v := range args.PeekMulti("a." + qu.ID) {
				list = append(list, string(v))
				t.Choices = append(t.Choices, string(v))
			}
			in.Value = list
		case questionnaire.File:
		default:
			v := c.FormValue("a." + qu.ID)
			if v != "" {
				in.Value = v
			}
			switch qu.Type {
			case questionnaire.YesNo, questionnaire.Single:
				t.Choice = v
			case questionnaire.Free:
				t.Text = v
			case questionnaire.Date:
				t.Date = v
			case questionnaire.Number:
				typedNumbers[qu.ID] = v
			}
		}
		inputs[qu.ID] = in
		typed[qu.ID] = t
	}

	_, err = s.assessments.SaveAnswers(c.UserContext(), c.Params("token"), version, inputs)
	if err == nil {
		next := fmt.Sprintf("/s/%s/section/%d?saved=1", c.Params("token"), n)
		if c.FormValue("action") == "next" {
			sp, berr := s.buildSectionAfterSave(c, n)
			if berr != nil {
				return berr
			}
			next = sp
		}
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	// Show the page again from what was typed, over the stored answers.
	merged := assessment.Answers{}
	for id, v := range supplierAssessment(c).Answers {
		merged[id] = v
	}
	for id, v := range typed {
		merged[id] = v
	}
	summary, fields := fieldErrors(err, language(c))
	sp, berr := s.buildSection(c, n, merged, typedNumbers, fields)
	if berr != nil {
		return berr
	}
	sp.Error = summary
	if ae.Code == apperr.Conflict {
		if cur, gerr := s.assessments.ForSupplier(c.UserContext(), c.Params("token")); gerr == nil {
			sp.Version = cur.Version // a second Save then deliberately overwrites
			sp.Stale = cur.Status.SupplierMayAnswer()
			sp.ReadOnly = !cur.Status.SupplierMayAnswer()
		}
	}
	return s.render(c, statusOf[ae.Code], "supplier_section", sp)
}

// buildSectionAfterSave is where "Save and continue" leads: the next section
// that has questions shown, or the review page.
func (s *Server) buildSectionAfterSave(c *fiber.Ctx, n int) (string, error) {
	a, err := s.assessments.ForSupplier(c.UserContext(), c.Params("token"))
	if err != nil {
		return "", err
	}
	c.Locals(localAssessment, a)
	p, err := s.supplierData(c, n)
	if err != nil {
		return "", err
	}
	for _, l := range p.Sections {
		if l.N > n {
			return fmt.Sprintf("/s/%s/section/%d", c.Params("token"), l.N), nil
		}
	}
	return fmt.Sprintf("/s/%s/review", c.Params("token")), nil
}

// missingView is one unanswered required question, linked to where it is.
type missingView struct {
	ID, Text string
	Section  int
}

type reviewPage struct {
	*supplierPage
	Missing []missingView
	Error   string
}

func (s *Server) reviewData(c *fiber.Ctx) (*reviewPage, error) {
	p, err := s.supplierData(c, 0)
	if err != nil {
		return nil, err
	}
	rp := &reviewPage{supplierPage: p}
	missing := assessment.Missing(p.Q, p.A.Level, p.A.Answers)
	for si, sec := range p.Q.Sections {
		for _, qu := range sec.Questions {
			if slices.Contains(missing, qu.ID) {
				rp.Missing = append(rp.Missing, missingView{ID: qu.ID, Text: qu.Text.In(p.Lang), Section: si + 1})
			}
		}
	}
	return rp, nil
}

func (s *Server) supplierReview(c *fiber.Ctx) error {
	rp, err := s.reviewData(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusOK, "supplier_review", rp)
}

func (s *Server) supplierSubmit(c *fiber.Ctx) error {
	_, err := s.assessments.Submit(c.UserContext(), c.Params("token"), c.IP())
	if err == nil {
		return c.Redirect("/s/"+c.Params("token")+"?submitted=1", fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	rp, rerr := s.reviewData(c)
	if rerr != nil {
		return rerr
	}
	rp.Error = ae.Message[language(c)]
	return s.render(c, statusOf[ae.Code], "supplier_review", rp)
}

// answerText is an answer in words, or "none".
func answerText(q *questionnaire.Question, a assessment.Answer, lang string) string {
	if w := q.InWords(a, lang); w != "" {
		return w
	}
	return i18n.T(lang, "s.none")
}
