package supplier

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
)

// MaxAnswersBody caps a JSON body of answers: 69 answers of 10 000
// characters each, with room to spare.
const MaxAnswersBody = 2 << 20

func (s *handlers) apiSupplierGet(c *fiber.Ctx) error {
	a := core.SupplierAssessment(c)
	q, err := s.Assessments.Questionnaire(a)
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

func (s *handlers) apiSupplierSave(c *fiber.Ctx) error {
	var r saveRequest
	if err := core.DecodeJSON(c, &r); err != nil {
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
	a, err := s.Assessments.SaveAnswers(c.UserContext(), c.Params("token"), *r.Version, inputs)
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

func (s *handlers) apiSupplierSubmit(c *fiber.Ctx) error {
	a, err := s.Assessments.Submit(c.UserContext(), c.Params("token"), c.IP())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": a.Status, "version": a.Version, "submittedAt": a.SubmittedAt.Format(api.TimeFormat)})
}
