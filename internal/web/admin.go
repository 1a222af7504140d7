package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
)

func (s *Server) adminRoutes() {
	s.handle("GET", "/admin/users", account.ManageAccounts, s.usersPage)
	s.handle("POST", "/admin/users", account.ManageAccounts, s.createUser)
	s.handle("POST", "/admin/users/disable", account.ManageAccounts, s.disableUser)
	s.handle("POST", "/admin/users/enable", account.ManageAccounts, s.enableUser)
	s.handle("POST", "/admin/tokens", account.ManageAccounts, s.createToken)
	s.handle("POST", "/admin/tokens/revoke", account.ManageAccounts, s.revokeToken)
	s.handle("GET", "/admin/events", account.ReadAuditEvents, s.eventsPage)
}

func actor(c *fiber.Ctx) account.Actor {
	name := "anonymous"
	if p := principal(c); p != nil {
		name = p.Email
	}
	return account.Actor{Name: name, IP: c.IP()}
}

type userForm struct {
	Email    string `form:"email" validate:"required,email,max=254"`
	Name     string `form:"name" validate:"required,max=200"`
	Role     string `form:"role" validate:"required,oneof=admin coordinator auditor"`
	Region   string `form:"region" validate:"required,max=64"`
	Password string `form:"password" validate:"required,max=256"`
}

type emailForm struct {
	Email string `form:"email" validate:"required,email,max=254"`
	Token string `form:"token" validate:"max=200"`
}

func (s *Server) usersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, fiber.Map{})
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, data fiber.Map) error {
	users, err := s.accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	type row struct {
		account.User
		RegionName string
		Tokens     []account.Token
	}
	rows := make([]row, len(users))
	lang := language(c)
	for i, u := range users {
		rows[i] = row{User: u, RegionName: s.org.RegionName(u.Region, lang)}
		if rows[i].Tokens, err = s.accounts.Tokens(c.UserContext(), u.ID); err != nil {
			return err
		}
	}
	data["Users"] = rows
	data["Roles"] = account.Roles
	data["Regions"] = s.org.Regions
	return s.render(c, status, "admin_users", data)
}

// formFailure re-renders the users page with what went wrong, or passes on
// an error that is not the user's.
func (s *Server) formFailure(c *fiber.Ctx, err error, data fiber.Map) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	data["Error"], data["Fields"] = fieldErrors(err, language(c))
	return s.renderUsers(c, statusOf[ae.Code], data)
}

func (s *Server) createUser(c *fiber.Ctx) error {
	var f userForm
	err := decodeForm(c, &f)
	if err == nil {
		_, err = s.accounts.CreateUser(c.UserContext(), actor(c), account.NewUser{
			Email: f.Email, Name: f.Name, Role: account.Role(f.Role), Region: f.Region, Password: f.Password,
		})
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{"Form": f})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

func (s *Server) disableUser(c *fiber.Ctx) error { return s.setUserDisabled(c, true) }
func (s *Server) enableUser(c *fiber.Ctx) error  { return s.setUserDisabled(c, false) }

func (s *Server) setUserDisabled(c *fiber.Ctx, disabled bool) error {
	var f emailForm
	err := decodeForm(c, &f)
	if err == nil {
		if disabled {
			err = s.accounts.DisableUser(c.UserContext(), actor(c), f.Email)
		} else {
			err = s.accounts.EnableUser(c.UserContext(), actor(c), f.Email)
		}
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

// createToken shows a new API token once; only its hash is kept.
func (s *Server) createToken(c *fiber.Ctx) error {
	var f emailForm
	err := decodeForm(c, &f)
	var plain string
	if err == nil {
		plain, _, err = s.accounts.CreateToken(c.UserContext(), actor(c), f.Email)
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderUsers(c, fiber.StatusOK, fiber.Map{"NewToken": plain, "NewTokenFor": f.Email})
}

func (s *Server) revokeToken(c *fiber.Ctx) error {
	var f emailForm
	err := decodeForm(c, &f)
	if err == nil {
		err = s.accounts.RevokeToken(c.UserContext(), actor(c), f.Email, f.Token)
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

func (s *Server) eventsPage(c *fiber.Ctx) error {
	f := account.EventFilter{Action: c.Query("action"), Actor: c.Query("actor"), Subject: c.Query("subject")}
	if d, err := time.Parse(time.DateOnly, c.Query("from")); err == nil {
		f.From = d
	}
	if d, err := time.Parse(time.DateOnly, c.Query("to")); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	events, err := s.accounts.Events(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_events", fiber.Map{
		"Events": events, "Action": f.Action, "Actions": i18n.Actions(), "Actor": f.Actor, "Subject": f.Subject,
		"From": c.Query("from"), "To": c.Query("to"),
	})
}
