package store

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
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
	Areas                map[string]*float64           `bson:"areas,omitempty"`
	Risk                 string                        `bson:"risk,omitempty"`
	ReusedFrom           string                        `bson:"reusedFrom,omitempty"`
	Deviations           []assessment.DeviationSummary `bson:"deviations,omitempty"`
}

// listDoc is a summary as stored, with the keys the list sorts on that the
// database cannot derive: the supplier's name without case, and the score
// with "not scored" below every score.
type listDoc struct {
	Summary     summaryDoc `bson:",inline"` // a named field: the driver skips an unexported embedded one
	SupplierKey string     `bson:"supplierKey"`
	ScoreKey    float64    `bson:"scoreKey"`
}

// summariesVersion marks summaries stored as listDoc; older ones are written
// again at start (see ensureSchema).
const summariesVersion = 2

func toListDoc(s assessment.Summary) listDoc {
	score := -1.0
	if s.Total != nil {
		score = *s.Total
	}
	return listDoc{Summary: summaryDoc(s), SupplierKey: strings.ToLower(s.SupplierName), ScoreKey: score}
}

// List returns one page of the summaries that match q on day today, and how
// many match in all: in memory on the embedded engine (see summaryCache), by
// a query with sort, skip and limit elsewhere.
func (r *Assessments) List(ctx context.Context, q assessment.Query, today string) (assessment.Page, error) {
	if r.s.summaries != nil {
		all, err := r.Summaries(ctx, q.Filter)
		if err != nil {
			return assessment.Page{}, err
		}
		return assessment.Select(all, q, today), nil
	}
	return r.listFromDB(ctx, q, today)
}

// listFromDB asks the database for one page. The light depends on each
// deviation's action and today's date, which the database does not know, so
// with a light filter the rest of the query is asked and the light judged here.
func (r *Assessments) listFromDB(ctx context.Context, q assessment.Query, today string) (assessment.Page, error) {
	coll := r.s.db.Collection(collSummaries)
	filter, sort := listFilter(q, today), listSort(q.Sort)
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	if q.Light != "" {
		var docs []summaryDoc
		if err := findAll(ctx, coll, filter, options.Find().SetSort(sort), &docs); err != nil {
			return assessment.Page{}, fmt.Errorf("list summaries: %w", err)
		}
		return assessment.Select(summaries(docs), q, today), nil
	}
	total, err := coll.CountDocuments(ctx, filter)
	if err != nil {
		return assessment.Page{}, fmt.Errorf("count summaries: %w", mapError(err))
	}
	var docs []summaryDoc
	opts := options.Find().SetSort(sort).SetSkip(int64((q.Page - 1) * q.PerPage)).SetLimit(int64(q.PerPage))
	if err := findAll(ctx, coll, filter, opts, &docs); err != nil {
		return assessment.Page{}, fmt.Errorf("list summaries: %w", err)
	}
	return assessment.Page{Items: summaries(docs), Total: int(total), Page: q.Page, PerPage: q.PerPage}, nil
}

func summaries(docs []summaryDoc) []assessment.Summary {
	out := make([]assessment.Summary, len(docs))
	for i, d := range docs {
		out[i] = assessment.Summary(d)
	}
	return out
}

// listFilter is q's filter as the database takes it (all but the light),
// with the meaning assessment.Query gives it.
func listFilter(q assessment.Query, today string) bson.D {
	f := bson.D{}
	for _, kv := range []struct{ k, v string }{{"region", q.Region}, {"riskArea", q.RiskArea}, {"status", string(q.Status)}, {"orgNumber", q.OrgNumber}} {
		if kv.v != "" {
			f = append(f, bson.E{Key: kv.k, Value: kv.v})
		}
	}
	if q.Overdue {
		f = append(f, bson.E{Key: "dueDate", Value: bson.D{{Key: "$lt", Value: today}}})
		if q.Status == "" {
			f = append(f, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{assessment.Issued, assessment.InProgress, assessment.Returned}}}})
		} else if !slices.Contains([]assessment.Status{assessment.Issued, assessment.InProgress, assessment.Returned}, q.Status) {
			f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{}}}}) // nothing is overdue in that status
		}
	}
	switch q.ScoreBand {
	case "none":
		f = append(f, bson.E{Key: "scoreKey", Value: -1.0})
	case "low":
		f = append(f, bson.E{Key: "scoreKey", Value: bson.D{{Key: "$gte", Value: 0.0}, {Key: "$lt", Value: 50.0}}})
	case "mid":
		f = append(f, bson.E{Key: "scoreKey", Value: bson.D{{Key: "$gte", Value: 50.0}, {Key: "$lt", Value: 80.0}}})
	case "high":
		f = append(f, bson.E{Key: "scoreKey", Value: bson.D{{Key: "$gte", Value: 80.0}}})
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		re := bson.D{{Key: "$regex", Value: regexp.QuoteMeta(s)}, {Key: "$options", Value: "i"}}
		f = append(f, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "supplierName", Value: re}}, bson.D{{Key: "orgNumber", Value: re}}, bson.D{{Key: "contractRef", Value: re}},
		}})
	}
	return f
}

