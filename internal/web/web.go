// Package web is the HTTP side of the service (Fiber). It puts together the
// shared core (internal/web/core) and one package per audience: the
// supplier's link, the staff's pages, the admin's, sign-in, and the API's
// contract. It turns requests into calls on the domain and knows nothing of
// the database driver.
package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web/admin"
	"github.com/regionerna/saq/internal/web/api"
	"github.com/regionerna/saq/internal/web/core"
	"github.com/regionerna/saq/internal/web/signin"
	"github.com/regionerna/saq/internal/web/staff"
	"github.com/regionerna/saq/internal/web/supplier"
)

// Config is what the HTTP side needs.
type Config = core.Config

// Pinger reports whether the database answers.
type Pinger = core.Pinger

// Limits as the audiences' packages set them.
const (
	MaxUploadsPerAddress = core.MaxUploadsPerAddress
	MaxLinkGuesses       = core.MaxLinkGuesses
)

// OpenAPI is the contract of /api/v1.
var OpenAPI = api.OpenAPI

// Server is the app with every audience's routes in place.
type Server struct{ shared *core.Server }

// New builds the app with every route and middleware in place.
func New(cfg Config) (*Server, error) {
	c, err := core.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := api.Routes(c); err != nil {
		return nil, err
	}
	signin.Routes(c)
	admin.Routes(c)
	if c.Assessments != nil {
		supplier.Routes(c)
		staff.Routes(c)
	}
	return &Server{c}, nil
}

// App returns the Fiber app, to serve or to test with app.Test.
func (s *Server) App() *fiber.App { return s.shared.App() }

// Policy returns the route table: "METHOD /path" to the action checked.
func (s *Server) Policy() map[string]account.Action { return s.shared.Policy() }
