package web_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/regionerna/saq/internal/web"
)

// Every API route registered is described in the OpenAPI file served at
// /api/v1/openapi.yaml, and every path described is registered.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := s.browser(t).do("GET", "/api/v1/openapi.yaml", nil)
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("openapi.yaml: %d %s", p.status, p.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal([]byte(p.body), &doc); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, r := range s.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		path := r.Path
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
			}
		}
		key := strings.ToLower(r.Method) + " " + path
		registered[key] = true
		op, ok := doc.Paths[path][strings.ToLower(r.Method)].(map[string]any)
		if !ok {
			t.Errorf("%s %s is not in openapi.yaml", r.Method, path)
			continue
		}
		if op["summary"] == nil || op["responses"] == nil {
			t.Errorf("%s %s has no summary or responses", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" && !registered[method+" "+path] {
				t.Errorf("openapi.yaml describes %s %s, which is not a route", method, path)
			}
		}
	}
}

// /api/docs shows every operation of the document, every kind of problem
// under the anchor its type URI names, and every schema.
func TestAPIDocsPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	p := b.do("GET", "/api/docs", nil)
	if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs: %d %s", p.status, p.header.Get("Content-Type"))
	}
	var doc struct {
		Paths      map[string]map[string]any `yaml:"paths"`
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(web.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" && !strings.Contains(p.body, "<code>"+strings.ToUpper(method)+" "+path+"</code>") {
				t.Errorf("the page lacks %s %s", method, path)
			}
		}
	}
	for name := range doc.Components.Schemas {
		if !strings.Contains(p.body, `id="schema-`+name+`"`) {
			t.Errorf("the page lacks schema %s", name)
		}
	}
	// A problem's type leads to its kind on the page.
	for _, path := range []string{"/api/v1/assessments/nope", "/api/v1/me"} {
		problem := b.api("GET", path, "")
		_, anchor, _ := strings.Cut(problem.body, `"type":"/api/docs#`)
		anchor, _, _ = strings.Cut(anchor, `"`)
		if anchor == "" || !strings.Contains(p.body, `id="`+anchor+`"`) {
			t.Errorf("%s: type anchor %q not on the page", path, anchor)
		}
	}
	if !strings.Contains(p.body, "<strong>required</strong>") || !strings.Contains(p.body, `<a href="#schema-Summary">Summary</a>`) {
		t.Error("the schemas are not shown with their required fields and links")
	}
}

// The contract is plain YAML 1.2 (no merge keys, anchors or aliases, which
// generators and validating proxies do not expand), and every operation
// has an operationId of its own, as client generators need.
func TestOpenAPIIsPlainWithOperationIDs(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	if err := yaml.Unmarshal(web.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Tag == "!!merge" {
			t.Errorf("line %d: anchor, alias or merge key (%q)", n.Line, n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)

	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(web.OpenAPI, &spec); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for path, ops := range spec.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			id, _ := op.(map[string]any)["operationId"].(string)
			switch prev, dup := seen[id]; {
			case id == "":
				t.Errorf("%s %s has no operationId", method, path)
			case dup:
				t.Errorf("operationId %s on %s %s and %s", id, method, path, prev)
			}
			seen[id] = method + " " + path
		}
	}
}
