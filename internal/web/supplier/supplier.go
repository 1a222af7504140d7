// Package supplier serves the supplier behind a personal link: the
// questionnaire a section at a time, files, the review and the submission,
// the time and action plan, the receipt; and the same under /api/v1/s.
package supplier

import (
	"fmt"
	"maps"
	"mime/multipart"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	xlanguage "golang.org/x/text/language"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/web/core"
)

// handlers are the supplier's routes over what every audience shares.
type handlers struct{ *core.Server }

// Routes registers the supplier's pages, under the personal link, and
// their JSON API. Everything works without JavaScript: show-if is
// evaluated on the server when a section is saved.
func Routes(srv *core.Server) {
	s := &handlers{srv}
	s.Handle("GET", "/s/:token", account.SupplierResponse, s.supplierIntro)
	s.Handle("GET", "/s/:token/section/:n", account.SupplierResponse, s.supplierSection)
	s.HandleUpload("POST", "/s/:token/section/:n", account.SupplierResponse, s.supplierSave)
	s.Handle("GET", "/s/:token/review", account.SupplierResponse, s.supplierReview)
	s.Handle("POST", "/s/:token/submit", account.SupplierResponse, s.supplierSubmit)
	s.supplierActionRoutes()
	s.Handle("GET", "/api/v1/s/:token", account.SupplierResponse, s.apiSupplierGet)
	s.HandleLarge("PUT", "/api/v1/s/:token/answers", account.SupplierResponse, MaxAnswersBody, s.apiSupplierSave)
	s.Handle("POST", "/api/v1/s/:token/submit", account.SupplierResponse, s.apiSupplierSubmit)
	s.HandleUpload("POST", "/s/:token/files/:qid", account.SupplierResponse, s.supplierUpload)
	s.Handle("POST", "/s/:token/files/:fid/delete", account.SupplierResponse, s.supplierDeleteFile)
	s.Handle("GET", "/s/:token/files/:fid", account.SupplierResponse, s.supplierDownload)
	s.HandleUpload("POST", "/api/v1/s/:token/files/:qid", account.SupplierResponse, s.apiUpload)
	s.Handle("GET", "/s/:token/receipt", account.SupplierResponse, s.supplierReceipt)
	s.Handle("GET", "/s/:token/blank.pdf", account.SupplierResponse, s.supplierBlank)
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
	Error      string // a refused progress report or action
	ErrorFor   string // the deviation it was for, or "plan"
	// Plan is the time and action plan the reviewer asks for, with the
	// message asked with; PlanProblems what is wrong with a refused form,
	// each linked to its field; PlanDone "saved" or "sent" after a save.
	Plan         []planItem
	PlanRequest  *assessment.Comment
	PlanDue      string // the day the plan is to be sent by
	PlanProblems []problemLink
	PlanDone     string
	Submitted    bool // just submitted: thank the supplier and offer the receipt
	Minutes      int  // about how long answering the shown questions takes
	// ToConfirm counts the shown answers carried forward from the last
	// submission and not yet confirmed or changed; CarriedFrom is its date.
	ToConfirm   int
	CarriedFrom time.Time
}

// answerSeconds is about how long one question of each type takes to
// answer, not counting finding documents: for the estimate on the first page.
var answerSeconds = map[questionnaire.QuestionType]int{
	questionnaire.YesNo: 30, questionnaire.Single: 40, questionnaire.Multi: 60, questionnaire.Number: 40,
	questionnaire.Date: 30, questionnaire.Free: 120, questionnaire.File: 90,
}

type sectionLink struct {
	N         int
	Title     string
	Answered  int
	Total     int
	ToConfirm int // answers carried forward, not yet confirmed or changed
	Current   bool
}

