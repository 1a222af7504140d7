package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/web"
)

// The API's contract is its OpenAPI document. Every request the API tests
// make goes through roundTrip, which checks it against the document: a
// request the document allows gets a response the document describes, in
// status and in body; a request it does not allow is refused (4xx). So the
// document cannot drift from the code while the tests pass.

var contract struct {
	once   sync.Once
	router routers.Router
	err    error
}

func contractRouter(t testing.TB) routers.Router {
	contract.once.Do(func() {
		for _, ct := range []string{"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/yaml", "text/plain",
			"image/png", "image/jpeg", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(web.OpenAPI)
		if err != nil {
			contract.err = fmt.Errorf("load openapi.yaml: %w", err)
			return
		}
		contract.router, contract.err = legacy.NewRouter(doc)
	})
	if contract.err != nil {
		t.Fatal(contract.err)
	}
	return contract.router
}

// roundTrip sends req to app and checks both ends against the contract
// when it is an API request. The response's body can be read as usual.
func roundTrip(t testing.TB, app *fiber.App, req *http.Request) (*http.Response, error) {
	t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := app.Test(req, -1)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return resp, err
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	for _, problem := range checkContract(t, req, resp, respBody) {
		t.Errorf("contract: %s %s → %d: %s", req.Method, req.URL.Path, resp.StatusCode, problem)
	}
	return resp, nil
}

// checkContract returns what in the exchange the document does not allow.
func checkContract(t testing.TB, req *http.Request, resp *http.Response, body []byte) []string {
	router := contractRouter(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		if resp.StatusCode == 404 || resp.StatusCode == 405 {
			return nil // no such operation, and the service says so
		}
		return []string{"no operation in openapi.yaml: " + err.Error()}
	}
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	var problems []string
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && resp.StatusCode < 400 {
		problems = append(problems, fmt.Sprintf("the request is outside the contract, yet was accepted: %v", short(err)))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, fmt.Sprintf("the response is not as described: %v\n%.300s", short(err), body))
	}
	return problems
}

func short(err error) string {
	s := err.Error()
	if len(s) > 1200 {
		s = s[:1200] + "…"
	}
	return s
}

// The check itself: it catches a response unlike the document, and a
// request outside it that the service accepted; it passes one that matches.
func TestContractCatchesDrift(t *testing.T) {
	t.Parallel()
	exchange := func(method, path, reqBody string, status int, respBody string) []string {
		req := httptest.NewRequest(method, path, strings.NewReader(reqBody))
		if reqBody != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		ct := "application/json"
		if status >= 400 {
			ct = "application/problem+json"
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}}
		return checkContract(t, req, resp, []byte(respBody))
	}
	me := `{"email": "a@b.se", "name": "A", "role": "auditor", "region": "national"}`
	for _, tt := range []struct {
		name                    string
		method, path, req, resp string
		status                  int
		want                    string // "" for no problem
	}{
		{"as described", "GET", "/api/v1/me", "", me, 200, ""},
		{"a field renamed", "GET", "/api/v1/me", "", strings.Replace(me, `"role"`, `"Role"`, 1), 200, "not as described"},
		{"a wrong type", "GET", "/api/v1/me", "", strings.Replace(me, `"A"`, `7`, 1), 200, "not as described"},
		{"a status not described", "GET", "/api/v1/me", "", me, 201, "not as described"},
		{"an unknown field accepted", "PUT", "/api/v1/s/tok/answers", `{"version": 1, "answers": {}, "status": "closed"}`,
			`{"version": 2, "status": "in_progress", "progress": {"answered": 0, "total": 1}, "revs": {}}`, 200, "outside the contract"},
		{"an unknown field refused", "PUT", "/api/v1/s/tok/answers", `{"version": 1, "answers": {}, "status": "closed"}`,
			`{"type": "/api/docs#problem-invalid-input", "title": "Invalid input", "status": 422, "detail": "x"}`, 422, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(exchange(tt.method, tt.path, tt.req, tt.status, tt.resp), "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}
