package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/regionerna/saq/internal/apperr"
	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
	"github.com/regionerna/saq/internal/scoring"
)

// Assessments stores one document per assessment, updated whole, each
// version claimed by a revision document first (see Update). It implements
// assessment.Repo.
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
	ClosedAt        time.Time               `bson:"closedAt,omitempty"`
	// Pending are the revisions not yet deleted (see keepBodies).
	Pending []pendingRev `bson:"pending,omitempty"`
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
		PlanState: a.PlanState, PlanRequestedAt: a.PlanRequestedAt, PlanProposedAt: a.PlanProposedAt,
	}
	for id, an := range a.Answers {
		d.Answers = append(d.Answers, answerDoc{id, an.Choice, an.Choices, an.Number, an.Text, an.Date, an.Files, an.Comment, an.Rev, an.Carry})
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
		TokenHash: d.TokenHash, Invitation: d.Invitation, IssuedAt: d.IssuedAt, IssuedBy: d.IssuedBy, SubmittedAt: d.SubmittedAt, UpdatedAt: d.UpdatedAt,
		Progress: d.Progress, Answers: assessment.Answers{}, ReusedFrom: d.ReusedFrom, Score: d.Score, Risk: d.Risk,
		Deviations: d.Deviations, Verdicts: d.Verdicts, Comments: d.Comments, Trail: d.Trail, ReturnedAt: d.ReturnedAt, ClosedAt: d.ClosedAt,
		PlanState: d.PlanState, PlanRequestedAt: d.PlanRequestedAt, PlanProposedAt: d.PlanProposedAt,
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
	d, err := r.current(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.assessment(), nil
}

// current reads the assessment document and rolls it forward through any
// newer revisions: a writer's replace that has not landed yet, or one that a
// slower writer's replace overtook. The revisions are the record; the
// document is their latest state, kept for reading by _id and for lists.
func (r *Assessments) current(ctx context.Context, id string) (assessmentDoc, error) {
	var d assessmentDoc
	if err := findByID(ctx, r.coll(), id, &d); err != nil {
		return d, err
	}
	stale := d.Version
	for {
		var rev revisionDoc
		err := findByID(ctx, r.revisions(), revisionID(id, d.Version+1), &rev)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return d, fmt.Errorf("read revision %d of %s: %w", d.Version+1, id, err)
		}
		if rev.Doc == nil {
			r.s.log.ErrorContext(ctx, "revision without its document ahead of the assessment", "assessment", id, "version", rev.Version)
			break
		}
		d = *rev.Doc
	}
	if d.Version != stale {
		if _, err := r.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, d); err != nil {
			r.s.log.WarnContext(ctx, "assessment not brought up to its revision", "assessment", id, "err", err)
		}
	}
	return d, nil
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

// revisionDoc is one version of an assessment. Update inserts it before it
// replaces the assessment document; its _id "<assessment>/<version>" is
// unique, so exactly one writer makes each version, on every engine and
// with any number of instances. That is the compare-and-set: a filtered
// replace is not atomic everywhere (FerretDB on PostgreSQL checks the
// filter and writes in two steps).
type revisionDoc struct {
	ID         string    `bson:"_id"`
	Assessment string    `bson:"assessment"`
	Version    int64     `bson:"version"`
	At         time.Time `bson:"at"`
	// Doc is the assessment at this version. The revision is deleted once
	// no writer can still be behind it (keepBodies): by then no writer can
	// claim its version again either, since every one that read the version
	// before it has long finished.
	Doc *assessmentDoc `bson:"doc,omitempty"`
}

// pendingRev is a run of revisions not yet deleted, made
// within a minute of each other (so the list stays short however often a
// supplier saves: FerretDB decodes long arrays slowly).
type pendingRev struct {
	From  int64     `bson:"from"`
	To    int64     `bson:"to"`
	Since time.Time `bson:"since"` // when From was made
	At    time.Time `bson:"at"`    // when To was made
}

// keepBodies is how long a revision is kept. A writer
// that lost the race to replace the document may overwrite it with an older
// version for as long as its request lasts (the driver gives up after 30 s);
// readers then roll forward through the revisions kept.
const keepBodies = 10 * time.Minute

func (r *Assessments) revisions() *mongo.Collection { return r.s.db.Collection(collRevisions) }

func revisionID(id string, version int64) string { return id + "/" + strconv.FormatInt(version, 10) }

// Update applies change under optimistic concurrency: it reads the
// assessment, lets change modify it and claims the next version by
// inserting its revision. When another writer claimed it first, it reads
// again and retries; change must therefore decide from what it is given.
func (r *Assessments) Update(ctx context.Context, id string, change func(*assessment.Assessment) error) (*assessment.Assessment, error) {
	for attempt := range maxUpdateAttempts {
		d, err := r.current(ctx, id)
		if err != nil {
			return nil, err
		}
		a := d.assessment()
		old := a.Version
		before := assessment.Summarize(a)
		if err := change(a); err != nil {
			return nil, err
		}
		a.Version = old + 1
		now := time.Now().UTC()
		nd := toAssessmentDoc(a)
		var drop []int64
		nd.Pending, drop = pendingAfter(d.Pending, a.Version, now)
		err = insertOne(ctx, r.revisions(), revisionDoc{ID: revisionID(id, a.Version), Assessment: id, Version: a.Version, At: now, Doc: &nd})
		if errors.Is(err, ErrDuplicateKey) {
			time.Sleep(time.Duration(rand.IntN(2+attempt)) * time.Millisecond) // let the winner's replace land
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("update assessment %s: %w", id, err)
		}
		// The version is ours and durable: readers roll forward to it even
		// if the replace below fails, so from here it is acknowledged.
		if _, err := r.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, nd); err != nil {
			r.s.log.WarnContext(ctx, "assessment document behind its revision", "assessment", id, "version", a.Version, "err", err)
		}
		for _, v := range drop {
			if _, err := r.revisions().DeleteOne(ctx, bson.D{{Key: "_id", Value: revisionID(id, v)}}); err != nil {
				r.s.log.WarnContext(ctx, "old revision not deleted", "assessment", id, "version", v, "err", err)
			}
		}
		// A failed summary write (or a crash before it) leaves only the
		// lists behind until the assessment's next change: logged, not returned.
		if err := r.putSummary(ctx, &before, a); err != nil {
			r.s.log.ErrorContext(ctx, "summary not updated", "assessment", id, "err", err)
		}
		return a, nil
	}
	return nil, errStaleWrite
}

// pendingAfter adds version v, made at now, to the revisions kept, and
// splits off the versions old enough to delete.
func pendingAfter(pending []pendingRev, v int64, now time.Time) (keep []pendingRev, drop []int64) {
	for _, p := range pending {
		if now.Sub(p.At) <= keepBodies {
			keep = append(keep, p)
			continue
		}
		for old := p.From; old <= p.To; old++ {
			drop = append(drop, old)
		}
	}
	if n := len(keep); n > 0 && keep[n-1].To == v-1 && now.Sub(keep[n-1].Since) < time.Minute {
		keep[n-1].To, keep[n-1].At = v, now
		return keep, drop
	}
	return append(keep, pendingRev{From: v, To: v, Since: now, At: now}), drop
}
