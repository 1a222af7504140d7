package store

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
	"github.com/regionerna/saq/internal/store/listquery"
)

// Dashboard is listing.MakeDashboard over a region's summaries ("" for
// all) on day today: on the server path counted and summed by the
// database (counts, groups and the first rows of three orders), so no
// request reads every summary; on the embedded engine from this process's
// index.
func (r *Assessments) Dashboard(ctx context.Context, region, today string) (listing.Dashboard, error) {
	if r.s.local != nil {
		c, err := r.localCatalog(ctx)
		if err != nil {
			return listing.Dashboard{}, err
		}
		return c.Dashboard(region, today), nil
	}
	sum := func(ctx context.Context) (listing.Dashboard, error) { return r.sumUp(ctx, region, today) }
	// Only a large database is answered from a copy; what is large is
	// counted, not timed, so a small one is always exact.
	if n, err := r.coll().EstimatedDocumentCount(ctx); err != nil || n < copyFrom {
		return sum(ctx)
	}
	return r.s.dashboards.get(ctx, region+"|"+today, sum)
}

// sumUp is the dashboard of a region on day today, asked of the database.
func (r *Assessments) sumUp(ctx context.Context, region, today string) (listing.Dashboard, error) {
	d := listing.Dashboard{ByStatus: map[assessment.Status]int{}, Lights: map[assessment.Light]int{}, AreaAverages: map[string]map[string]float64{},
		Scored: map[string]int{}, RiskByArea: map[string]map[string]int{}, RiskByRegion: map[string]map[string]int{}, AreaBands: map[string]map[string]int{}}
	scope := listquery.Filter(assessment.Filter{Region: region})
	where := func(more ...bson.D) bson.D { // the region's follow-ups that also meet more
		and := append(bson.A{}, scope...)
		for _, m := range more {
			and = append(and, m)
		}
		return listquery.All(and)
	}

	// Counts by one or two fields.
	for _, g := range []struct {
		match  bson.D
		key    bson.D
		record func(k struct{ A, B string }, n int)
	}{
		{where(), bson.D{{Key: "a", Value: "$list.status"}}, func(k struct{ A, B string }, n int) { d.ByStatus[assessment.Status(k.A)] += n }},
		{where(bson.D{{Key: "list.risk", Value: bson.D{{Key: "$gt", Value: ""}}}}), bson.D{{Key: "a", Value: "$list.riskArea"}, {Key: "b", Value: "$list.risk"}},
			func(k struct{ A, B string }, n int) { addN(d.RiskByArea, k.A, k.B, n) }},
		{where(bson.D{{Key: "list.risk", Value: bson.D{{Key: "$gt", Value: ""}}}}), bson.D{{Key: "a", Value: "$list.region"}, {Key: "b", Value: "$list.risk"}},
			func(k struct{ A, B string }, n int) { addN(d.RiskByRegion, k.A, k.B, n) }},
		{where(bson.D{{Key: "list.total", Value: bson.D{{Key: "$ne", Value: nil}}}}), bson.D{{Key: "a", Value: "$list.riskArea"}},
			func(k struct{ A, B string }, n int) { d.Scored[k.A] += n }},
	} {
		if err := r.group(ctx, bson.A{bson.D{{Key: "$match", Value: g.match}}, bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: g.key}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}}},
			func(row groupRow) { g.record(struct{ A, B string }{row.ID.A, row.ID.B}, row.N) }); err != nil {
			return d, err
		}
	}

	// Each area's scores, by risk area (for the averages) and by band.
	scored := bson.D{{Key: "$match", Value: where(bson.D{{Key: "list.total", Value: bson.D{{Key: "$ne", Value: nil}}}})}}
	unwind := bson.D{{Key: "$unwind", Value: "$keys.areas"}}
	sums := map[[2]string][2]float64{}
	if err := r.group(ctx, bson.A{scored, unwind, bson.D{{Key: "$group", Value: bson.D{
		{Key: "_id", Value: bson.D{{Key: "a", Value: "$list.riskArea"}, {Key: "b", Value: "$keys.areas.area"}}},
		{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}, {Key: "sum", Value: bson.D{{Key: "$sum", Value: "$keys.areas.score"}}}}}}},
		func(row groupRow) { sums[[2]string{row.ID.A, row.ID.B}] = [2]float64{row.Sum, float64(row.N)} }); err != nil {
		return d, err
	}
	for k, acc := range sums {
		if d.AreaAverages[k[0]] == nil {
			d.AreaAverages[k[0]] = map[string]float64{}
		}
		d.AreaAverages[k[0]][k[1]] = math.Round(acc[0]/acc[1]*10) / 10
	}
	if err := r.group(ctx, bson.A{scored, unwind, bson.D{{Key: "$group", Value: bson.D{
		{Key: "_id", Value: bson.D{{Key: "a", Value: "$keys.areas.area"}, {Key: "b", Value: "$keys.areas.band"}}},
		{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}}},
		func(row groupRow) { addN(d.AreaBands, row.ID.A, row.ID.B, row.N) }); err != nil {
		return d, err
	}

	// The lights of the follow-ups under review or later.
	var statuses bson.A
	for _, st := range assessment.ReviewedStatuses {
		statuses = append(statuses, string(st))
	}
	reviewed := bson.D{{Key: "list.status", Value: bson.D{{Key: "$in", Value: statuses}}}}
	for _, l := range []assessment.Light{assessment.Red, assessment.Yellow, assessment.Green} {
		n, err := r.coll().CountDocuments(ctx, where(reviewed, listquery.Light(l, today)))
		if err != nil {
			return d, fmt.Errorf("count the dashboard's lights: %w", mapError(err))
		}
		if n > 0 {
			d.Lights[l] = int(n)
		}
	}

	// Counts and the first rows of the overdue, the undelivered and the newest.
	overdue, _ := listquery.Build(listing.Query{Overdue: true}, today)
	undelivered, _ := listquery.Build(listing.Query{Undelivered: true}, today)
	newest := bson.D{{Key: "list.submittedAt", Value: bson.D{{Key: "$gt", Value: listquery.ZeroTime}}},
		{Key: "list.status", Value: bson.D{{Key: "$ne", Value: string(assessment.Withdrawn)}}}}
	for _, rows := range []struct {
		filter bson.D
		sort   bson.D
		count  *int
		into   *[]assessment.Summary
	}{
		{overdue, listquery.Sort("due"), &d.OverdueCount, &d.Overdue},
		{undelivered, listquery.Sort("issued"), &d.UndeliveredCount, &d.Undelivered},
		{newest, listquery.Sort("-submitted"), nil, &d.Newest},
	} {
		filter := where(rows.filter)
		if rows.count != nil {
			n, err := r.coll().CountDocuments(ctx, filter)
			if err != nil {
				return d, fmt.Errorf("count the dashboard: %w", mapError(err))
			}
			*rows.count = int(n)
		}
		first, err := r.readSummariesWith(ctx, filter, options.Find().SetProjection(listProjection).
			SetSort(rows.sort).SetLimit(listing.DashboardRows))
		if err != nil {
			return d, err
		}
		*rows.into = make([]assessment.Summary, 0, listing.DashboardRows)
		for _, s := range first {
			*rows.into = append(*rows.into, *s)
		}
	}
	return d, nil
}

// dashboardCache keeps, per region and day, the last dashboard summed up
// on a large database (copyFrom follow-ups or more: every follow-up is
// read). It is served while younger than staleAfter, and summed up again
// in the background after that, one at a time. The copy is a few
// kilobytes per region, whatever the data.
type dashboardCache struct {
	mu sync.Mutex
	by map[string]*dashboardCopy
}

type dashboardCopy struct {
	d          listing.Dashboard
	at         time.Time
	refreshing bool
}

const (
	copyFrom   = 20000
	staleAfter = 30 * time.Second
	sumTimeout = time.Minute // a background sum, which no request waits for
)

func (c *dashboardCache) get(ctx context.Context, key string, sum func(context.Context) (listing.Dashboard, error)) (listing.Dashboard, error) {
	c.mu.Lock()
	if c.by == nil {
		c.by = map[string]*dashboardCopy{}
	}
	kept := c.by[key]
	if kept != nil {
		d := kept.d
		if time.Since(kept.at) > staleAfter && !kept.refreshing {
			kept.refreshing = true
			go c.refresh(key, sum)
		}
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	start := time.Now()
	d, err := sum(ctx)
	if err != nil {
		return d, err
	}
	c.put(key, d, start)
	return d, nil
}

func (c *dashboardCache) refresh(key string, sum func(context.Context) (listing.Dashboard, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), sumTimeout)
	defer cancel()
	start := time.Now()
	d, err := sum(ctx)
	c.mu.Lock()
	if kept := c.by[key]; kept != nil {
		kept.refreshing = false
	}
	c.mu.Unlock()
	if err == nil {
		c.put(key, d, start)
	}
}

func (c *dashboardCache) put(key string, d listing.Dashboard, start time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, day, _ := strings.Cut(key, "|")
	for k := range c.by { // a day's copies go when the next day's come
		if !strings.HasSuffix(k, "|"+day) {
			delete(c.by, k)
		}
	}
	c.by[key] = &dashboardCopy{d: d, at: start}
}

// groupRow is one row a $group stage makes.
type groupRow struct {
	ID  struct{ A, B string } `bson:"_id"`
	N   int                   `bson:"n"`
	Sum float64               `bson:"sum"`
}

// group runs an aggregation pipeline and hands each row to each.
func (r *Assessments) group(ctx context.Context, pipeline bson.A, each func(groupRow)) error {
	cur, err := r.coll().Aggregate(ctx, pipeline)
	if err != nil {
		return fmt.Errorf("sum up the dashboard: %w", mapError(err))
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var row groupRow
		if err := cur.Decode(&row); err != nil {
			return fmt.Errorf("sum up the dashboard: %w", err)
		}
		each(row)
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("sum up the dashboard: %w", mapError(err))
	}
	return nil
}

// addN adds n in m[k][v], making the inner map when needed.
func addN(m map[string]map[string]int, k, v string, n int) {
	if m[k] == nil {
		m[k] = map[string]int{}
	}
	m[k][v] += n
}
