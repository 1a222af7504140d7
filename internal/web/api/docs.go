package api

import (
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gopkg.in/yaml.v3"

	"github.com/regionerna/saq/internal/i18n"
	"github.com/regionerna/saq/internal/web/core"
)

// /api/docs shows the OpenAPI document as a page people can read, made on
// the server from the same file the contract test checks: no script, no
// copy that could drift.

type apiDocs struct {
	Title, Version, Description string
	Ops                         []docOp
	Schemas                     []docSchema
}

type docOp struct {
	Method, Path, Summary, Description, Anchor string
	Params                                     []docParam
	Body                                       []docContent
	Responses                                  []docResponse
}

type docParam struct {
	Name, In, Description string
	Required              bool
	Schema                template.HTML
}

type docContent struct {
	Type   string
	Schema template.HTML
}

type docResponse struct {
	Status, Description string
	Content             []docContent
}

type docSchema struct {
	Name   string
	Schema template.HTML
}

// parseAPIDocs reads the document into what the page shows.
func parseAPIDocs(data []byte) (*apiDocs, error) {
	var doc struct {
		Info struct {
			Title, Version, Description string
		}
		Paths      map[string]map[string]any
		Components struct {
			Parameters map[string]map[string]any
			Responses  map[string]map[string]any
			Schemas    map[string]any
		}
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi.yaml: %w", err)
	}
	d := &apiDocs{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description}
	param := func(p map[string]any) docParam {
		if ref, ok := p["$ref"].(string); ok {
			p = doc.Components.Parameters[refName(ref)]
		}
		req, _ := p["required"].(bool)
		return docParam{Name: str(p["name"]), In: str(p["in"]), Description: str(p["description"]), Required: req, Schema: schemaHTML(p["schema"])}
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
		item := doc.Paths[path]
		var shared []docParam
		for _, p := range list(item["parameters"]) {
			shared = append(shared, param(p))
		}
		for _, method := range []string{"get", "post", "put", "delete"} {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			o := docOp{Method: strings.ToUpper(method), Path: path, Summary: str(op["summary"]), Description: str(op["description"]),
				Anchor: strings.ToLower(method) + strings.NewReplacer("/", "-", "{", "", "}", "", ".", "-").Replace(path), Params: slices.Clone(shared)}
			for _, p := range list(op["parameters"]) {
				o.Params = append(o.Params, param(p))
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				o.Body = contents(body["content"])
			}
			responses, _ := op["responses"].(map[string]any)
			for _, status := range slices.Sorted(maps.Keys(responses)) {
				r, _ := responses[status].(map[string]any)
				if ref, ok := r["$ref"].(string); ok {
					r = doc.Components.Responses[refName(ref)]
				}
				o.Responses = append(o.Responses, docResponse{Status: status, Description: str(r["description"]), Content: contents(r["content"])})
			}
			d.Ops = append(d.Ops, o)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		d.Schemas = append(d.Schemas, docSchema{name, schemaHTML(doc.Components.Schemas[name])})
	}
	return d, nil
}

func contents(v any) []docContent {
	m, _ := v.(map[string]any)
	var out []docContent
	for _, ct := range slices.Sorted(maps.Keys(m)) {
		c, _ := m[ct].(map[string]any)
		out = append(out, docContent{ct, schemaHTML(c["schema"])})
	}
	return out
}

// schemaHTML writes a schema as nested lists: each property with its type,
// whether it is required, and its description; a $ref links to the schema.
func schemaHTML(v any) template.HTML {
	var b strings.Builder
	writeSchema(&b, v, 0)
	return template.HTML(b.String()) // every text in it went through template.HTMLEscapeString
}

func writeSchema(b *strings.Builder, v any, depth int) {
	s, ok := v.(map[string]any)
	if !ok || depth > 8 {
		return
	}
	esc := template.HTMLEscapeString
	if ref, ok := s["$ref"].(string); ok {
		fmt.Fprintf(b, `<a href="#schema-%s">%s</a>`, esc(refName(ref)), esc(refName(ref)))
		return
	}
	typ := str(s["type"])
	if typ == "array" {
		b.WriteString("array of ")
		writeSchema(b, s["items"], depth+1)
		return
	}
	b.WriteString("<code>" + esc(typ) + "</code>")
	for _, k := range []string{"format", "pattern"} {
		if f := str(s[k]); f != "" {
			b.WriteString(" (" + esc(f) + ")")
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		var vals []string
		for _, e := range enum {
			vals = append(vals, esc(fmt.Sprint(e)))
		}
		b.WriteString(": " + strings.Join(vals, " | "))
	}
	if n, _ := s["nullable"].(bool); n {
		b.WriteString(", or null")
	}
	if d := str(s["description"]); d != "" {
		b.WriteString(" — " + esc(d))
	}
	props, _ := s["properties"].(map[string]any)
	if len(props) > 0 {
		required := map[string]bool{}
		names, _ := s["required"].([]any)
		for _, r := range names {
			required[fmt.Sprint(r)] = true
		}
		b.WriteString("<ul>")
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if name == "<<" {
				continue
			}
			b.WriteString("<li><code>" + esc(name) + "</code>")
			if required[name] {
				b.WriteString(" <strong>required</strong>")
			}
			b.WriteString(": ")
			writeSchema(b, props[name], depth+1)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	if extra, ok := s["additionalProperties"].(map[string]any); ok {
		b.WriteString(" with values: ")
		writeSchema(b, extra, depth+1)
	}
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func list(v any) []map[string]any {
	var out []map[string]any
	items, _ := v.([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func (s *handlers) apiDocsPage(c *fiber.Ctx) error {
	type kind struct {
		ID, Title string
		Statuses  []int
	}
	byKind := map[string][]int{}
	for status, k := range core.ProblemKinds {
		byKind[k] = append(byKind[k], status)
	}
	var kinds []kind
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		slices.Sort(byKind[k])
		kinds = append(kinds, kind{k, i18n.T(core.Language(c), "problem."+k), byKind[k]})
	}
	return s.Render(c, fiber.StatusOK, "api_docs", fiber.Map{"Docs": s.docs, "Kinds": kinds})
}
