package core

import (
	"net/netip"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/regionerna/saq/internal/account"
)

// metricsRoute serves /metrics to admins, by API token or session, and to
// the address ranges the operator names (SAQ_METRICS_FROM), for a
// Prometheus server that holds no token. A supplier link never reaches it:
// the policy admits only admins.
func (s *Server) metricsRoute() {
	serve := adaptor.HTTPHandler(s.metrics.Handler())
	s.policy["GET /metrics"] = account.ReadMetrics
	s.app.Get("/metrics", func(c *fiber.Ctx) error {
		if !s.metricsAddress(c.IP()) && !account.AllowedRoute(Principal(c), account.ReadMetrics) {
			return s.deny(c)
		}
		return serve(c)
	})
}

// metricsAddress tells whether ip may read the metrics without a token.
func (s *Server) metricsAddress(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range s.metricsFrom {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}