func (s *handlers) supplierData(c *fiber.Ctx, current int) (*supplierPage, error) {
	a := core.SupplierAssessment(c)
	q, err := s.Assessments.Questionnaire(a)
	if err != nil {
		return nil, err
	}
	lang := core.Language(c)
	shown := assessment.Visible(q, a.Level, a.Answers)
	p := &supplierPage{Token: c.Params("token"), A: a, Q: q, Lang: lang, Status: a.Status.SupplierLabel(lang), ReadOnly: !a.Status.SupplierMayAnswer(),
		Return: a.ReturnMessage(), Actions: supplierActions(a), PlanRequest: a.PlanRequest(), PlanDue: a.PlanDue(), PlanDone: c.Query("plan")}
	p.Plan = s.supplierPlan(a, q, lang, nil)
	for i, sec := range q.Sections {
		l := sectionLink{N: i + 1, Title: sec.Title.In(lang), Current: i+1 == current}
		for _, qu := range sec.Questions {
			if shown[qu.ID] {
				p.Minutes += answerSeconds[qu.Type]
				l.Total++
				if !a.Answers[qu.ID].Blank() {
					l.Answered++
				}
				if a.Answers[qu.ID].Unconfirmed() {
					l.ToConfirm++
					p.ToConfirm++
					p.CarriedFrom = a.Answers[qu.ID].Carry.Submitted
				}
			}
		}
		if l.Total > 0 {
			p.Sections = append(p.Sections, l)
		}
	}
	p.Minutes = (p.Minutes/60 + 4) / 5 * 5 // in whole five minutes, rounded up
	p.Progress = fmt.Sprintf(i18n.T(lang, "s.progress"), a.Progress.Answered, a.Progress.Total)
	p.RegionName = s.Org.RegionName(a.Region, lang)
	return p, nil
}

func (s *handlers) supplierIntro(c *fiber.Ctx) error {
	p, err := s.supplierData(c, 0)
	if err != nil {
		return err
	}
	p.Submitted = c.Query("submitted") == "1" && p.ReadOnly
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.Render(c, fiber.StatusOK, "supplier_intro", p)
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
	// Orig and Rev are the stored answer the page is drawn from, as the
	// form carries it and its revision: a save sends only what differs.
	Orig string
	Rev  int64
	// Conflict: someone else changed the answer since the supplier read it;
	// Theirs is their answer, the form holds the supplier's.
	Conflict      bool
	Theirs        string
	TheirsComment string
	Mine          string // the supplier's answer in words, beside Theirs
	Pos           int    // the question's place among those the section shows
	InputID       string // the first field of the answer, where an error link leads
	// Picked and Groups are a long list's options (OptionsFrom): those
	// chosen, and the rest by the first letter of their names.
	Picked []optionView
	Groups []optionGroup
	// Carry is where the stored answer came from, when it was carried
	// forward from an earlier submission.
	Carry *questionnaire.Carry
}

type optionView struct {
	ID, Label string
	Checked   bool
}

// optionGroup is the options of a long list under one letter.
type optionGroup struct {
	Letter  string
	Options []optionView
}

// pickList splits a long list's options into those chosen and the rest,
// sorted as the reader's language sorts names (Å, Ä and Ö last in
// Swedish) and grouped by their first letter.
func pickList(options []optionView, lang string) (picked []optionView, groups []optionGroup) {
	tag := xlanguage.Swedish
	if lang == i18n.EN {
		tag = xlanguage.English
	}
	sorted := slices.Clone(options)
	col := collate.New(tag)
	slices.SortStableFunc(sorted, func(a, b optionView) int { return col.CompareString(a.Label, b.Label) })
	for _, o := range sorted {
		if o.Checked {
			picked = append(picked, o)
			continue
		}
		letter := strings.ToUpper(string([]rune(o.Label)[:1]))
		if n := len(groups); n == 0 || groups[n-1].Letter != letter {
			groups = append(groups, optionGroup{Letter: letter})
		}
		groups[len(groups)-1].Options = append(groups[len(groups)-1].Options, o)
	}
	return picked, groups
}

type sectionPage struct {
	*supplierPage
	N         int
	Section   *questionnaire.Section
	Title     string
	Intro     string
	Questions []questionView
	Saved     bool
	Conflicts int // answers not saved because someone else changed them
	Error     string
	Fields    map[string]string
	Version   int64
	Shown     int    // questions the section shows now
	DueDate   string // as the reader writes dates
	Next      int    // 0: the review page comes next
	Prev      int
	// OnPage counts the answers on this page still to confirm.
	OnPage int
}

