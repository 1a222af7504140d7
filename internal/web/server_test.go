package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/store"
	"github.com/regionerna/saq/internal/store/storetest"
	"github.com/regionerna/saq/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type testServer struct {
	*web.Server
	logs *bytes.Buffer
}

func newServer(t *testing.T, db web.Pinger) testServer {
	t.Helper()
	set := questionnairetest.Set(t)
	var logs bytes.Buffer
	s, err := web.New(web.Config{
		Logger:         slog.New(slog.NewJSONHandler(&logs, nil)),
		DB:             db,
		Questionnaires: set,
		BodyLimit:      4096,
	})
	if err != nil {
		t.Fatal(err)
	}
	return testServer{s, &logs}
}

func do(t *testing.T, app *fiber.App, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	s := newServer(t, storetest.New(t))
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, body := do(t, s.App(), httptest.NewRequest("GET", path, nil))
		if resp.StatusCode != 200 || !strings.Contains(body, `"status"`) {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode, body)
		}
	}
}

func TestNotReadyWhenDatabaseIsGone(t *testing.T) {
	t.Parallel()
	if storetest.External() {
		t.Skip("embedded server only")
	}
	db, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	db.Close(context.Background())
	s := newServer(t, db)
	resp, body := do(t, s.App(), httptest.NewRequest("GET", "/readyz", nil))
	if resp.StatusCode != 503 || !strings.Contains(body, "unavailable") {
		t.Errorf("GET /readyz with the database stopped = %d %s, want 503", resp.StatusCode, body)
	}
	resp, _ = do(t, s.App(), httptest.NewRequest("GET", "/healthz", nil))
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz = %d, want 200: the process is alive", resp.StatusCode)
	}
}

func TestStartPage(t *testing.T) {
	t.Parallel()
	s := newServer(t, storetest.New(t))
	tests := []struct {
		name, url, acceptLang, want, lang string
	}{
		{"Swedish by default", "/", "", "Självutvärdering för hållbara leveranskedjor", "sv"},
		{"English by header", "/", "en-GB,en;q=0.9", "Self-assessment for sustainable supply chains", "en"},
		{"English by query", "/?lang=en", "sv", "Code of conduct self-assessment for suppliers", "en"},
		{"questionnaire listed", "/", "sv", "Självutvärdering av uppförandekod för leverantörer (version 1, 69 frågor)", "sv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.url, nil)
			req.Header.Set("Accept-Language", tt.acceptLang)
			resp, body := do(t, s.App(), req)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if !strings.Contains(body, tt.want) || !strings.Contains(body, `<html lang="`+tt.lang+`">`) {
				t.Errorf("page lacks %q or lang %s:\n%s", tt.want, tt.lang, body)
			}
		})
	}
	resp, body := do(t, s.App(), httptest.NewRequest("GET", "/static/style.css", nil))
	if resp.StatusCode != 200 || !strings.Contains(body, "--brand") {
		t.Errorf("stylesheet: %d", resp.StatusCode)
	}
}

