package web_test

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// who may use each route, written out here independently of the policy, so a
// change to either shows up as a difference. Every registered route must be
// listed: a new route fails this test until someone decides who may use it.
//
//	everyone: also signed out; accounts: any signed-in role; admin: admin only;
//	writers: admin and coordinators; own-region: admin and coordinators of the
//	resource's region; link: whoever holds the supplier link.
var routeAccess = map[string]string{
	"GET /healthz": "everyone",
	"GET /readyz":  "everyone",
	"GET /metrics": "admin",

	"POST /api/v1/suppliers/:org/contact-erasure": "admin",
	"GET /":                             "everyone",
	"GET /login":                        "everyone",
	"POST /login":                       "everyone",
	"GET /login/sso/:provider":          "everyone",
	"GET /login/sso/:provider/callback": "everyone",
	"POST /logout":                      "accounts",
	"GET /account/password":             "accounts",
	"POST /account/password":            "accounts",
	"GET /api/v1/me":                    "accounts",
	"GET /admin/users":                  "admin",
	"POST /admin/users":                 "admin",
	"POST /admin/users/disable":         "admin",
	"POST /admin/users/enable":          "admin",
	"POST /admin/users/password-off":    "admin",
	"POST /admin/users/password-on":     "admin",
	"POST /admin/tokens":                "admin",
	"POST /admin/tokens/revoke":         "admin",
	"GET /admin/events":                 "admin",

	"GET /api/v1/questionnaires":             "accounts",
	"GET /api/v1/risk-areas":                 "accounts",
	"POST /api/v1/assessments":               "writers",
	"POST /api/v1/campaigns":                 "writers",
	"GET /assessments":                       "accounts",
	"GET /outbox":                            "accounts",
	"GET /assessments/new":                   "writers",
	"POST /assessments":                      "writers",
	"POST /assessments/campaign":             "writers",
	"GET /api/v1/assessments":                "accounts",
	"GET /api/v1/assessments/:id":            "accounts",
	"GET /api/v1/suppliers/:org":             "accounts",
	"POST /api/v1/assessments/:id/link":      "own-region",
	"POST /assessments/:id/link":             "own-region",
	"GET /s/:token/blank.pdf":                "link",
	"GET /api/v1/s/:token":                   "link",
	"PUT /api/v1/s/:token/answers":           "link",
	"POST /api/v1/s/:token/submit":           "link",
	"GET /s/:token":                          "link",
	"GET /s/:token/section/:n":               "link",
	"POST /s/:token/section/:n":              "link",
	"GET /s/:token/review":                   "link",
	"POST /s/:token/submit":                  "link",
	"GET /s/:token/receipt":                  "link",
	"POST /s/:token/files/:qid":              "link",
	"POST /s/:token/files/:fid/delete":       "link",
	"GET /s/:token/files/:fid":               "link",
	"POST /api/v1/s/:token/files/:qid":       "link",
	"GET /api/v1/assessments/:id/files/:fid": "accounts",
	"GET /assessments/:id/files/:fid":        "accounts",

	"GET /assessments/:id":         "accounts",
	"GET /suppliers/:org":          "accounts",
	"GET /api/v1/assessments.csv":  "accounts",
	"GET /api/v1/assessments.xlsx": "accounts",
	"GET /assessments.csv":         "accounts",
	"GET /assessments.xlsx":        "accounts",
	"GET /api/v1/dashboard":        "accounts",
	"GET /dashboard":               "accounts",
	"GET /api/v1/stats":            "admin",
	"GET /stats":                   "admin",
	"GET /api/v1/openapi.yaml":     "everyone",
	"GET /api/docs":                "everyone",
	"POST /s/:token/actions/:dev":  "link",

	"GET /assessments/:id/report.pdf":        "accounts",
	"GET /api/v1/assessments/:id/report.pdf": "accounts",
	"GET /stats/report.pdf":                  "admin",
	"GET /api/v1/stats/report.pdf":           "admin",
	"POST /api/v1/s/:token/actions/:dev":     "link",
	"POST /s/:token/plan":                    "link",
	"PUT /api/v1/s/:token/plan/:dev":         "link",
	"POST /api/v1/s/:token/plan":             "link",
}