// section is the supplier's assessment, its questionnaire and the section
// number in the path.
func (s *handlers) section(c *fiber.Ctx) (*assessment.Assessment, *questionnaire.Questionnaire, int, error) {
	a := core.SupplierAssessment(c)
	q, err := s.Assessments.Questionnaire(a)
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
func (s *handlers) buildSection(c *fiber.Ctx, n int, answers assessment.Answers, typedNumbers map[string]string, fieldErrs map[string]string) (*sectionPage, error) {
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
		stored := p.A.Answers[qu.ID]
		v := questionView{Question: qu, Text: qu.Text.In(p.Lang), Help: qu.Help.In(p.Lang), Answer: ans, Error: fieldErrs[qu.ID], Required: !qu.Optional, Hidden: !shown[qu.ID],
			Orig: formCanon(qu.Type, answerValues(qu, stored), stored.Comment), Rev: stored.Rev, Carry: stored.Carry}
		if stored.Unconfirmed() && shown[qu.ID] {
			sp.OnPage++
		}
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
		if qu.OptionsFrom != "" {
			v.Picked, v.Groups = pickList(v.Options, p.Lang)
		}
		v.InputID = inputID(qu)
		v.Mine = core.AnswerText(qu, ans, p.Lang)
		if v.Number != "" {
			v.Mine = v.Number
		}
		if !v.Hidden {
			sp.Shown++
			v.Pos = sp.Shown
		}
		sp.Questions = append(sp.Questions, v)
	}
	sp.DueDate = i18n.Day(p.Lang, p.A.DueDate)
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

func (s *handlers) supplierSection(c *fiber.Ctx) error {
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
	return s.Render(c, fiber.StatusOK, "supplier_section", sp)
}

// sectionForm is what a section's form sent: an input for each question
// the supplier changed, and what was typed, to show again if refused.
type sectionForm struct {
	inputs       map[string]assessment.Input
	typed        assessment.Answers
	typedNumbers map[string]string
	files        map[string]*multipart.FileHeader // a chosen file per question
}

// readSectionForm reads the questions of section n from the form. A question
// counts as changed only when what was sent differs from the original the
// page was drawn with (o.<id>), so a save never writes back answers the
// supplier did not touch over someone else's newer ones; each change is based
// on the revision the page showed (r.<id>).
func readSectionForm(c *fiber.Ctx, q *questionnaire.Questionnaire, n int, stored assessment.Answers) sectionForm {
	f := sectionForm{inputs: map[string]assessment.Input{}, typed: assessment.Answers{}, typedNumbers: map[string]string{}, files: map[string]*multipart.FileHeader{}}
	mf, _ := c.MultipartForm()
	for _, qu := range q.Sections[n-1].Questions {
		if c.FormValue("m."+qu.ID) == "" { // not on the form the supplier saw
			continue
		}
		if mf != nil && len(mf.File["file."+qu.ID]) > 0 && mf.File["file."+qu.ID][0].Size > 0 {
			f.files[qu.ID] = mf.File["file."+qu.ID][0]
		}
		values := formValues(c, "a."+qu.ID)
		comment := c.FormValue("c." + qu.ID)
		confirm := c.FormValue("k."+qu.ID) == "1"
		canon := formCanon(qu.Type, values, comment)
		if confirm {
			canon += confirmMark
		}
		switch {
		case c.FormValue("pick."+qu.ID) == "theirs":
			continue
		case canon == c.FormValue("o."+qu.ID):
			continue
		case canon == c.FormValue("o."+qu.ID)+confirmMark:
			f.inputs[qu.ID] = assessment.Input{Confirm: true} // the answer as carried, confirmed
			continue
		}
		in := assessment.Input{HasValue: qu.Type != questionnaire.File, HasComment: true, Comment: &comment, Confirm: confirm}
		if r, err := strconv.ParseInt(c.FormValue("r."+qu.ID), 10, 64); err == nil {
			in.Base = &r
		}
		t := stored[qu.ID]
		t.Comment = comment
		switch qu.Type {
		case questionnaire.Multi:
			list := []any{}
			t.Choices = nil
			for _, v := range values {
				list = append(list, v)
				t.Choices = append(t.Choices, v)
			}
			in.Value = list
		case questionnaire.File:
		default:
			v := ""
			if len(values) > 0 {
				v = values[0]
			}
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
				f.typedNumbers[qu.ID] = v
			}
		}
		f.inputs[qu.ID] = in
		f.typed[qu.ID] = t
	}
	return f
}

// confirmMark ends a form's canonical answer when the supplier ticked that
// an answer carried forward still holds; supplier.js adds the same.
const confirmMark = "\x1d"