func TestErrorHandler(t *testing.T) {
	t.Parallel()
	s := newServer(t, storetest.New(t))
	app := s.App()
	app.Get("/api/v1/boom", func(c *fiber.Ctx) error { panic("secret driver detail") })
	app.Get("/boom", func(c *fiber.Ctx) error { return io.ErrUnexpectedEOF })
	app.Get("/api/v1/invalid", func(c *fiber.Ctx) error {
		e := apperr.New(apperr.Invalid, "Kontrollera uppgifterna.", "Check the details.")
		e.Fields = []apperr.Field{{Field: "dueDate", Message: map[string]string{"sv": "Ange ett datum.", "en": "Give a date."}}}
		return e
	})
	app.Post("/api/v1/echo", func(c *fiber.Ctx) error { return c.Send(c.Body()) })
	app.Get("/api/v1/kind/:code", func(c *fiber.Ctx) error {
		return apperr.New(apperr.Code(c.Params("code")), "Beskrivning.", "Description.")
	})

	tests := []struct {
		name, method, path, lang string
		body                     string
		status                   int
		ctype                    string
		want                     []string
		notWant                  []string
	}{
		{"html 404 sv", "GET", "/nowhere", "sv", "", 404, "text/html", []string{"Sidan finns inte.", "Till startsidan"}, nil},
		{"html 404 en", "GET", "/nowhere", "en", "", 404, "text/html", []string{"The page does not exist.", "Back to the start page"}, nil},
		{"api 404", "GET", "/api/v1/nowhere", "en", "", 404, "application/problem+json", []string{`"status":404`, `"detail":"The page does not exist."`, `"title":"Not found"`, `"type":"/api/docs#problem-not-found"`}, nil},
		{"api panic", "GET", "/api/v1/boom", "sv", "", 500, "application/problem+json", []string{"Ett internt fel uppstod", `"title":"Internt fel"`, `"type":"/api/docs#problem-internal"`}, []string{"secret", "goroutine"}},
		{"forbidden", "GET", "/api/v1/kind/forbidden", "en", "", 403, "application/problem+json", []string{`"title":"Forbidden"`, `"type":"/api/docs#problem-forbidden"`, `"detail":"Description."`}, nil},
		{"conflict", "GET", "/api/v1/kind/conflict", "sv", "", 409, "application/problem+json", []string{`"title":"Konflikt"`, `"type":"/api/docs#problem-conflict"`, `"detail":"Beskrivning."`}, nil},
		{"gone", "GET", "/api/v1/kind/gone", "en", "", 410, "application/problem+json", []string{`"title":"Gone"`, `"type":"/api/docs#problem-gone"`}, nil},
		{"too many", "GET", "/api/v1/kind/too_many", "en", "", 429, "application/problem+json", []string{`"title":"Too many requests"`, `"type":"/api/docs#problem-too-many-requests"`}, nil},
		{"not found", "GET", "/api/v1/kind/not_found", "sv", "", 404, "application/problem+json", []string{`"title":"Finns inte"`}, nil},
		{"html page title", "GET", "/nowhere", "en", "", 404, "text/html", []string{"<h1>Not found</h1>"}, nil},
		{"html internal error", "GET", "/boom", "en", "", 500, "text/html", []string{"An internal error occurred"}, []string{"unexpected EOF"}},
		{"app error with fields", "GET", "/api/v1/invalid", "en", "", 422, "application/problem+json", []string{`"title":"Invalid input"`, `"type":"/api/docs#problem-invalid-input"`, `"detail":"Check the details."`, `"field":"dueDate"`, `"message":"Give a date."`}, nil},
		{"app error in Swedish", "GET", "/api/v1/invalid", "sv", "", 422, "application/problem+json", []string{`"message":"Ange ett datum."`}, nil},
		{"body within limit", "POST", "/api/v1/echo", "en", "hello", 200, "", []string{"hello"}, nil},
		{"method not allowed", "DELETE", "/healthz", "en", "", 405, "text/html", []string{"not supported"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Accept-Language", tt.lang)
			resp, body := do(t, app, req)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("content type %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("body leaks %q:\n%s", w, body)
				}
			}
			if strings.HasPrefix(tt.ctype, "application/problem") {
				var p map[string]any
				if err := json.Unmarshal([]byte(body), &p); err != nil || p["title"] == nil {
					t.Errorf("not a problem document: %s", body)
				}
			}
		})
	}
	if !strings.Contains(s.logs.String(), "secret driver detail") {
		t.Error("the panic's detail should be in the log for operators")
	}
}

func TestSecurityHeadersAndRequestLog(t *testing.T) {
	t.Parallel()
	s := newServer(t, storetest.New(t))
	app := s.App()
	app.Get("/s/:token", func(c *fiber.Ctx) error { return c.SendString("ok") })
	resp, _ := do(t, app, httptest.NewRequest("GET", "/s/very-secret-token-value", nil))
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Request-Id":            "",
	} {
		got := resp.Header.Get(h)
		if got == "" || !strings.Contains(got, want) {
			t.Errorf("header %s = %q, want it to contain %q", h, got, want)
		}
	}
	logs := s.logs.String()
	if strings.Contains(logs, "very-secret-token-value") {
		t.Errorf("the log holds the token:\n%s", logs)
	}
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		if strings.Contains(l, `"route":"/s/:token"`) {
			_ = json.Unmarshal([]byte(l), &line)
		}
	}
	if line == nil || line["status"] != float64(200) || line["request_id"] == "" || line["method"] != "GET" || line["duration_ms"] == nil {
		t.Errorf("request log line = %v\nall logs:\n%s", line, logs)
	}
}
