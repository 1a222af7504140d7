package store

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Assessments stores one document per assessment, updated whole with a
// version check. It implements assessment.Repo.
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
}

type assessmentDoc struct {
	ID                   string              `bson:"_id"`
	Version              int64               `bson:"version"`
	Region               string              `bson:"region"`
	RiskArea             string              `bson:"riskArea"`
	Supplier             supplierDoc         `bson:"supplier"`
	ContractRef          string              `bson:"contractRef"`
	QuestionnaireID      string              `bson:"questionnaireId"`
	QuestionnaireVersion int                 `bson:"questionnaireVersion"`
	Level                string              `bson:"level"`
	Language             string              `bson:"language"`
	DueDate              string              `bson:"dueDate"`
	Status               string              `bson:"status"`
	TokenHash            string              `bson:"tokenHash"`
	IssuedAt             time.Time           `bson:"issuedAt"`
	IssuedBy             string              `bson:"issuedBy"`
	SubmittedAt          time.Time           `bson:"submittedAt"`
	UpdatedAt            time.Time           `bson:"updatedAt"`
	Progress             assessment.Progress `bson:"progress"`
	Answers              []answerDoc         `bson:"answers"`
	Evidence             []evidenceDoc       `bson:"evidence"`
	ReusedFrom           string              `bson:"reusedFrom,omitempty"`
	Score                *scoring.Result     `bson:"score,omitempty"` // a value of the pure scoring package, stored as made
	Risk                 *scoring.Risk       `bson:"risk,omitempty"`
	// Deviations, comments and the trail are domain values stored as made,
	// like the score; their field names are the driver's lower-cased ones.
	Deviations []assessment.Deviation  `bson:"deviations,omitempty"`
	Comments   []assessment.Comment    `bson:"comments,omitempty"`
	Trail      []assessment.TrailEntry `bson:"trail,omitempty"`
	ReturnedAt time.Time               `bson:"returnedAt,omitempty"`
	ClosedAt   time.Time               `bson:"closedAt,omitempty"`
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
		Level: string(a.Level), Language: a.Language, DueDate: a.DueDate, Status: string(a.Status), TokenHash: a.TokenHash,
		IssuedAt: a.IssuedAt, IssuedBy: a.IssuedBy, SubmittedAt: a.SubmittedAt, UpdatedAt: a.UpdatedAt, Progress: a.Progress,
		Answers: make([]answerDoc, 0, len(a.Answers)), ReusedFrom: a.ReusedFrom, Score: a.Score, Risk: a.Risk,
		Deviations: a.Deviations, Comments: a.Comments, Trail: a.Trail, ReturnedAt: a.ReturnedAt, ClosedAt: a.ClosedAt,
	}
	for id, an := range a.Answers {
		d.Answers = append(d.Answers, answerDoc{id, an.Choice, an.Choices, an.Number, an.Text, an.Date, an.Files, an.Comment, an.Rev})
	}
	sort.Slice(d.Answers, func(i, j int) bool { return d.Answers[i].Question < d.Answers[j].Question })
	for _, e := range a.Evidence {
		d.Evidence = append(d.Evidence, evidenceDoc(e))
	}
	return d
}