// formValues are all values of a form field, from a urlencoded or a multipart body.
func formValues(c *fiber.Ctx, name string) []string {
	if mf, err := c.MultipartForm(); err == nil {
		return mf.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// formCanon is an answer as the form carries it, in one comparable string:
// the values (sorted, for checkboxes), then the comment, with line ends and
// surrounding space as the service stores them. supplier.js makes the same.
func formCanon(t questionnaire.QuestionType, values []string, comment string) string {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	var vs []string
	for _, v := range values {
		if v = norm(v); v != "" {
			vs = append(vs, v)
		}
	}
	if t == questionnaire.Multi {
		slices.Sort(vs)
	}
	return strings.Join(vs, "\x1f") + "\x1e" + norm(comment)
}

// answerValues are a stored answer's values as its form fields carry them.
func answerValues(qu *questionnaire.Question, a assessment.Answer) []string {
	switch qu.Type {
	case questionnaire.YesNo, questionnaire.Single:
		return []string{a.Choice}
	case questionnaire.Multi:
		return a.Choices
	case questionnaire.Number:
		if a.Number != nil {
			return []string{strconv.FormatFloat(*a.Number, 'f', -1, 64)}
		}
	case questionnaire.Free:
		return []string{a.Text}
	case questionnaire.Date:
		return []string{a.Date}
	}
	return nil
}

// supplierSave saves a section's form: the answers the supplier changed,
// the files chosen, and a file removed, then goes where the button said.
// What cannot be saved (a bad value, an answer someone else changed in the
// meantime) is shown again as typed, with the reason, and the rest is saved.
func (s *handlers) supplierSave(c *fiber.Ctx) error {
	a, q, n, err := s.section(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return apperr.New(apperr.Invalid, "Formuläret saknar version. Ladda om sidan.", "The form has no version. Reload the page.")
	}
	lang := core.Language(c)
	form := readSectionForm(c, q, n, a.Answers)
	action := c.FormValue("action")
	if action == "confirm-all" {
		// Every carried answer on the page that the supplier left as it was.
		for _, qu := range q.Sections[n-1].Questions {
			if _, changed := form.inputs[qu.ID]; !changed && c.FormValue("m."+qu.ID) != "" && a.Answers[qu.ID].Unconfirmed() {
				form.inputs[qu.ID] = assessment.Input{Confirm: true}
			}
		}
	}
	fields := map[string]string{}
	res, err := s.Assessments.SaveValidAnswers(c.UserContext(), c.Params("token"), version, form.inputs)
	if err != nil {
		return s.refusedSave(c, n, form, err)
	}
	for _, f := range res.Invalid {
		fields[f.Field] = f.Message[lang]
	}
	a = res.A
	for _, qid := range slices.Sorted(maps.Keys(form.files)) {
		if a, err = s.attachFormFile(c, qid, form.files[qid]); err != nil {
			ae, ok := apperr.As(err)
			if !ok {
				return err
			}
			fields[qid] = ae.Message[lang]
		}
	}
	if fid, ok := strings.CutPrefix(action, "delete:"); ok {
		if a, err = s.Assessments.Detach(c.UserContext(), c.Params("token"), fid); err != nil {
			return err
		}
	}
	core.KeepSupplierAssessment(c, a)
	if len(fields) == 0 && len(res.Conflicts) == 0 {
		return c.Redirect(s.afterSave(c, n, action), fiber.StatusSeeOther)
	}

	// Show the page again: what was saved as stored, the refused and the
	// conflicting answers as typed.
	shown := maps.Clone(a.Answers)
	for id := range fields {
		if t, ok := form.typed[id]; ok {
			shown[id] = t
		}
	}
	for _, id := range res.Conflicts {
		shown[id] = form.typed[id]
	}
	sp, err := s.buildSection(c, n, shown, form.typedNumbers, fields)
	if err != nil {
		return err
	}
	status := fiber.StatusUnprocessableEntity
	if len(fields) > 0 {
		sp.Error = i18n.T(lang, "s.saved.except")
	}
	if len(res.Conflicts) > 0 {
		status = fiber.StatusConflict
		sp.Conflicts = len(res.Conflicts)
		for i := range sp.Questions {
			v := &sp.Questions[i]
			if slices.Contains(res.Conflicts, v.ID) {
				v.Conflict = true
				v.Theirs = core.AnswerText(v.Question, a.Answers[v.ID], lang)
				v.TheirsComment = a.Answers[v.ID].Comment
			}
		}
	}
	return s.Render(c, status, "supplier_section", sp)
}

// refusedSave shows the section again as typed when nothing could be saved:
// the link closed, or the answers were submitted in the meantime.
func (s *handlers) refusedSave(c *fiber.Ctx, n int, form sectionForm, err error) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	shown := maps.Clone(core.SupplierAssessment(c).Answers)
	maps.Copy(shown, form.typed)
	sp, berr := s.buildSection(c, n, shown, form.typedNumbers, nil)
	if berr != nil {
		return berr
	}
	sp.Error = ae.Message[core.Language(c)]
	return s.Render(c, core.StatusOf[ae.Code], "supplier_section", sp)
}

// attachFormFile attaches a file chosen on a section's form.
func (s *handlers) attachFormFile(c *fiber.Ctx, qid string, fh *multipart.FileHeader) (*assessment.Assessment, error) {
	name, data, err := core.ReadFile(fh)
	if err != nil {
		return core.SupplierAssessment(c), err
	}
	a, _, err := s.Assessments.Attach(c.UserContext(), c.Params("token"), qid, name, data)
	if err != nil {
		return core.SupplierAssessment(c), err
	}
	return a, nil
}

// afterSave is where a saved form leads: the next section, another one
// chosen in the list of sections, the review page, or back to this one.
func (s *handlers) afterSave(c *fiber.Ctx, n int, action string) string {
	token := c.Params("token")
	switch {
	case action == "next":
		if next, err := s.buildSectionAfterSave(c, n); err == nil {
			return next
		}
	case action == "review":
		return "/s/" + token + "/review"
	case strings.HasPrefix(action, "goto:"):
		if m, err := strconv.Atoi(strings.TrimPrefix(action, "goto:")); err == nil && m > 0 {
			return fmt.Sprintf("/s/%s/section/%d", token, m)
		} else if err == nil && m == 0 { // the list of sections
			return "/s/" + token
		}
	case strings.HasPrefix(action, "lang:"):
		if l := strings.TrimPrefix(action, "lang:"); i18n.Supported(l) {
			return fmt.Sprintf("/s/%s/section/%d?lang=%s", token, n, l)
		}
	case strings.HasPrefix(action, "upload:"):
		return fmt.Sprintf("/s/%s/section/%d?saved=1#q-%s", token, n, url.PathEscape(strings.TrimPrefix(action, "upload:")))
	}
	return fmt.Sprintf("/s/%s/section/%d?saved=1", token, n)
}

// buildSectionAfterSave is where "Save and continue" leads: the next section
// that has questions shown, or the review page.
func (s *handlers) buildSectionAfterSave(c *fiber.Ctx, n int) (string, error) {
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
	Missing     []reviewGroup
	Unconfirmed []reviewGroup // carried answers still to confirm or change
	// MissingN and UnconfirmedN count the questions in each.
	MissingN, UnconfirmedN int
	Error                  string
}

// reviewGroup is one section's questions in a list of the review page.
type reviewGroup struct {
	Section int
	Title   string
	Items   []missingView
}

// add puts v in its section's group, the last one or a new one.
func add(groups []reviewGroup, title string, v missingView) []reviewGroup {
	if n := len(groups); n > 0 && groups[n-1].Section == v.Section {
		groups[n-1].Items = append(groups[n-1].Items, v)
		return groups
	}
	return append(groups, reviewGroup{Section: v.Section, Title: title, Items: []missingView{v}})
}

func (s *handlers) reviewData(c *fiber.Ctx) (*reviewPage, error) {
	p, err := s.supplierData(c, 0)
	if err != nil {
		return nil, err
	}
	rp := &reviewPage{supplierPage: p}
	missing, unconfirmed := assessment.Missing(p.Q, p.A.Level, p.A.Answers), assessment.Unconfirmed(p.Q, p.A.Level, p.A.Answers)
	for si, sec := range p.Q.Sections {
		for _, qu := range sec.Questions {
			v := missingView{ID: qu.ID, Text: qu.Text.In(p.Lang), Section: si + 1}
			if slices.Contains(missing, qu.ID) {
				rp.Missing, rp.MissingN = add(rp.Missing, sec.Title.In(p.Lang), v), rp.MissingN+1
			}
			if slices.Contains(unconfirmed, qu.ID) {
				rp.Unconfirmed, rp.UnconfirmedN = add(rp.Unconfirmed, sec.Title.In(p.Lang), v), rp.UnconfirmedN+1
			}
		}
	}
	return rp, nil
}

func (s *handlers) supplierReview(c *fiber.Ctx) error {
	rp, err := s.reviewData(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.Render(c, fiber.StatusOK, "supplier_review", rp)
}

func (s *handlers) supplierSubmit(c *fiber.Ctx) error {
	_, err := s.Assessments.Submit(c.UserContext(), c.Params("token"), c.IP())
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
	rp.Error = ae.Message[core.Language(c)]
	return s.Render(c, core.StatusOf[ae.Code], "supplier_review", rp)
}

// inputID is the id of the first field of a question's answer on its page.
func inputID(qu *questionnaire.Question) string {
	switch {
	case qu.OptionsFrom != "": // one list box
	case qu.Type == questionnaire.YesNo, qu.Type == questionnaire.Single, qu.Type == questionnaire.Multi:
		return "a-" + qu.ID + "-0"
	case qu.Type == questionnaire.File:
		return "u-" + qu.ID
	}
	return "a-" + qu.ID
}
