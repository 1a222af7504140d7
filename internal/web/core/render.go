package core

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/trailtext"
)

// pages holds one template set per page, each the base layout plus the page.
type pages struct {
	byName map[string]*template.Template
}

// parsePages parses base.html with each other *.html file. The "t" function
// is a placeholder here; render binds it to the request's language.
func parsePages(fsys fs.FS) (*pages, error) {
	var none *Server // the functions' closures are bound per request in render
	funcs := none.localFuncs(i18n.Default)
	funcs["list"] = func(xs ...string) []string { return xs }
	funcs["add"] = func(a, b int) int { return a + b }
	// qnum is a question's number as a supplier reads it: "1.3" for Q1.3;
	// a module's (M1.1) keeps its letter.
	funcs["ref"] = assessment.Reference
	funcs["qnum"] = func(id string) string { return strings.TrimPrefix(id, "Q") }
	base, err := template.New("base.html").Funcs(funcs).ParseFS(fsys, "base.html")
	if err != nil {
		return nil, fmt.Errorf("parse base template: %w", err)
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		if name == "base.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.byName[strings.TrimSuffix(name, ".html")] = t
	}
	return p, nil
}

// localFuncs are the template functions that speak the reader's language:
// texts, and numbers, dates and sizes as the reader writes them.
func (s *Server) localFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		// Ids the service stores, in words.
		"region":    func(id string) string { return s.Org.RegionName(id, lang) },
		"country":   func(code string) string { return s.Org.CountryName(code, lang) },
		"countries": func(codes string) string { return s.Org.CountryList(codes, lang) },
		// supplier is the address of a supplier's page in the register.
		"supplier": func(org string) string { return "/suppliers/" + url.PathEscape(org) },
		"riskarea": func(id string) string { return s.Org.RiskAreaName(id, lang) },
		"role":     func(r account.Role) string { return i18n.T(lang, "role."+string(r)) },
		"level":    func(l questionnaire.Level) string { return i18n.T(lang, "level."+string(l)) },
		"act":      func(id string) string { return i18n.T(lang, "act."+id) },
		"change":   func(c assessment.Change) [3]string { f, b, a := trailtext.Words(c, lang); return [3]string{f, b, a} },
		"req":      func(id string) string { return s.RequirementName(id, lang) },
		"area":     func(id string) string { return s.AreaTitle(id, lang) },
		"t":        func(key string) string { return i18n.T(lang, key) },
		// pct shows a percentage, or "–" where nothing applied.
		"pct":        func(v *float64) string { return i18n.Percent(lang, v) },
		"milestones": milestoneLines,
		// verdicts are the desk audit's choices, "not judged" first.
		"verdicts": func() []string {
			out := []string{""}
			for _, v := range scoring.Verdicts {
				out = append(out, string(v))
			}
			return out
		},
		"share": func(v *float64) string { f := *v * 100; return i18n.Percent(lang, &f) },
		"num":   func(v *float64) string { return i18n.Decimal(lang, *v, 1) },
		"date":  func(t time.Time) string { return i18n.Time(lang, t) },
		"day":   func(d string) string { return i18n.Day(lang, d) },
		"dayOf": func(t time.Time) string { return i18n.DayOf(lang, t) },
		// when is a time the API writes (RFC 3339) as the reader writes it.
		"when": func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return i18n.Time(lang, t)
		},
		"size":   func(n int64) string { return i18n.Size(lang, n) },
		"plural": func(key string, n int) string { return i18n.Plural(lang, key, n) },
	}
}

// view is what every page template gets.
type view struct {
	Lang string
	Data any
	CSRF string             // the token for this page's forms
	User *account.Principal // nil when nobody is signed in
	Path string             // the page's path, for the language switch
	// Passwords says whether passphrases are in use: the service's and
	// the account's own switch.
	Passwords bool
}

// Render writes page in the request's language with the given status.
func (s *Server) Render(c *fiber.Ctx, status int, page string, data any) error {
	t, ok := s.pages.byName[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	lang := Language(c)
	t, err := t.Clone()
	if err != nil {
		return fmt.Errorf("clone template %s: %w", page, err)
	}
	t.Funcs(s.localFuncs(lang))
	var buf bytes.Buffer
	v := view{Lang: lang, Data: data, CSRF: s.csrfToken(c), User: Principal(c), Path: c.Path()}
	v.Passwords = !s.PasswordsOff && (v.User == nil || !v.User.PasswordOff)
	if err := t.ExecuteTemplate(&buf, "base", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentLanguage, lang)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptLanguage)
	return c.Status(status).Type("html", "utf-8").Send(buf.Bytes())
}

// Language is the request's Language: ?lang= if it names one we speak (and
// then remembered), else the one remembered, else on a supplier's pages the
// one the questionnaire was issued in, else the Accept-Language header
// (which is what API clients set).
func Language(c *fiber.Ctx) string {
	if l := c.Query("lang"); i18n.Supported(l) {
		if c.Cookies(langCookie) != l {
			c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: fiber.CookieSameSiteLaxMode, HTTPOnly: true})
		}
		return l
	}
	if l := c.Cookies(langCookie); i18n.Supported(l) {
		return l
	}
	if a := SupplierAssessment(c); a != nil && !isAPI(c) && i18n.Supported(a.Language) {
		return a.Language // the language the questionnaire was issued in
	}
	return i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage))
}

// langCookie remembers a language chosen with ?lang=.
const langCookie = "saq_lang"

// RequirementName is a requirement's code with its title: "DD-POLICY –
// Policy och åtagande"; the code alone where it is unknown.
func (s *Server) RequirementName(id, lang string) string {
	if s.Set != nil {
		if r, ok := s.Set.Catalogue.Requirement(id); ok {
			return id + " – " + r.Title.In(lang)
		}
	}
	return id
}

// AreaTitle is the title of a requirement area, or its id where unknown.
func (s *Server) AreaTitle(id, lang string) string {
	if s.Set != nil {
		for _, a := range s.Set.Catalogue.Areas {
			if a.ID == id {
				return a.Title.In(lang)
			}
		}
	}
	return id
}
