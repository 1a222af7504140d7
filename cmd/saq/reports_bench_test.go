package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/regionerna/saq/internal/questionnaire/questionnairetest"
	"github.com/regionerna/saq/internal/report/sample"
)

// BenchmarkReports: the audit report of a submitted follow-up (every
// question of the advanced level answered, 10 deviations judged every way,
// actions, comments, trail) downloaded through HTTP on loopback from the
// embedded database, by one client and by 8 at once; and, for the ratio in
// the same run, the same follow-up as JSON (GET /api/v1/assessments/{id}),
// which pays the same read.
//
//	go test ./cmd/saq -run '^$' -bench Reports -benchtime 400x
func BenchmarkReports(b *testing.B) {
	svc, base := serveLoopback(b, "reports")
	a := sample.Followup(questionnairetest.CodeOfConduct(b).For(sample.RiskArea), sample.Options{Deviations: 10, Issued: time.Now().AddDate(0, -2, 0)})
	a.TokenHash = "reports-bench"
	if err := svc.store.Assessments().Insert(context.Background(), a); err != nil {
		b.Fatal(err)
	}
	token := adminToken(b, svc)
	results := map[string]float64{}
	for _, clients := range []int{1, 8} {
		get := authGet(base, token, clients)
		for _, c := range []struct{ name, path string }{
			{"pdf", "/api/v1/assessments/" + a.ID + "/report.pdf?lang=sv"},
			{"json", "/api/v1/assessments/" + a.ID},
		} {
			b.Run(fmt.Sprintf("%s-clients-%d", c.name, clients), func(b *testing.B) {
				runLoad(b, clients, func(int, *int64, int) error { return get(c.path) }, results)
			})
		}
		if pdf, js := results[fmt.Sprintf("pdf-clients-%d", clients)], results[fmt.Sprintf("json-clients-%d", clients)]; pdf > 0 && js > 0 {
			b.Logf("%d clients: %.0f reports/s, %.0f JSON details/s; PDF/JSON = %.2f", clients, pdf, js, pdf/js)
		}
	}
}
