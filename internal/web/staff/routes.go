// Package staff serves the people of the regions: coordinators issue
// questionnaires and follow them in lists, the dashboard and the register;
// reviewers judge the evidence and run the time and action plan; auditors
// record findings; all of them read the audit reports. Each page's JSON
// twin under /api/v1 is here too, as both go through the same operations.
package staff

import (
	"github.com/regionerna/saq/internal/account"
	"github.com/regionerna/saq/internal/web/core"
)

// handlers are the staff's routes over what every audience shares.
type handlers struct{ *core.Server }

// Routes registers the staff's pages and their JSON API.
func Routes(srv *core.Server) {
	s := &handlers{srv}
	s.Handle("POST", "/api/v1/assessments", account.WriteAssessment, s.apiIssue)
	s.Handle("GET", "/api/v1/assessments/:id", account.ReadAssessments, s.apiGet)
	s.Handle("POST", "/api/v1/assessments/:id/link", account.WriteAssessment, s.apiReissue)
	s.Handle("POST", "/assessments/:id/link", account.WriteAssessment, s.formReissue)
	s.Handle("POST", "/api/v1/suppliers/:org/contact-erasure", account.ErasePersonalData, s.apiEraseContacts)
	s.registerRoutes()
	s.Handle("GET", "/api/v1/assessments/:id/files/:fid", account.ReadAssessments, s.apiDownload)
	s.Handle("GET", "/assessments/:id/files/:fid", account.ReadAssessments, s.apiDownload)
	// Files from an audit, kept with the finding they support.
	s.HandleUpload("POST", "/assessments/:id/deviations/:dev/files", account.RecordFinding, s.findingUpload)
	s.HandleUpload("POST", "/api/v1/assessments/:id/deviations/:dev/files", account.RecordFinding, s.apiFindingUpload)
	s.campaignRoutes()
	s.coordinatorRoutes()
	s.listRoutes()
	s.reviewRoutes()
	// The PDF documents: a follow-up's audit report for whoever may read
	// it, and the annual summary by risk area.
	for _, prefix := range []string{"", "/api/v1"} {
		s.Handle("GET", prefix+"/assessments/:id/report.pdf", account.DownloadReport, s.auditReport)
		s.Handle("GET", prefix+"/stats/report.pdf", account.ReadAnnualFigures, s.annualReport)
	}
	s.Handle("GET", "/outbox", account.ReadAssessments, s.outboxPage)
}
