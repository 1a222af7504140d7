// Package admin serves the administrators' pages: accounts, API tokens and
// the audit log.
package admin

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/web/core"
)

// handlers are the admin's routes over what every audience shares.
type handlers struct{ *core.Server }

// Routes registers the admin's pages.
func Routes(srv *core.Server) {
	s := &handlers{srv}
	s.Handle("GET", "/admin/users", account.ManageAccounts, s.usersPage)
	s.Handle("POST", "/admin/users", account.ManageAccounts, s.createUser)
	s.Handle("POST", "/admin/users/disable", account.ManageAccounts, s.disableUser)
	s.Handle("POST", "/admin/users/enable", account.ManageAccounts, s.enableUser)
	s.Handle("POST", "/admin/users/password-off", account.ManageAccounts, s.passwordOff)
	s.Handle("POST", "/admin/users/password-on", account.ManageAccounts, s.passwordOn)
	s.Handle("POST", "/admin/tokens", account.ManageAccounts, s.createToken)
	s.Handle("POST", "/admin/tokens/revoke", account.ManageAccounts, s.revokeToken)
	s.Handle("GET", "/admin/events", account.ReadAuditEvents, s.eventsPage)
}

// actor is the signed-in admin as the audit log names them.
func actor(c *fiber.Ctx) account.Actor {
	name := "anonymous"
	if p := core.Principal(c); p != nil {
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

func (s *handlers) usersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, fiber.Map{})
}

func (s *handlers) renderUsers(c *fiber.Ctx, status int, data fiber.Map) error {
	users, err := s.Accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	type row struct {
		account.User
		RegionName string
		Tokens     []account.Token
	}
	rows := make([]row, len(users))
	lang := core.Language(c)
	for i, u := range users {
		rows[i] = row{User: u, RegionName: s.Org.RegionName(u.Region, lang)}
		if rows[i].Tokens, err = s.Accounts.Tokens(c.UserContext(), u.ID); err != nil {
			return err
		}
	}
	data["Users"] = rows
	data["Roles"] = account.Roles
	data["Regions"] = s.Org.Regions
	return s.Render(c, status, "admin_users", data)
}

// formFailure re-renders the users page with what went wrong, or passes on
// an error that is not the user's.
func (s *handlers) formFailure(c *fiber.Ctx, err error, data fiber.Map) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	data["Error"], data["Fields"] = core.FieldErrors(err, core.Language(c))
	return s.renderUsers(c, core.StatusOf[ae.Code], data)
}

func (s *handlers) createUser(c *fiber.Ctx) error {
	var f userForm
	err := core.DecodeForm(c, &f)
	if err == nil {
		_, err = s.Accounts.CreateUser(c.UserContext(), actor(c), account.NewUser{
			Email: f.Email, Name: f.Name, Role: account.Role(f.Role), Region: f.Region, Password: f.Password,
		})
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{"Form": f})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

func (s *handlers) disableUser(c *fiber.Ctx) error { return s.onAccount(c, s.Accounts.DisableUser) }
func (s *handlers) enableUser(c *fiber.Ctx) error  { return s.onAccount(c, s.Accounts.EnableUser) }

// passwordOff requires the account's region's identity provider;
// passwordOn lets it sign in with a passphrase again.
func (s *handlers) passwordOff(c *fiber.Ctx) error {
	return s.onAccount(c, func(ctx context.Context, by account.Actor, email string) error {
		return s.Accounts.SetPasswordSignIn(ctx, by, email, false)
	})
}

func (s *handlers) passwordOn(c *fiber.Ctx) error {
	return s.onAccount(c, func(ctx context.Context, by account.Actor, email string) error {
		return s.Accounts.SetPasswordSignIn(ctx, by, email, true)
	})
}

// onAccount makes one change to the account the form names, and goes back
// to the list of accounts, or shows the list with why it was refused.
func (s *handlers) onAccount(c *fiber.Ctx, change func(ctx context.Context, by account.Actor, email string) error) error {
	var f emailForm
	err := core.DecodeForm(c, &f)
	if err == nil {
		err = change(c.UserContext(), actor(c), f.Email)
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

// createToken shows a new API token once; only its hash is kept.
func (s *handlers) createToken(c *fiber.Ctx) error {
	var f emailForm
	err := core.DecodeForm(c, &f)
	var plain string
	if err == nil {
		plain, _, err = s.Accounts.CreateToken(c.UserContext(), actor(c), f.Email)
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderUsers(c, fiber.StatusOK, fiber.Map{"NewToken": plain, "NewTokenFor": f.Email})
}

func (s *handlers) revokeToken(c *fiber.Ctx) error {
	var f emailForm
	err := core.DecodeForm(c, &f)
	if err == nil {
		err = s.Accounts.RevokeToken(c.UserContext(), actor(c), f.Email, f.Token)
	}
	if err != nil {
		return s.formFailure(c, err, fiber.Map{})
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

func (s *handlers) eventsPage(c *fiber.Ctx) error {
	f := account.EventFilter{Action: c.Query("action"), Actor: c.Query("actor"), Subject: c.Query("subject")}
	if d, err := time.Parse(time.DateOnly, c.Query("from")); err == nil {
		f.From = d
	}
	if d, err := time.Parse(time.DateOnly, c.Query("to")); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	events, err := s.Accounts.Events(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "admin_events", fiber.Map{
		"Events": events, "Action": f.Action, "Actions": i18n.Actions(), "Actor": f.Actor, "Subject": f.Subject,
		"From": c.Query("from"), "To": c.Query("to"),
	})
}
