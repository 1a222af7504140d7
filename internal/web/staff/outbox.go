package staff

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web/core"
)

// outboxPage shows the messages sent for the caller's region (all, for admins).
// outboxPage is how many messages the outbox shows a page.
const outboxPage = 25

func (s *handlers) outboxPage(c *fiber.Ctx) error {
	if s.Notifier == nil {
		return fiber.ErrNotFound
	}
	p := core.Principal(c)
	region := p.Region
	if p.Role == account.Admin {
		region = ""
	}
	// A page at a time, the next one read after this one's last message.
	msgs, more, err := s.Notifier.OutboxPage(c.UserContext(), region, c.Query("before"), outboxPage)
	if err != nil {
		return err
	}
	data := fiber.Map{"Messages": msgs, "First": c.Query("before") == ""}
	if more && len(msgs) > 0 {
		data["Older"] = "/outbox?before=" + url.QueryEscape(msgs[len(msgs)-1].ID)
	}
	return s.Render(c, fiber.StatusOK, "outbox", data)
}
