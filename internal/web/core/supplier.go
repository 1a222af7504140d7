package core

import (
	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/followup"
)

// MaxLinkGuesses is how many unknown supplier links one IP address may try
// in a window before it is refused. 256-bit tokens cannot be guessed; this
// keeps anyone from trying.
const MaxLinkGuesses = 30

// SupplierLink is the absolute link a supplier opens.
func (s *Server) SupplierLink(c *fiber.Ctx, token string) string { return s.Absolute(c, "/s/"+token) }

// Absolute is path on this service as another site links to it: on
// Config.BaseURL, or the request's when none is set.
func (s *Server) Absolute(c *fiber.Ctx, path string) string {
	base := s.baseURL
	if base == "" {
		base = c.BaseURL()
	}
	return base + path
}

// resolveSupplier turns the link token in the path into the supplier's
// principal and assessment, before the policy check.
func (s *Server) resolveSupplier(c *fiber.Ctx) error {
	guessKey := "link-ip:" + c.IP()
	if err := s.Accounts.Guard(c.UserContext(), guessKey, MaxLinkGuesses); err != nil {
		RetryAfter(c, err)
		return err
	}
	a, err := s.Assessments.ForSupplier(c.UserContext(), c.Params("token"))
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.NotFound {
			if ferr := s.Accounts.Fail(c.UserContext(), guessKey, MaxLinkGuesses); ferr != nil {
				RetryAfter(c, ferr)
				return ferr
			}
		}
		return err
	}
	c.Locals(localPrincipal, followup.SupplierPrincipal(a))
	c.Locals(localAssessment, a)
	c.SetUserContext(followup.WithLoaded(c.UserContext(), a))
	return nil
}

const localAssessment = "assessment"

// SupplierAssessment is the follow-up of the supplier's link in the path,
// as resolveSupplier read it or the handler last saved it.
func SupplierAssessment(c *fiber.Ctx) *assessment.Assessment {
	a, _ := c.Locals(localAssessment).(*assessment.Assessment)
	return a
}

// KeepSupplierAssessment makes a the follow-up the rest of the request
// (the page it renders, its language) sees.
func KeepSupplierAssessment(c *fiber.Ctx, a *assessment.Assessment) { c.Locals(localAssessment, a) }
