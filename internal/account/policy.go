package account

// Principal is who makes a request: an account, or a supplier through its link.
type Principal struct {
	UserID string
	Email  string
	Name   string
	Role   Role
	Region string
	// PasswordOff is set for an account that signs in through its
	// identity provider only.
	PasswordOff bool
	// Supplier is set for a supplier's link; AssessmentID is then the only
	// assessment it reaches.
	Supplier     bool
	AssessmentID string
}

// Action is something a route does, as the policy sees it.
type Action string

const (
	Public            Action = "public"              // anyone, signed in or not
	SignedIn          Action = "signed_in"           // any account: own password, own profile
	ReadAssessments   Action = "read_assessments"    // all accounts: the regions share results
	WriteAssessment   Action = "write_assessment"    // admin; coordinator of the assessment's region
	RecordFinding     Action = "record_finding"      // admin; auditor; coordinator of the region
	DownloadReport    Action = "download_report"     // all accounts
	ManageAccounts    Action = "manage_accounts"     // admin
	ReadAuditEvents   Action = "read_audit_events"   // admin
	ManageOrgData     Action = "manage_org_data"     // admin
	SupplierResponse  Action = "supplier_response"   // the supplier's own link, for its own assessment
	ReadAnnualFigures Action = "read_annual_figures" // admin
	ReadMetrics       Action = "read_metrics"        // admin (and the addresses the operator names)
	ErasePersonalData Action = "erase_personal_data" // admin
)

// Allowed is the one authorization policy. region is the region of the
// resource acted on ("" when the action concerns no single resource), and
// assessmentID the assessment a supplier action is for.
func Allowed(p *Principal, a Action, region, assessmentID string) bool {
	if a == Public {
		return true
	}
	if p == nil {
		return false
	}
	if p.Supplier {
		return a == SupplierResponse && assessmentID != "" && assessmentID == p.AssessmentID
	}
	switch a {
	case SignedIn, ReadAssessments, DownloadReport:
		return true
	case WriteAssessment:
		return p.Role == Admin || p.Role == Coordinator && (region == "" || region == p.Region)
	case RecordFinding:
		return p.Role == Admin || p.Role == Auditor || p.Role == Coordinator && (region == "" || region == p.Region)
	case ManageAccounts, ReadAuditEvents, ManageOrgData, ReadAnnualFigures, ReadMetrics, ErasePersonalData:
		return p.Role == Admin
	}
	return false
}

// AllowedRoute is the check made before a route's handler runs, when the
// resource and its region are not yet known; the handler checks Allowed
// again once they are. A supplier route admits any supplier link here: the
// handler then holds it to its own assessment.
func AllowedRoute(p *Principal, a Action) bool {
	if a == SupplierResponse {
		return p != nil && p.Supplier
	}
	return Allowed(p, a, "", "")
}
