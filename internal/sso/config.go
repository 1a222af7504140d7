package sso

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/regionerna/saq/internal/account"
)

// FromEnv reads one provider from SAQ_OIDC_* ("" issuer: none), and more
// from the YAML file SAQ_OIDC_PROVIDERS names. baseURL makes the default
// redirect URL, {baseURL}/login/sso/{id}/callback.
func FromEnv(getenv func(string) string, baseURL string) ([]Provider, error) {
	var out []Provider
	if issuer := getenv("SAQ_OIDC_ISSUER"); issuer != "" {
		p := Provider{
			ID: or(getenv("SAQ_OIDC_ID"), "idp"), Name: getenv("SAQ_OIDC_NAME"), Issuer: issuer,
			ClientID: getenv("SAQ_OIDC_CLIENT_ID"), ClientSecret: getenv("SAQ_OIDC_CLIENT_SECRET"),
			RedirectURL: getenv("SAQ_OIDC_REDIRECT_URL"), Scopes: strings.Fields(getenv("SAQ_OIDC_SCOPES")),
			EmailClaim: getenv("SAQ_OIDC_EMAIL_CLAIM"), TrustEmail: getenv("SAQ_OIDC_TRUST_EMAIL") == "true",
			GroupsClaim: getenv("SAQ_OIDC_GROUPS_CLAIM"),
		}
		rules, err := ParseRules(getenv("SAQ_OIDC_PROVISION"))
		if err != nil {
			return nil, fmt.Errorf("SAQ_OIDC_PROVISION: %w", err)
		}
		p.Provision = rules
		out = append(out, p)
	}
	if path := getenv("SAQ_OIDC_PROVIDERS"); path != "" {
		more, err := LoadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	seen := map[string]bool{}
	for i := range out {
		p := &out[i]
		if p.RedirectURL == "" && baseURL != "" {
			p.RedirectURL = strings.TrimSuffix(baseURL, "/") + "/login/sso/" + p.ID + "/callback"
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("identity provider %q: %w", p.ID, err)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("identity provider %q is configured twice", p.ID)
		}
		seen[p.ID] = true
	}
	return out, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// fileProvider is a provider in the YAML file.
type fileProvider struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	Issuer       string   `yaml:"issuer"`
	ClientID     string   `yaml:"client_id"`
	ClientSecret string   `yaml:"client_secret"`
	RedirectURL  string   `yaml:"redirect_url"`
	Scopes       []string `yaml:"scopes"`
	EmailClaim   string   `yaml:"email_claim"`
	TrustEmail   bool     `yaml:"trust_email"`
	GroupsClaim  string   `yaml:"groups_claim"`
	Provision    []struct {
		Value  string `yaml:"value"`
		Role   string `yaml:"role"`
		Region string `yaml:"region"`
	} `yaml:"provision"`
}

// LoadFile reads the providers of a YAML file: a list of id, name, issuer,
// client_id, client_secret, redirect_url, scopes, email_claim, trust_email,
// groups_claim and provision (value, role, region).
func LoadFile(path string) ([]Provider, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity providers: %w", err)
	}
	var list []fileProvider
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("identity providers %s: %w", path, err)
	}
	out := make([]Provider, 0, len(list))
	for _, f := range list {
		p := Provider{ID: f.ID, Name: f.Name, Issuer: f.Issuer, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
			RedirectURL: f.RedirectURL, Scopes: f.Scopes, EmailClaim: f.EmailClaim, TrustEmail: f.TrustEmail, GroupsClaim: f.GroupsClaim}
		for _, r := range f.Provision {
			p.Provision = append(p.Provision, Rule{Value: r.Value, Grant: account.Grant{Role: account.Role(r.Role), Region: r.Region}})
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseRules reads "value=role:region; value=role:region", the mapping of
// a group or role claim to the account made on first sign-in.
func ParseRules(s string) ([]Rule, error) {
	var out []Rule
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		value, grant, ok := strings.Cut(part, "=")
		role, region, ok2 := strings.Cut(grant, ":")
		if !ok || !ok2 || strings.TrimSpace(value) == "" {
			return nil, fmt.Errorf("%q: write value=role:region, e.g. saq-coordinators-halland=coordinator:halland", part)
		}
		out = append(out, Rule{Value: strings.TrimSpace(value),
			Grant: account.Grant{Role: account.Role(strings.TrimSpace(role)), Region: strings.TrimSpace(region)}})
	}
	return out, nil
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// check refuses a provider that cannot work, with what to fix.
func (p Provider) check() error {
	switch {
	case !idPattern.MatchString(p.ID):
		return fmt.Errorf("give an id of lower-case letters, digits and dashes, e.g. skane")
	case p.Name == "":
		return fmt.Errorf("give a name for the sign-in button, e.g. Region Skåne")
	case p.ClientID == "":
		return fmt.Errorf("give the client id the provider registered")
	case p.RedirectURL == "":
		return fmt.Errorf("give the redirect URL, or SAQ_BASE_URL to make it from")
	}
	if u, err := url.Parse(p.Issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !loopback(u.Hostname())) {
		return fmt.Errorf("issuer %q: give the provider's https URL", p.Issuer)
	}
	for _, r := range p.Provision {
		switch r.Role {
		case account.Admin, account.Coordinator, account.Auditor:
		default:
			return fmt.Errorf("provision %q: role %q is not admin, coordinator or auditor", r.Value, r.Role)
		}
	}
	return nil
}

// loopback allows plain http for a provider on this machine, as in tests.
func loopback(host string) bool { return host == "127.0.0.1" || host == "::1" || host == "localhost" }
