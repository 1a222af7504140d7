package staff

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/web/core"
)

func (s *handlers) findingUpload(c *fiber.Ctx) error {
	// Who may attach is judged before the body is read.
	if err := s.Reviews.Authorize(c.UserContext(), core.Principal(c), c.Params("id"), account.RecordFinding); err != nil {
		return err
	}
	name, data, err := core.ReadUpload(c)
	if err == nil {
		_, err = s.Reviews.AttachToFinding(c.UserContext(), core.Principal(c), c.IP(), c.Params("id"), c.Params("dev"), name, data)
	}
	if err == nil {
		return c.Redirect("/assessments/"+c.Params("id")+"#d-"+url.PathEscape(c.Params("dev")), fiber.StatusSeeOther)
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Code == apperr.NotFound || ae.Code == apperr.Forbidden {
		return err
	}
	return s.renderDetail(c, core.StatusOf[ae.Code], c.Params("id"), fiber.Map{"Error": ae.Message[core.Language(c)]})
}

func (s *handlers) apiFindingUpload(c *fiber.Ctx) error {
	if err := s.Reviews.Authorize(c.UserContext(), core.Principal(c), c.Params("id"), account.RecordFinding); err != nil {
		return err
	}
	name, data, err := core.ReadUpload(c)
	if err != nil {
		return err
	}
	a, err := s.Reviews.AttachToFinding(c.UserContext(), core.Principal(c), c.IP(), c.Params("id"), c.Params("dev"), name, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.detail(a))
}

func (s *handlers) apiDownload(c *fiber.Ctx) error {
	a, err := s.Assessments.Get(c.UserContext(), core.Principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return s.SendEvidence(c, a, c.Params("fid"))
}
