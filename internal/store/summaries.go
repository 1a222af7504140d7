package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/questionnaire"
)

// summaryDoc is an assessment's summary as stored: one small document per
// assessment, written whenever the summary changes, so that lists never read
// answers. Its fields match assessment.Summary one for one.
type summaryDoc struct {
	ID                   string                        `bson:"_id"`
	Region               string                        `bson:"region"`
	RiskArea             string                        `bson:"riskArea"`
	SupplierName         string                        `bson:"supplierName"`
	OrgNumber            string                        `bson:"orgNumber"`
	Country              string                        `bson:"country"`
	ContractRef          string                        `bson:"contractRef"`
	Questionnaire        string                        `bson:"questionnaire"`
	QuestionnaireVersion int                           `bson:"questionnaireVersion"`
	Level                questionnaire.Level           `bson:"level"`
	Status               assessment.Status             `bson:"status"`
	DueDate              string                        `bson:"dueDate"`
	IssuedAt             time.Time                     `bson:"issuedAt"`
	SubmittedAt          time.Time                     `bson:"submittedAt"`
	ClosedAt             time.Time                     `bson:"closedAt"`
	Progress             int                           `bson:"progress"`
	Total                *float64                      `bson:"total"`
	Verified             *float64                      `bson:"verified,omitempty"`
	Areas                map[string]*float64           `bson:"areas,omitempty"`
	Risk                 string                        `bson:"risk,omitempty"`
	ReusedFrom           string                        `bson:"reusedFrom,omitempty"`
	Deviations           []assessment.DeviationSummary `bson:"deviations,omitempty"`
	ContactErased        bool                          `bson:"contactErased,omitempty"`
	Invitation           string                        `bson:"invitation,omitempty"`
}

// listDoc is a summary as stored, with the assessment version that made it,
// so that a slower writer's older summary never replaces a newer one.
// (Summaries stored before the index also carry sort keys; nothing reads them.)
type listDoc struct {
	Summary summaryDoc `bson:",inline"` // a named field: the driver skips an unexported embedded one
	Version int64      `bson:"version"`
}

// summariesVersion marks summaries stored as listDoc; older ones are written
// again at start (see ensureSchema).
const summariesVersion = 2

func toListDoc(s assessment.Summary, version int64) listDoc {
	return listDoc{Summary: summaryDoc(s), Version: version}
}

// List returns one page of the summaries that match q on day today, and how
// many match in all, from this process's summary index brought up to date.
func (r *Assessments) List(ctx context.Context, q assessment.Query, today string) (assessment.Page, error) {
	c, err := r.Catalog(ctx)
	if err != nil {
		return assessment.Page{}, err
	}
	return c.Select(q, today), nil
}

// Summaries returns the summaries that match f, from this process's
// summary index brought up to date.
func (r *Assessments) Summaries(ctx context.Context, f assessment.Filter) ([]assessment.Summary, error) {
	c, err := r.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	return c.Summaries(f), nil
}

// Catalog returns every summary from this process's summary index, brought
// up to date with every change acknowledged before the call, by any
// instance. It is made anew only after a change.
func (r *Assessments) Catalog(ctx context.Context) (*assessment.Catalog, error) {
	x := r.s.index
	if err := x.sync(ctx, r.s); err != nil {
		return nil, err
	}
	return x.catalog(), nil
}

// Sync brings the summary index up to date, loading it whole when it is
// empty or due for a reload, and drops changes old enough for every
// instance to have read them. The service calls it on a timer, so that
// requests find the index loaded.
func (r *Assessments) Sync(ctx context.Context) error {
	if err := r.s.index.refresh(ctx, r.s); err != nil {
		return err
	}
	return r.s.trimChanges(ctx)
}

// putSummary writes a summary when it differs from the one before (nil for
// a new assessment), records the change for the other instances, and
// updates this process's index.
func (r *Assessments) putSummary(ctx context.Context, before *assessment.Summary, a *assessment.Assessment) error {
	s := assessment.Summarize(a)
	if before != nil && reflect.DeepEqual(*before, s) {
		return nil
	}
	doc := toListDoc(s, a.Version)
	// Replace only an older summary. The check and the replace are two
	// steps, as a filter on more than _id would make FerretDB scan the
	// collection: two writers of one assessment within that moment can leave
	// the older summary stored until the next change, but every running
	// index keeps the newer one from the change log.
	coll := r.s.db.Collection(collSummaries)
	var stored struct {
		Version int64 `bson:"version"`
	}
	err := findByID(ctx, coll, s.ID, &stored)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("read summary of %s: %w", s.ID, err)
	}
	if err != nil || stored.Version <= a.Version {
		if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: s.ID}}, doc, options.Replace().SetUpsert(true)); err != nil {
			return fmt.Errorf("write summary of %s: %w", s.ID, mapError(err))
		}
	}
	r.s.index.put(doc)
	return r.s.recordChange(ctx, doc)
}

// backfillSummaries writes the summary of every assessment, for a database
// made before summaries were kept. It reads each assessment whole, once.
func (s *Store) backfillSummaries(ctx context.Context) error {
	cur, err := s.db.Collection(collAssessments).Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("backfill summaries: %w", err)
	}
	defer cur.Close(ctx)
	r := s.Assessments()
	n := 0
	for cur.Next(ctx) {
		var d assessmentDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("backfill summaries: %w", err)
		}
		if err := r.putSummary(ctx, nil, d.assessment()); err != nil {
			return err
		}
		n++
	}
	if n > 0 {
		s.log.Info("summaries written for existing assessments", "count", n)
	}
	return cur.Err()
}
