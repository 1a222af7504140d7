package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// MaxAnswersBody caps a JSON body of answers: 69 answers of 10 000
// characters each, with room to spare.
const MaxAnswersBody = 2 << 20

// MaxLinkGuesses is how many unknown supplier links one IP address may try
// in a window before it is refused. 256-bit tokens cannot be guessed; this
// keeps anyone from trying.
const MaxLinkGuesses = 30

func (s *Server) assessmentRoutes() {
	s.handle("GET", "/api/v1/questionnaires", account.SignedIn, s.apiQuestionnaires)
	s.handle("GET", "/api/v1/risk-areas", account.SignedIn, s.apiRiskAreas)
	s.handle("POST", "/api/v1/assessments", account.WriteAssessment, s.apiIssue)
	s.handle("GET", "/api/v1/assessments/:id", account.ReadAssessments, s.apiGet)
	s.handle("POST", "/api/v1/assessments/:id/link", account.WriteAssessment, s.apiReissue)
	s.handle("POST", "/assessments/:id/link", account.WriteAssessment, s.formReissue)

	s.handle("GET", "/api/v1/s/:token", account.SupplierResponse, s.apiSupplierGet)
	s.handleLarge("PUT", "/api/v1/s/:token/answers", account.SupplierResponse, MaxAnswersBody, s.apiSupplierSave)
	s.handle("POST", "/api/v1/s/:token/submit", account.SupplierResponse, s.apiSupplierSubmit)
	s.handle("POST", "/api/v1/suppliers/:org/contact-erasure", account.ErasePersonalData, s.apiEraseContacts)
}

// apiEraseContacts pseudonymises the contact persons of every follow-up of
// one supplier, by organisation number.
func (s *Server) apiEraseContacts(c *fiber.Ctx) error {
	n, err := s.assessments.EraseContacts(c.UserContext(), principal(c), c.IP(), c.Params("org"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"followUps": n})
}

func (s *Server) apiQuestionnaires(c *fiber.Ctx) error {
	type item struct {
		ID        string            `json:"id"`
		Version   int               `json:"version"`
		Title     map[string]string `json:"title"`
		Questions int               `json:"questions"`
		Latest    bool              `json:"latest"`
	}
	out := []item{}
	for _, q := range s.set.Questionnaires {
		latest, _ := s.set.Latest(q.ID)
		out = append(out, item{q.ID, q.Version, q.Title, len(q.Questions()), latest == q})
	}
	return c.JSON(out)
}

func (s *Server) apiRiskAreas(c *fiber.Ctx) error {
	return c.JSON(s.org.RiskAreas)
}

// issueRequest is the JSON body of POST /api/v1/assessments. The service
// checks every field in one pass (assessment.Service.Issue).
type issueRequest struct {
	Supplier struct {
		Name         string `json:"name"`
		OrgNumber    string `json:"orgNumber"`
		Country      string `json:"country"`
		ContactName  string `json:"contactName"`
		ContactEmail string `json:"contactEmail"`
	} `json:"supplier"`
	ContractRef          string `json:"contractRef"`
	RiskArea             string `json:"riskArea"`
	Questionnaire        string `json:"questionnaire"`
	QuestionnaireVersion int    `json:"questionnaireVersion"`
	Level                string `json:"level"`
	Language             string `json:"language"`
	DueDate              string `json:"dueDate"`
	ForceNew             bool   `json:"forceNew"`
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are refused, so a misspelt field never passes silently.
func decodeJSON(c *fiber.Ctx, v any) error {
	if !bytes.HasPrefix(c.Request().Header.ContentType(), []byte(fiber.MIMEApplicationJSON)) {
		return apperr.New(apperr.Invalid, "Skicka JSON (Content-Type: application/json).", "Send JSON (Content-Type: application/json).")
	}
	if key, dup := duplicateKey(c.Body()); dup {
		return apperr.New(apperr.Invalid, fmt.Sprintf("JSON-kroppen har nyckeln %q två gånger.", key), fmt.Sprintf("The JSON body has the key %q twice.", key))
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "JSON-kroppen kunde inte läsas: "+jsonProblem(err), "The JSON body could not be read: "+jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "JSON-kroppen har data efter slutet.", "The JSON body has data after its end.")
	}
	return checkText(v)
}

