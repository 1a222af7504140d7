package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
	"github.com/regionerna/saq/internal/store/listquery"
)

// Assessments stores one document per assessment, replaced whole by one
// conditional write per change (see Update), with what lists show inside it
// (field "list"). It implements assessment.Repo.
type Assessments struct {
	s *Store
}

var _ assessment.Repo = (*Assessments)(nil)

// Assessments returns the assessment repository.
func (s *Store) Assessments() *Assessments { return &Assessments{s} }

// answerDoc is one answer. Answers are a list, not a map by question id,
// because ids contain "." and field names must not.
type answerDoc struct {
	Question string   `bson:"q"`
	Choice   string   `bson:"choice,omitempty"`
	Choices  []string `bson:"choices,omitempty"`
	Number   *float64 `bson:"number,omitempty"`
	Text     string   `bson:"text,omitempty"`
	Date     string   `bson:"date,omitempty"`
	Files    []string `bson:"files,omitempty"`
	Comment  string   `bson:"comment,omitempty"`
	Rev      int64    `bson:"rev,omitempty"`
	// Carry is a domain value stored as made.
	Carry *questionnaire.Carry `bson:"carry,omitempty"`
}

type assessmentDoc struct {
	ID                   string      `bson:"_id"`
	Version              int64       `bson:"version"`
	Region               string      `bson:"region"`
	RiskArea             string      `bson:"riskArea"`
	Supplier             supplierDoc `bson:"supplier"`
	ContractRef          string      `bson:"contractRef"`
	QuestionnaireID      string      `bson:"questionnaireId"`
	QuestionnaireVersion int         `bson:"questionnaireVersion"`
	Level                string      `bson:"level"`
	Language             string      `bson:"language"`
	DueDate              string      `bson:"dueDate"`
	Status               string      `bson:"status"`
	TokenHash            string      `bson:"tokenHash"`
	// Invitation is a domain value stored as made.
	Invitation  *assessment.Invitation `bson:"invitation,omitempty"`
	IssuedAt    time.Time              `bson:"issuedAt"`
	IssuedBy    string                 `bson:"issuedBy"`
	SubmittedAt time.Time              `bson:"submittedAt"`
	UpdatedAt   time.Time              `bson:"updatedAt"`
	Progress    assessment.Progress    `bson:"progress"`
	Answers     []answerDoc            `bson:"answers"`
	Evidence    []evidenceDoc          `bson:"evidence"`
	ReusedFrom  string                 `bson:"reusedFrom,omitempty"`
	Score       *scoring.Result        `bson:"score,omitempty"` // a value of the pure scoring package, stored as made
	Risk        *scoring.Risk          `bson:"risk,omitempty"`
	// Deviations, comments and the trail are domain values stored as made,
	// like the score; their field names are the driver's lower-cased ones.
	Deviations      []assessment.Deviation  `bson:"deviations,omitempty"`
	Verdicts        []assessment.Verdict    `bson:"verdicts,omitempty"`
	Comments        []assessment.Comment    `bson:"comments,omitempty"`
	Trail           []assessment.TrailEntry `bson:"trail,omitempty"`
	ReturnedAt      time.Time               `bson:"returnedAt,omitempty"`
	PlanState       string                  `bson:"planState,omitempty"`
	PlanRequestedAt time.Time               `bson:"planRequestedAt,omitempty"`
	PlanProposedAt  time.Time               `bson:"planProposedAt,omitempty"`
	PlanDueDate     string                  `bson:"planDueDate,omitempty"`
	ClosedAt        time.Time               `bson:"closedAt,omitempty"`
	// List is what lists show, and Keys what they filter and sort on,
	// derived from the rest and written with it.
	List summaryDoc     `bson:"list"`
	Keys listquery.Keys `bson:"keys"`
}

type supplierDoc struct {
	Name         string `bson:"name"`
	OrgNumber    string `bson:"orgNumber"`
	Country      string `bson:"country"`
	ContactName  string `bson:"contactName"`
	ContactEmail string `bson:"contactEmail"`
}

type evidenceDoc struct {
	ID           string    `bson:"id"`
	Question     string    `bson:"q,omitempty"`
	Deviation    string    `bson:"deviation,omitempty"`
	Name         string    `bson:"name"`
	ContentType  string    `bson:"type"`
	Size         int64     `bson:"size"`
	UploadedAt   time.Time `bson:"uploadedAt"`
	DocumentDate string    `bson:"documentDate,omitempty"`
}