func init() {
	// Every reviewer operation is a form route and a JSON route; recording
	// a finding and judging the evidence are open to auditors as well.
	for _, op := range []string{"POST /review", "POST /return", "POST /comments", "POST /deviations/:dev/decision",
		"PUT /deviations/:dev/action", "POST /deviations/:dev/settle", "POST /deviations/:dev/move", "POST /plan", "POST /close", "POST /withdraw", "POST /deviations",
		"POST /verdicts", "POST /deviations/:dev/files", "POST /plan/request", "PUT /due-date", "PUT /contact"} {
		method, path, _ := strings.Cut(op, " ")
		access := "own-region"
		if path == "/deviations" || path == "/verdicts" || path == "/deviations/:dev/files" {
			access = "finders"
		}
		routeAccess[method+" /api/v1/assessments/:id"+path] = access
		routeAccess["POST /assessments/:id"+path] = access
	}
}

// principals: signed out, and each role; coordinators both of the region a
// resource belongs to (Skåne) and of another (Halland).
var principals = []struct{ name, email string }{
	{"anonymous", ""},
	{"admin", "admin@saq.se"},
	{"coordinator-own-region", "coord@skane.se"},
	{"coordinator-other-region", "coord@halland.se"},
	{"auditor", "audit@saq.se"},
}

func allowed(access, who string) bool {
	switch access {
	case "everyone", "link":
		return true
	case "own-region":
		return who == "admin" || who == "coordinator-own-region"
	case "finders":
		return who == "admin" || who == "coordinator-own-region" || who == "auditor"
	case "writers":
		return who == "admin" || strings.HasPrefix(who, "coordinator")
	case "accounts":
		return who != "anonymous"
	case "admin":
		return who == "admin"
	}
	return false
}

func TestRouteRoleMatrix(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	policy := s.srv.Policy()
	var routes []string
	for _, r := range s.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" { // Fiber's automatic twin of each GET
			continue
		}
		key := r.Method + " " + r.Path
		routes = append(routes, key)
		if _, ok := policy[key]; !ok {
			t.Errorf("route %s is registered without a policy entry (use Server.handle)", key)
		}
		if _, ok := routeAccess[key]; !ok {
			t.Errorf("route %s is missing from routeAccess: decide who may use it", key)
		}
	}
	sort.Strings(routes)
	if len(routes) != len(routeAccess) {
		t.Errorf("%d routes registered, %d in routeAccess", len(routes), len(routeAccess))
	}

	cells := 0
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		// A fresh assessment per route: some routes (a new link, a submit) change it.
		id, token := s.issueSample(t)
		path = strings.NewReplacer(":id", id, ":token", token, ":n", "1", ":qid", "Q2.2", ":fid", "f00", ":dev", "d00", ":org", "556677-8899").Replace(path)
		for _, who := range principals {
			cells++
			t.Run(route+"/"+who.name, func(t *testing.T) {
				b := s.browser(t)
				b.ip = "198.51.100." + string(rune('1'+cells%9))
				token := b.do("GET", "/login", nil).csrf()
				if who.email != "" {
					token = b.signIn(who.email)
				}
				var form url.Values
				if method == "POST" {
					form = url.Values{"_csrf": {token}}
				}
				var p page
				machine := strings.HasPrefix(path, "/api/") || path == "/metrics" // takes API tokens, not sessions
				if machine && who.email != "" && routeAccess[route] != "link" {
					plain, _, err := s.accounts.CreateToken(t.Context(), testActor, who.email)
					if err != nil {
						t.Fatal(err)
					}
					p = b.api(method, path, plain)
				} else {
					p = b.do(method, path, form)
				}
				toLogin := p.status == 303 && strings.HasPrefix(p.header.Get("Location"), "/login")
				denied := p.status == 401 || p.status == 403 || toLogin
				want := allowed(routeAccess[route], who.name)
				switch {
				case want && denied:
					t.Errorf("%s refused %s: %d", route, who.name, p.status)
				case !want && !denied:
					t.Errorf("%s let %s through: %d", route, who.name, p.status)
				case !want && who.email != "" && p.status != 403:
					t.Errorf("%s for signed-in %s: %d, want 403", route, who.name, p.status)
				}
			})
		}
	}
	t.Logf("route × principal matrix: %d routes × %d principals = %d cells", len(routes), len(principals), cells)
}