// listSort is the order of assessment.Query's sort keys: ties go newest
// issued first, then by id, as assessment.Select orders them.
func listSort(key string) bson.D {
	field := map[string]string{"due": "dueDate", "supplier": "supplierKey", "score": "scoreKey", "submitted": "submittedAt"}[strings.TrimPrefix(key, "-")]
	switch {
	case field == "" && key == "issued":
		return bson.D{{Key: "issuedAt", Value: 1}, {Key: "_id", Value: 1}}
	case field == "":
		return bson.D{{Key: "issuedAt", Value: -1}, {Key: "_id", Value: 1}}
	}
	dir := 1
	if strings.HasPrefix(key, "-") {
		dir = -1
	}
	return bson.D{{Key: field, Value: dir}, {Key: "issuedAt", Value: -1}, {Key: "_id", Value: 1}}
}

// summaryCache holds every summary in memory on the embedded engine, where
// the data-dir lock makes this process the only writer and where any filter
// but {_id} scans and decodes the whole collection in Go (0.55 s for 10 000
// small documents). It is loaded on first use and kept current by the writes.
type summaryCache struct {
	mu     sync.RWMutex
	loaded bool
	byID   map[string]assessment.Summary
}

// putSummary writes a summary when it differs from the one before (nil for
// a new assessment), then updates the cache.
func (r *Assessments) putSummary(ctx context.Context, before *assessment.Summary, a *assessment.Assessment) error {
	s := assessment.Summarize(a)
	if before != nil && reflect.DeepEqual(*before, s) {
		return nil
	}
	_, err := r.s.db.Collection(collSummaries).ReplaceOne(ctx, bson.D{{Key: "_id", Value: s.ID}}, toListDoc(s), options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("write summary of %s: %w", s.ID, mapError(err))
	}
	if c := r.s.summaries; c != nil {
		c.mu.Lock()
		if c.loaded {
			c.byID[s.ID] = s
		}
		c.mu.Unlock()
	}
	return nil
}

// Summaries returns the summaries that match f: from memory on the embedded
// engine, by an indexed query on MongoDB.
func (r *Assessments) Summaries(ctx context.Context, f assessment.Filter) ([]assessment.Summary, error) {
	if c := r.s.summaries; c != nil {
		if err := r.loadCache(ctx, c); err != nil {
			return nil, err
		}
		c.mu.RLock()
		defer c.mu.RUnlock()
		out := make([]assessment.Summary, 0, len(c.byID))
		for _, s := range c.byID {
			if (f.Region == "" || s.Region == f.Region) && (f.RiskArea == "" || s.RiskArea == f.RiskArea) &&
				(f.Status == "" || s.Status == f.Status) && (f.OrgNumber == "" || s.OrgNumber == f.OrgNumber) {
				out = append(out, s)
			}
		}
		return out, nil
	}
	return r.querySummaries(ctx, f)
}

// querySummaries reads the matching summaries from the database; the filter
// is on indexed fields only.
func (r *Assessments) querySummaries(ctx context.Context, f assessment.Filter) ([]assessment.Summary, error) {
	var docs []summaryDoc
	if err := findAll(ctx, r.s.db.Collection(collSummaries), listFilter(assessment.Query{Filter: f}, ""), options.Find(), &docs); err != nil {
		return nil, fmt.Errorf("read summaries: %w", err)
	}
	return summaries(docs), nil
}

func (r *Assessments) loadCache(ctx context.Context, c *summaryCache) error {
	c.mu.RLock()
	loaded := c.loaded
	c.mu.RUnlock()
	if loaded {
		return nil
	}
	// Writers wait while the cache loads, and apply their change after it.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded {
		return nil
	}
	all, err := r.querySummaries(ctx, assessment.Filter{})
	if err != nil {
		return err
	}
	c.byID = make(map[string]assessment.Summary, len(all))
	for _, s := range all {
		c.byID[s.ID] = s
	}
	c.loaded = true
	return nil
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