// duplicateKey finds a key that stands twice in one object of a JSON
// document: decoding would silently keep the last, so what the client
// meant is unknown. A document that does not parse is left to the decoder.
func duplicateKey(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.object {
					top.key = true // the object or array was a value
				}
				stack = append(stack, &frame{keys: map[string]bool{}, object: t == '{', key: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
			}
		case string:
			if top != nil && top.object && top.key {
				if top.keys[t] {
					return t, true
				}
				top.keys[t] = true
				top.key = false
				continue
			}
			if top != nil && top.object {
				top.key = true
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}

// jsonProblem says what was wrong with a body without echoing it.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be %s", te.Field, te.Type.String())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return err.Error()
}

func (s *Server) apiIssue(c *fiber.Ctx) error {
	var r issueRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if err := validateStruct(&r); err != nil {
		return err
	}
	a, token, err := s.assessments.Issue(c.UserContext(), principal(c), c.IP(), assessment.IssueInput{
		Supplier:    assessment.Supplier(r.Supplier),
		ContractRef: r.ContractRef, RiskArea: r.RiskArea, Questionnaire: r.Questionnaire,
		QuestionnaireVersion: r.QuestionnaireVersion, Level: questionnaire.Level(r.Level),
		Language: r.Language, DueDate: r.DueDate, ForceNew: r.ForceNew,
	})
	if err != nil {
		return err
	}
	out := s.toAPIAssessment(a)
	if a.ReusedFrom != "" {
		// No new questionnaire: the supplier's recent answers stand.
		return c.Status(fiber.StatusOK).JSON(out)
	}
	out.Link = s.supplierLink(c, token)
	s.invite(c, a, out.Link)
	c.Set(fiber.HeaderLocation, "/api/v1/assessments/"+a.ID)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(out)
}

// supplierLink is the absolute link a supplier opens.
func (s *Server) supplierLink(c *fiber.Ctx, token string) string {
	base := s.baseURL
	if base == "" {
		base = c.BaseURL()
	}
	return base + "/s/" + token
}

// apiAssessment is an assessment as the API shows it to coordinators.
type apiAssessment struct {
	ID                   string              `json:"id"`
	Version              int64               `json:"version"`
	Status               assessment.Status   `json:"status"`
	Region               string              `json:"region"`
	RiskArea             string              `json:"riskArea"`
	Supplier             assessment.Supplier `json:"supplier"`
	ContractRef          string              `json:"contractRef"`
	Questionnaire        string              `json:"questionnaire"`
	QuestionnaireVersion int                 `json:"questionnaireVersion"`
	Level                string              `json:"level"`
	Language             string              `json:"language"`
	DueDate              string              `json:"dueDate"`
	IssuedAt             string              `json:"issuedAt"`
	SubmittedAt          string              `json:"submittedAt,omitempty"`
	Progress             assessment.Progress `json:"progress"`
	Link                 string              `json:"link,omitempty"`
	ReusedFrom           string              `json:"reusedFrom,omitempty"`
	Invitation           *apiInvitation      `json:"invitation,omitempty"`
	ClosedAt             string              `json:"closedAt,omitempty"`
	Light                assessment.Light    `json:"light"`
	Score                *apiScore           `json:"score,omitempty"`
	Deviations           []apiDeviation      `json:"deviations"`
}

// apiInvitation is how the mail with the current link fared.
type apiInvitation struct {
	State       string `json:"state"`
	Attempts    int    `json:"attempts"`
	At          string `json:"at"`
	NextAttempt string `json:"nextAttempt,omitempty"`
	Error       string `json:"error,omitempty"`
}

func (s *Server) toAPIAssessment(a *assessment.Assessment) apiAssessment {
	out := apiAssessment{
		ID: a.ID, Version: a.Version, Status: a.Status, Region: a.Region, RiskArea: a.RiskArea, Supplier: a.Supplier,
		ContractRef: a.ContractRef, Questionnaire: a.QuestionnaireID, QuestionnaireVersion: a.QuestionnaireVersion,
		Level: string(a.Level), Language: a.Language, DueDate: a.DueDate, IssuedAt: a.IssuedAt.Format(timeFormat),
		Progress: a.Progress, ReusedFrom: a.ReusedFrom, Light: a.Light(s.assessments.Today()), Deviations: []apiDeviation{},
	}
	for i := range a.Deviations {
		out.Deviations = append(out.Deviations, toAPIDeviation(a, &a.Deviations[i], s.assessments.Today()))
	}
	if !a.ClosedAt.IsZero() {
		out.ClosedAt = a.ClosedAt.Format(timeFormat)
	}
	if inv := a.Invitation; inv != nil {
		out.Invitation = &apiInvitation{State: inv.State, Attempts: inv.Attempts, At: stamp(inv.At), NextAttempt: stamp(inv.NextAttempt), Error: inv.Error}
	}
	if r := a.Score; r != nil {
		out.Score = &apiScore{Total: r.Total, Uncapped: r.Uncapped, Areas: r.Areas, Verified: r.Verified, VerifiedAreas: r.VerifiedAreas,
			Requirements: r.Requirements, Explanation: r.Explanation}
		if a.Risk != nil {
			out.Score.Risk, out.Score.RiskInputs, out.Score.RiskRule = a.Risk.Rating, &a.Risk.Inputs, scoring.RiskRule
		}
	}
	if !a.SubmittedAt.IsZero() {
		out.SubmittedAt = a.SubmittedAt.Format(timeFormat)
	}
	return out
}

// apiScore is a submitted assessment's score: totals and areas as 0–100 or
// null where nothing applied, each requirement's status, and the lines that
// explain every number.
type apiScore struct {
	Total    *float64            `json:"total"`
	Uncapped *float64            `json:"uncapped,omitempty"` // the total before a critical deviation capped it
	Areas    map[string]*float64 `json:"areas"`
	// Verified and VerifiedAreas count only the points the desk audit's
	// verdicts bear out; absent before it gave one.
	Verified      *float64                        `json:"verified,omitempty"`
	VerifiedAreas map[string]*float64             `json:"verifiedAreas,omitempty"`
	Requirements  map[string]*scoring.Requirement `json:"requirements,omitempty"`
	Explanation   []string                        `json:"explanation,omitempty"`
	Risk          string                          `json:"risk,omitempty"` // low, medium, high
	RiskInputs    *scoring.RiskInputs             `json:"riskInputs,omitempty"`
	RiskRule      string                          `json:"riskRule,omitempty"`
}

const timeFormat = "2006-01-02T15:04:05Z07:00"

// resolveSupplier turns the link token in the path into the supplier's
// principal and assessment, before the policy check.
func (s *Server) resolveSupplier(c *fiber.Ctx) error {
	guessKey := "link-ip:" + c.IP()
	if err := s.accounts.Guard(c.UserContext(), guessKey, MaxLinkGuesses); err != nil {
		retryAfter(c, err)
		return err
	}
	a, err := s.assessments.ForSupplier(c.UserContext(), c.Params("token"))
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.NotFound {
			if ferr := s.accounts.Fail(c.UserContext(), guessKey, MaxLinkGuesses); ferr != nil {
				retryAfter(c, ferr)
				return ferr
			}
		}
		return err
	}
	c.Locals(localPrincipal, assessment.SupplierPrincipal(a))
	c.Locals(localAssessment, a)
	c.SetUserContext(assessment.WithLoaded(c.UserContext(), a))
	return nil
}