func toAssessmentDoc(a *assessment.Assessment) assessmentDoc {
	d := assessmentDoc{
		ID: a.ID, Version: a.Version, Region: a.Region, RiskArea: a.RiskArea, Supplier: supplierDoc(a.Supplier),
		ContractRef: a.ContractRef, QuestionnaireID: a.QuestionnaireID, QuestionnaireVersion: a.QuestionnaireVersion,
		Level: string(a.Level), Language: a.Language, DueDate: a.DueDate, Status: string(a.Status), TokenHash: a.TokenHash, Invitation: a.Invitation,
		IssuedAt: a.IssuedAt, IssuedBy: a.IssuedBy, SubmittedAt: a.SubmittedAt, UpdatedAt: a.UpdatedAt, Progress: a.Progress,
		Answers: make([]answerDoc, 0, len(a.Answers)), ReusedFrom: a.ReusedFrom, Score: a.Score, Risk: a.Risk,
		Deviations: a.Deviations, Verdicts: a.Verdicts, Comments: a.Comments, Trail: a.Trail, ReturnedAt: a.ReturnedAt, ClosedAt: a.ClosedAt,
		PlanState: a.PlanState, PlanRequestedAt: a.PlanRequestedAt, PlanProposedAt: a.PlanProposedAt, PlanDueDate: a.PlanDueDate,
	}
	for id, an := range a.Answers {
		d.Answers = append(d.Answers, answerDoc{id, an.Choice, an.Choices, an.Number, an.Text, an.Date, an.Files, an.Comment, an.Rev, an.Carry})
	}
	sort.Slice(d.Answers, func(i, j int) bool { return d.Answers[i].Question < d.Answers[j].Question })
	for _, e := range a.Evidence {
		d.Evidence = append(d.Evidence, evidenceDoc(e))
	}
	sum := assessment.Summarize(a)
	d.List, d.Keys = summaryDoc(sum), listquery.KeysOf(sum)
	return d
}

func (d assessmentDoc) assessment() *assessment.Assessment {
	a := &assessment.Assessment{
		ID: d.ID, Version: d.Version, Region: d.Region, RiskArea: d.RiskArea, Supplier: assessment.Supplier(d.Supplier),
		ContractRef: d.ContractRef, QuestionnaireID: d.QuestionnaireID, QuestionnaireVersion: d.QuestionnaireVersion,
		Level: questionnaire.Level(d.Level), Language: d.Language, DueDate: d.DueDate, Status: assessment.Status(d.Status),
		TokenHash: d.TokenHash, Invitation: d.Invitation, IssuedAt: d.IssuedAt, IssuedBy: d.IssuedBy, SubmittedAt: d.SubmittedAt, UpdatedAt: d.UpdatedAt,
		Progress: d.Progress, Answers: assessment.Answers{}, ReusedFrom: d.ReusedFrom, Score: d.Score, Risk: d.Risk,
		Deviations: d.Deviations, Verdicts: d.Verdicts, Comments: d.Comments, Trail: d.Trail, ReturnedAt: d.ReturnedAt, ClosedAt: d.ClosedAt,
		PlanState: d.PlanState, PlanRequestedAt: d.PlanRequestedAt, PlanProposedAt: d.PlanProposedAt, PlanDueDate: d.PlanDueDate,
	}
	for _, e := range d.Evidence {
		a.Evidence = append(a.Evidence, assessment.Evidence(e))
	}
	for _, an := range d.Answers {
		a.Answers[an.Question] = assessment.Answer{Choice: an.Choice, Choices: an.Choices, Number: an.Number, Text: an.Text, Date: an.Date, Files: an.Files, Comment: an.Comment, Rev: an.Rev, Carry: an.Carry}
	}
	return a
}

func (r *Assessments) coll() *mongo.Collection { return r.s.db.Collection(collAssessments) }

// linkDoc maps a supplier link's token hash to its assessment, so the link
// is found by _id.
type linkDoc struct {
	ID           string    `bson:"_id"` // token hash
	AssessmentID string    `bson:"assessmentId"`
	CreatedAt    time.Time `bson:"createdAt"`
}

// Insert stores a new assessment and its link. The link goes first: one
// left without its assessment by a crash leads nowhere.
func (r *Assessments) Insert(ctx context.Context, a *assessment.Assessment) error {
	if err := insertOne(ctx, r.s.db.Collection(collLinks), linkDoc{a.TokenHash, a.ID, a.IssuedAt}); err != nil {
		return fmt.Errorf("insert link of %s: %w", a.ID, err)
	}
	d := toAssessmentDoc(a)
	if err := insertOne(ctx, r.coll(), d); err != nil {
		return fmt.Errorf("insert assessment %s: %w", a.ID, err)
	}
	r.s.local.put(d)
	return nil
}

func (r *Assessments) Get(ctx context.Context, id string) (*assessment.Assessment, error) {
	var d assessmentDoc
	if err := findByID(ctx, r.coll(), id, &d); err != nil {
		return nil, err
	}
	return d.assessment(), nil
}

func (r *Assessments) ByToken(ctx context.Context, tokenHash string) (string, error) {
	var d linkDoc
	if err := findByID(ctx, r.s.db.Collection(collLinks), tokenHash, &d); err != nil {
		return "", err
	}
	return d.AssessmentID, nil
}

