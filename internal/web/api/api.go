// Package api holds the contract of /api/v1: the shapes of what it sends
// and takes, the OpenAPI description and the page that documents it, and
// the routes no page shares (questionnaires, risk areas). The audiences'
// packages serve the rest of it beside their pages.
package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web/core"
)

// handlers are the API's own routes over what every audience shares.
type handlers struct {
	*core.Server
	docs *apiDocs // openapi.yaml as /api/docs shows it
}

// Routes registers the description of the API, its documentation and the
// lists a client reads before it issues anything.
func Routes(srv *core.Server) error {
	docs, err := parseAPIDocs(OpenAPI)
	if err != nil {
		return err
	}
	s := &handlers{srv, docs}
	s.Handle("GET", "/api/v1/openapi.yaml", account.Public, s.apiDescription)
	s.Handle("GET", "/api/docs", account.Public, s.apiDocsPage)
	if s.Assessments != nil {
		s.Handle("GET", "/api/v1/questionnaires", account.SignedIn, s.apiQuestionnaires)
		s.Handle("GET", "/api/v1/risk-areas", account.SignedIn, s.apiRiskAreas)
	}
	return nil
}

func (s *handlers) apiQuestionnaires(c *fiber.Ctx) error {
	type item struct {
		ID        string            `json:"id"`
		Version   int               `json:"version"`
		Title     map[string]string `json:"title"`
		Questions int               `json:"questions"`
		Latest    bool              `json:"latest"`
	}
	out := []item{}
	for _, q := range s.Set.Questionnaires {
		latest, _ := s.Set.Latest(q.ID)
		out = append(out, item{q.ID, q.Version, q.Title, len(q.Questions()), latest == q})
	}
	return c.JSON(out)
}

func (s *handlers) apiRiskAreas(c *fiber.Ctx) error {
	return c.JSON(s.Org.RiskAreas)
}

// OpenAPI is the contract of /api/v1, served at /api/v1/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// apiDescription serves the OpenAPI description of /api/v1.
func (s *handlers) apiDescription(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	return c.Send(OpenAPI)
}