const localAssessment = "assessment"

func supplierAssessment(c *fiber.Ctx) *assessment.Assessment {
	a, _ := c.Locals(localAssessment).(*assessment.Assessment)
	return a
}

func (s *Server) apiSupplierGet(c *fiber.Ctx) error {
	a := supplierAssessment(c)
	q, err := s.assessments.Questionnaire(a)
	if err != nil {
		return err
	}
	shown := assessment.Visible(q, a.Level, a.Answers)
	visible := []string{}
	for _, qu := range q.Questions() {
		if shown[qu.ID] {
			visible = append(visible, qu.ID)
		}
	}
	missing := assessment.Missing(q, a.Level, a.Answers)
	if missing == nil {
		missing = []string{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{
		"id": a.ID, "status": a.Status, "version": a.Version, "language": a.Language, "dueDate": a.DueDate,
		// Only the questions of the follow-up's level: the others are not asked.
		"level": a.Level, "supplier": a.Supplier.Name, "questionnaire": q.AskedAt(a.Level), "answers": a.Answers,
		"visible": visible, "missing": missing, "progress": a.Progress, "returnMessage": returnText(a), "actions": supplierActions(a),
	})
}

// returnText is the reviewer's message while the questionnaire is back with the supplier, or "".
func returnText(a *assessment.Assessment) string {
	if m := a.ReturnMessage(); m != nil {
		return m.Text
	}
	return ""
}

// saveRequest is the JSON body of PUT /api/v1/s/{token}/answers.
type saveRequest struct {
	Version *int64                     `json:"version"`
	Answers map[string]json.RawMessage `json:"answers"`
}

func (s *Server) apiSupplierSave(c *fiber.Ctx) error {
	var r saveRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if r.Version == nil || r.Answers == nil {
		return apperr.New(apperr.Invalid, "Ange version och answers.", "Give version and answers.")
	}
	inputs := make(map[string]assessment.Input, len(r.Answers))
	for id, raw := range r.Answers {
		in, err := toInput(raw)
		if err != nil {
			e := apperr.New(apperr.Invalid, "Några svar kunde inte läsas. Inget har sparats.", "Some answers could not be read. Nothing has been saved.")
			e.Fields = []apperr.Field{{Field: id, Message: map[string]string{"sv": "Svaret kunde inte läsas.", "en": "The answer could not be read."}}}
			return e
		}
		inputs[id] = in
	}
	a, err := s.assessments.SaveAnswers(c.UserContext(), c.Params("token"), *r.Version, inputs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": a.Version, "status": a.Status, "progress": a.Progress, "revs": revsOf(a, inputs)})
}

// revsOf is the revision each saved answer now has, for the client's next save.
func revsOf(a *assessment.Assessment, inputs map[string]assessment.Input) map[string]int64 {
	out := make(map[string]int64, len(inputs))
	for id := range inputs {
		out[id] = a.Answers[id].Rev
	}
	return out
}

// toInput reads one answer: either {"value": …, "comment": …, "base": rev,
// "confirm": true} or the value itself. Any other object (say {"$gt": ""}) is taken as a value, which the
// question's type then refuses.
func toInput(raw json.RawMessage) (assessment.Input, error) {
	var obj map[string]json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) && json.Unmarshal(raw, &obj) == nil && len(obj) > 0 {
		_, hasValue := obj["value"]
		_, hasComment := obj["comment"]
		_, hasBase := obj["base"]
		_, hasConfirm := obj["confirm"]
		if len(obj) == b2i(hasValue)+b2i(hasComment)+b2i(hasBase)+b2i(hasConfirm) && (hasValue || hasComment || hasConfirm) {
			in := assessment.Input{HasValue: hasValue, HasComment: hasComment}
			if hasConfirm {
				if err := json.Unmarshal(obj["confirm"], &in.Confirm); err != nil {
					return in, err
				}
			}
			if hasBase {
				if err := json.Unmarshal(obj["base"], &in.Base); err != nil {
					return in, err
				}
			}
			if hasValue {
				if err := decodeAny(obj["value"], &in.Value); err != nil {
					return in, err
				}
			}
			if hasComment {
				if err := json.Unmarshal(obj["comment"], &in.Comment); err != nil {
					return in, err
				}
			}
			return in, nil
		}
	}
	in := assessment.Input{HasValue: true}
	return in, decodeAny(raw, &in.Value)
}

func decodeAny(raw json.RawMessage, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Server) apiSupplierSubmit(c *fiber.Ctx) error {
	a, err := s.assessments.Submit(c.UserContext(), c.Params("token"), c.IP())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": a.Status, "version": a.Version, "submittedAt": a.SubmittedAt.Format(timeFormat)})
}

// apiReissue makes a new supplier link, revokes the old one and sends the
// new one to the supplier's contact.
func (s *Server) apiReissue(c *fiber.Ctx) error {
	link, err := s.reissue(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"id": c.Params("id"), "link": link})
}

// formReissue does the same from the detail page, which then shows the new
// link once and says it was sent.
func (s *Server) formReissue(c *fiber.Ctx) error {
	link, err := s.reissue(c)
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Code == apperr.NotFound {
			return err
		}
		return s.renderDetail(c, statusOf[ae.Code], c.Params("id"), fiber.Map{"Error": ae.Message[language(c)]})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderDetail(c, fiber.StatusOK, c.Params("id"), fiber.Map{"Link": link})
}

func (s *Server) reissue(c *fiber.Ctx) (string, error) {
	token, err := s.assessments.Reissue(c.UserContext(), principal(c), c.IP(), c.Params("id"))
	if err != nil {
		return "", err
	}
	link := s.supplierLink(c, token)
	if a, err := s.assessments.Get(c.UserContext(), principal(c), c.Params("id")); err == nil {
		s.invite(c, a, link)
	}
	return link, nil
}