// AddLink records a new link for an assessment. It leads there once the
// assessment's token hash is set to it; the old one then leads nowhere.
func (r *Assessments) AddLink(ctx context.Context, id, tokenHash string) error {
	if err := insertOne(ctx, r.s.db.Collection(collLinks), linkDoc{tokenHash, id, time.Now().UTC()}); err != nil {
		return fmt.Errorf("insert link of %s: %w", id, err)
	}
	return nil
}

// maxUpdateAttempts bounds how often Update tries again when other writers
// made the version it read stale: each try one writer wins.
const maxUpdateAttempts = 64

var errStaleWrite = apperr.New(apperr.Conflict,
	"Någon annan ändrade samtidigt. Ladda om och försök igen.",
	"Someone else changed this at the same time. Reload and try again.")

// Update applies change under optimistic concurrency: it reads the
// assessment, lets change modify it, and replaces the document only if its
// version is still the one read, one atomic conditional write that also
// carries the list's fields. When another writer got there first it reads
// again and retries; change must therefore decide from what it is given.
//
// On the embedded engine, which one process owns, the read and the replace
// run under this process's lock of the document instead, and the replace
// addresses it by _id alone (FerretDB on SQLite scans for any other filter).
func (r *Assessments) Update(ctx context.Context, id string, change func(*assessment.Assessment) error) (*assessment.Assessment, error) {
	if l := r.s.local; l != nil {
		unlock := l.locks.lock(r.s.db.Name() + "/" + id)
		defer unlock()
		a, _, err := r.tryUpdate(ctx, id, nil, change, false)
		return a, err
	}
	for range maxUpdateAttempts {
		a, ok, err := r.tryUpdate(ctx, id, nil, change, true)
		if err != nil || ok {
			return a, err
		}
	}
	return nil, errStaleWrite
}

// UpdateFrom is Update starting from base, a copy the caller read in the
// same request, instead of reading it again: the write is conditional on
// base's version as ever (on the embedded engine, base is used only when
// it is the version this process last wrote); if base is stale, it reads
// and tries again as Update does. base is not changed.
func (r *Assessments) UpdateFrom(ctx context.Context, base *assessment.Assessment, change func(*assessment.Assessment) error) (*assessment.Assessment, error) {
	// A copy that shares nothing with base, as a read would give.
	raw, err := bson.Marshal(toAssessmentDoc(base))
	if err != nil {
		return nil, fmt.Errorf("copy assessment %s: %w", base.ID, err)
	}
	var start assessmentDoc
	if err := bson.Unmarshal(raw, &start); err != nil {
		return nil, fmt.Errorf("copy assessment %s: %w", base.ID, err)
	}
	if l := r.s.local; l != nil {
		unlock := l.locks.lock(r.s.db.Name() + "/" + base.ID)
		defer unlock()
		if v, ok := l.written.Load(base.ID); !ok || v.(int64) != base.Version {
			a, _, err := r.tryUpdate(ctx, base.ID, nil, change, false)
			return a, err
		}
		a, _, err := r.tryUpdate(ctx, base.ID, &start, change, false)
		return a, err
	}
	a, ok, err := r.tryUpdate(ctx, base.ID, &start, change, true)
	if err != nil || ok {
		return a, err
	}
	return r.Update(ctx, base.ID, change)
}

// tryUpdate is one read (unless from is given), change and conditional
// replace; false when the version read was no longer the stored one.
func (r *Assessments) tryUpdate(ctx context.Context, id string, from *assessmentDoc, change func(*assessment.Assessment) error, byVersion bool) (*assessment.Assessment, bool, error) {
	var d assessmentDoc
	if from != nil {
		d = *from
	} else if err := findByID(ctx, r.coll(), id, &d); err != nil {
		return nil, false, err
	}
	a := d.assessment()
	old := a.Version
	if err := change(a); err != nil {
		return nil, false, err
	}
	a.Version = old + 1
	nd := toAssessmentDoc(a)
	filter := bson.D{{Key: "_id", Value: id}}
	write := ctx
	if byVersion {
		filter = append(filter, bson.E{Key: "version", Value: old})
	} else {
		// Under the lock the write must finish before the next writer
		// reads: a replace abandoned by its deadline could land after it.
		write = context.WithoutCancel(ctx)
	}
	res, err := r.coll().ReplaceOne(write, filter, nd)
	if err != nil {
		r.s.local.forgetWritten(id)
		return nil, false, fmt.Errorf("update assessment %s: %w", id, mapError(err))
	}
	if res.MatchedCount == 0 {
		if !byVersion {
			return nil, false, ErrNotFound
		}
		return nil, false, nil
	}
	r.s.local.put(nd)
	return a, true, nil
}
