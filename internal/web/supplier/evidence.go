package supplier

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/web/core"
)

func (s *handlers) supplierUpload(c *fiber.Ctx) error {
	name, data, err := core.ReadUpload(c)
	if err == nil {
		_, _, err = s.Assessments.Attach(c.UserContext(), c.Params("token"), c.Params("qid"), name, data)
	}
	section := sectionOf(core.SupplierAssessment(c), s, c.Params("qid"))
	if err == nil {
		return c.Redirect(fmt.Sprintf("/s/%s/section/%d?saved=1#q-%s", c.Params("token"), section, url.PathEscape(c.Params("qid"))), fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok || section == 0 {
		return err
	}
	sp, berr := s.buildSection(c, section, core.SupplierAssessment(c).Answers, nil, map[string]string{c.Params("qid"): ae.Message[core.Language(c)]})
	if berr != nil {
		return berr
	}
	sp.Error = ae.Message[core.Language(c)]
	return s.Render(c, core.StatusOf[ae.Code], "supplier_section", sp)
}

// sectionOf is the number of the section holding a question, 0 if none.
func sectionOf(a *assessment.Assessment, s *handlers, qid string) int {
	q, err := s.Assessments.Questionnaire(a)
	if err != nil {
		return 0
	}
	for i, sec := range q.Sections {
		for _, qu := range sec.Questions {
			if qu.ID == qid {
				return i + 1
			}
		}
	}
	return 0
}

func (s *handlers) supplierDeleteFile(c *fiber.Ctx) error {
	a := core.SupplierAssessment(c)
	var qid string
	for _, e := range a.Evidence {
		if e.ID == c.Params("fid") {
			qid = e.Question
		}
	}
	if _, err := s.Assessments.Detach(c.UserContext(), c.Params("token"), c.Params("fid")); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/s/%s/section/%d?saved=1", c.Params("token"), max(sectionOf(a, s, qid), 1)), fiber.StatusSeeOther)
}

func (s *handlers) supplierDownload(c *fiber.Ctx) error {
	return s.SendEvidence(c, core.SupplierAssessment(c), c.Params("fid"))
}

func (s *handlers) apiUpload(c *fiber.Ctx) error {
	name, data, err := core.ReadUpload(c)
	if err != nil {
		return err
	}
	a, ev, err := s.Assessments.Attach(c.UserContext(), c.Params("token"), c.Params("qid"), name, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id": ev.ID, "question": ev.Question, "name": ev.Name, "type": ev.ContentType, "size": ev.Size, "version": a.Version,
	})
}