func (d assessmentDoc) assessment() *assessment.Assessment {
	a := &assessment.Assessment{
		ID: d.ID, Version: d.Version, Region: d.Region, RiskArea: d.RiskArea, Supplier: assessment.Supplier(d.Supplier),
		ContractRef: d.ContractRef, QuestionnaireID: d.QuestionnaireID, QuestionnaireVersion: d.QuestionnaireVersion,
		Level: questionnaire.Level(d.Level), Language: d.Language, DueDate: d.DueDate, Status: assessment.Status(d.Status),
		TokenHash: d.TokenHash, IssuedAt: d.IssuedAt, IssuedBy: d.IssuedBy, SubmittedAt: d.SubmittedAt, UpdatedAt: d.UpdatedAt,
		Progress: d.Progress, Answers: assessment.Answers{}, ReusedFrom: d.ReusedFrom, Score: d.Score, Risk: d.Risk,
		Deviations: d.Deviations, Comments: d.Comments, Trail: d.Trail, ReturnedAt: d.ReturnedAt, ClosedAt: d.ClosedAt,
	}
	for _, e := range d.Evidence {
		a.Evidence = append(a.Evidence, assessment.Evidence(e))
	}
	for _, an := range d.Answers {
		a.Answers[an.Question] = assessment.Answer{Choice: an.Choice, Choices: an.Choices, Number: an.Number, Text: an.Text, Date: an.Date, Files: an.Files, Comment: an.Comment, Rev: an.Rev}
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

// Insert stores a new assessment and its link.
func (r *Assessments) Insert(ctx context.Context, a *assessment.Assessment) error {
	if err := insertOne(ctx, r.coll(), toAssessmentDoc(a)); err != nil {
		return fmt.Errorf("insert assessment %s: %w", a.ID, err)
	}
	if err := insertOne(ctx, r.s.db.Collection(collLinks), linkDoc{a.TokenHash, a.ID, a.IssuedAt}); err != nil {
		return fmt.Errorf("insert link of %s: %w", a.ID, err)
	}
	return r.putSummary(ctx, nil, a)
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

// maxUpdateAttempts bounds how often Update retries when another writer got
// in between its read and its write (MongoDB only).
const maxUpdateAttempts = 5

var errStaleWrite = apperr.New(apperr.Conflict,
	"Någon annan ändrade samtidigt. Ladda om och försök igen.",
	"Someone else changed this at the same time. Reload and try again.")

// Update applies change under optimistic concurrency. On MongoDB the write is
// filtered on {_id, version} and retried from a fresh read when it misses. On
// the embedded engine, which scans for any filter but {_id}, writers to one
// assessment are serialised in this process (the data-dir lock guarantees it
// is the only one) and the write is by _id alone.
func (r *Assessments) Update(ctx context.Context, id string, change func(*assessment.Assessment) error) (*assessment.Assessment, error) {
	if r.s.embedded != nil {
		unlock := r.s.locks.lock(id)
		defer unlock()
	}
	for range maxUpdateAttempts {
		a, err := r.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		old := a.Version
		before := assessment.Summarize(a)
		if err := change(a); err != nil {
			return nil, err
		}
		a.Version = old + 1
		filter := bson.D{{Key: "_id", Value: id}}
		if r.s.embedded == nil {
			filter = append(filter, bson.E{Key: "version", Value: old})
		}
		res, err := r.coll().ReplaceOne(ctx, filter, toAssessmentDoc(a))
		if err != nil {
			return nil, fmt.Errorf("update assessment %s: %w", id, mapError(err))
		}
		if res.MatchedCount == 1 {
			// The change is durable: a failed summary write (or a crash
			// between the two) leaves only the lists behind until the
			// assessment's next change, so it is logged, not returned.
			if err := r.putSummary(ctx, &before, a); err != nil {
				r.s.log.ErrorContext(ctx, "summary not updated", "assessment", id, "err", err)
			}
			return a, nil
		}
	}
	return nil, errStaleWrite
}

// idLocks serialises writers per document id within this process.
type idLocks struct {
	mu    sync.Mutex
	locks map[string]*idLock
}

type idLock struct {
	sync.Mutex
	users int
}

func (l *idLocks) lock(id string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*idLock{}
	}
	m := l.locks[id]
	if m == nil {
		m = &idLock{}
		l.locks[id] = m
	}
	m.users++
	l.mu.Unlock()

	m.Lock()
	return func() {
		m.Unlock()
		l.mu.Lock()
		if m.users--; m.users == 0 {
			delete(l.locks, id)
		}
		l.mu.Unlock()
	}
}
