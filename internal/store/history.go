package store

import (
	"context"
	"fmt"

	"github.com/regionerna/saq/internal/listing"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// History keeps the daily counts of the dashboard's trend. It implements
// listing.History.
type History struct{ s *Store }

var _ listing.History = (*History)(nil)

// History returns the store of daily counts.
func (s *Store) History() *History { return &History{s} }

// dayDoc is one region's counts on one day; its id is day/region, so a
// later count of the day replaces the earlier.
type dayDoc struct {
	ID          string `bson:"_id"`
	Day         string `bson:"day"`
	Region      string `bson:"region"`
	Overdue     int    `bson:"overdue"`
	Undelivered int    `bson:"undelivered"`
}

// Put stores counts, replacing those of the same day and region.
func (h *History) Put(ctx context.Context, counts []listing.DayCount) error {
	coll := h.s.db.Collection(collDaily)
	for _, c := range counts {
		d := dayDoc{ID: c.Day + "/" + c.Region, Day: c.Day, Region: c.Region, Overdue: c.Overdue, Undelivered: c.Undelivered}
		if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
			return fmt.Errorf("store counts %s: %w", d.ID, mapError(err))
		}
	}
	return nil
}

// Since returns the counts from day on. The collection holds a document a
// day and region, so reading it whole and filtering here is cheap, and
// FerretDB would do the same with a range filter.
func (h *History) Since(ctx context.Context, day string) ([]listing.DayCount, error) {
	var docs []dayDoc
	if err := findAll(ctx, h.s.db.Collection(collDaily), bson.D{}, options.Find(), &docs); err != nil {
		return nil, fmt.Errorf("read daily counts: %w", err)
	}
	var out []listing.DayCount
	for _, d := range docs {
		if d.Day >= day {
			out = append(out, listing.DayCount{Day: d.Day, Region: d.Region, Overdue: d.Overdue, Undelivered: d.Undelivered})
		}
	}
	return out, nil
}

// DropBefore deletes the counts of days before day.
func (h *History) DropBefore(ctx context.Context, day string) error {
	if _, err := h.s.db.Collection(collDaily).DeleteMany(ctx, bson.D{{Key: "day", Value: bson.D{{Key: "$lt", Value: day}}}}); err != nil {
		return fmt.Errorf("drop daily counts before %s: %w", day, mapError(err))
	}
	return nil
}
