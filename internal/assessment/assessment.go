// Package assessment is the model of a follow-up: a questionnaire issued to
// one supplier for one contract and risk area by one region, its statuses
// and their transitions, the answers, files, deviations, the time and action
// plan, the trail, and the summary lists show. It holds the rules on these
// and what the operations share (Records, Setting); the operations are in
// followup (issue to submission), review (the reviewers') and listing (many
// at a time). It depends on interfaces only: no HTTP, no database driver.
package assessment

import (
	"context"
	"time"

	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Supplier is who answers.
type Supplier struct {
	Name         string `json:"name"`
	OrgNumber    string `json:"orgNumber"`
	Country      string `json:"country"` // ISO 3166-1 alpha-2
	ContactName  string `json:"contactName"`
	ContactEmail string `json:"contactEmail"`
}

// Assessment is one follow-up. Version rises by one with every change; a
// write based on an older version is refused.
type Assessment struct {
	ID                   string
	Version              int64
	Region               string // the issuing region
	RiskArea             string
	Supplier             Supplier
	ContractRef          string
	QuestionnaireID      string
	QuestionnaireVersion int
	Level                questionnaire.Level
	Language             string
	DueDate              string // YYYY-MM-DD
	Status               Status
	TokenHash            string // SHA-256 of the supplier link's token
	// Invitation is how the mail with the current link fared; nil until
	// the outbox reports on it.
	Invitation  *Invitation
	IssuedAt    time.Time
	IssuedBy    string
	SubmittedAt time.Time
	UpdatedAt   time.Time
	Answers     Answers
	Evidence    []Evidence
	Progress    Progress
	// Score is made when the answers are submitted, against the pinned
	// questionnaire version; nil before.
	Score *scoring.Result
	// Risk rates the follow-up from the score and the inherent risks, when submitted.
	Risk *scoring.Risk
	// ReusedFrom is the assessment whose submitted answers this follow-up
	// reuses instead of asking the supplier again; it then has no link.
	ReusedFrom string
	Deviations []Deviation
	// Verdicts are the desk audit's judgements of the evidence, one per
	// requirement judged.
	Verdicts []Verdict
	Comments []Comment
	// Trail records every change, written with the change itself.
	Trail      []TrailEntry
	ReturnedAt time.Time // last returned to the supplier for clarification
	// PlanState is where the supplier's time and action plan stands
	// (PlanRequested, PlanProposed; "" before the reviewer asks for one);
	// PlanRequestedAt is when the reviewer last asked for it,
	// PlanProposedAt when the supplier last sent it.
	PlanState       string
	PlanRequestedAt time.Time
	PlanProposedAt  time.Time
	// PlanDueDate is the day (YYYY-MM-DD) the supplier is to send its plan
	// by, set when the plan is asked for.
	PlanDueDate string
	ClosedAt    time.Time
}

// Repo stores assessments. Get and Update return apperr.ErrNotFound for an
// unknown id; Update returns a Conflict error when another write got there first.
type Repo interface {
	Insert(ctx context.Context, a *Assessment) error
	Get(ctx context.Context, id string) (*Assessment, error)
	// Update loads the assessment, lets change modify it, and writes it back
	// with its version raised by one, unless the stored version has moved
	// on in between. change's error aborts the update and is returned.
	Update(ctx context.Context, id string, change func(*Assessment) error) (*Assessment, error)
	// UpdateFrom is Update starting from base, read earlier in the same
	// request, instead of reading it again; still one conditional write.
	UpdateFrom(ctx context.Context, base *Assessment, change func(*Assessment) error) (*Assessment, error)
	// ByToken returns the id of the assessment whose link token hashes to tokenHash.
	ByToken(ctx context.Context, tokenHash string) (string, error)
	// AddLink records a link token's hash for the assessment; it leads there
	// only while the assessment's TokenHash is the same.
	AddLink(ctx context.Context, id, tokenHash string) error
	// Summaries returns the summaries of the assessments that match f.
	Summaries(ctx context.Context, f Filter) ([]Summary, error)
}

// Filter selects assessments by fields the database indexes; zero fields match all.
type Filter struct {
	Region    string
	RiskArea  string
	Status    Status
	OrgNumber string
	Year      int // issued in that year (UTC); 0 for any
}

// Questionnaires gives the published questionnaire versions.
type Questionnaires interface {
	Get(id string, version int) (*questionnaire.Questionnaire, bool)
	Latest(id string) (*questionnaire.Questionnaire, bool)
}
