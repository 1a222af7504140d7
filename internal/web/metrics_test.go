package web_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMetrics: /metrics answers admins' tokens and the operator's address
// range, no one else; it counts requests by route pattern (never a link's
// token) and follow-ups by status. (TestServeProcesses reads the database
// commands' times from a whole service.)
func TestMetrics(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	supplier := s.browser(t)
	if p := supplier.do("GET", "/s/"+s.sampleToken, nil); p.status != 200 {
		t.Fatalf("supplier page: %d", p.status)
	}
	token := func(email string) string {
		plain, _, err := s.accounts.CreateToken(t.Context(), testActor, email)
		if err != nil {
			t.Fatal(err)
		}
		return plain
	}
	admin := token("admin@saq.se")
	var text string
	for _, c := range []struct {
		who, ip, token string
		ok             bool
	}{
		{"anonymous", "192.0.2.10", "", false},
		{"coordinator's token", "192.0.2.10", token("coord@skane.se"), false},
		{"auditor's token", "192.0.2.10", token("audit@saq.se"), false},
		{"a supplier link as a token", "192.0.2.10", s.sampleToken, false},
		{"anonymous beside the range", "203.0.114.7", "", false},
		{"admin's token", "192.0.2.10", admin, true},
		{"anonymous in the range", "203.0.113.7", "", true},
	} {
		b := s.browser(t)
		b.ip = c.ip
		p := b.api("GET", "/metrics", c.token)
		if got := p.status == 200 && strings.Contains(p.body, "saq_http_requests_total"); got != c.ok {
			t.Errorf("%s: %d, served %v, want %v", c.who, p.status, got, c.ok)
		}
		if c.ok {
			text = p.body
		}
	}
	for _, want := range []string{
		`saq_http_requests_total{method="GET",route="/s/:token",status="200"} 1`,
		`saq_http_request_duration_seconds_count{method="GET",route="/s/:token"} 1`,
		`saq_assessments{status="issued"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, s.sampleToken) {
		t.Error("a supplier link's token is in the metrics")
	}
}

// TestMetricsLabelsStay: the labels of a request's counters are its own
// to the end, whatever requests come after it: each series names a
// method and a route the service has.
func TestMetricsLabelsStay(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser(t)
	tok := apiToken(t, s, "admin@saq.se")
	for i := range 30 {
		b.api("GET", "/api/v1/assessments", tok)
		b.apiBody("PUT", "/api/v1/s/"+s.sampleToken+"/answers", "", `{"version": 1, "answers": {}}`)
		b.api("GET", "/api/v1/assessments/"+s.sampleID+"/report.pdf", tok)
		b.apiBody("POST", "/api/v1/assessments/"+s.sampleID+"/comments", tok, `{"text": "`+strings.Repeat("x", i)+`"}`)
		b.api("DELETE", "/api/v1/dashboard", tok)
	}
	text := b.api("GET", "/metrics", tok).body
	series := regexp.MustCompile(`saq_http_requests_total\{method="([^"]*)",route="([^"]*)",status="(\d+)"\}`).FindAllStringSubmatch(text, -1)
	if len(series) < 4 {
		t.Fatalf("%d series", len(series))
	}
	for _, m := range series {
		if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, m[1]) || !strings.HasPrefix(m[2], "/") {
			t.Errorf("a series with a label not its own: %s", m[0])
		}
	}
	for _, want := range []string{`method="PUT",route="/api/v1/s/:token/answers"`, `method="GET",route="/api/v1/assessments/:id/report.pdf"`} {
		if !strings.Contains(text, want) {
			t.Errorf("no series %s", want)
		}
	}
}
