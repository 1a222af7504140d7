// Package listquery turns a list of follow-ups as the domain asks for it
// (listing.Query) into a MongoDB filter, sort and page, and makes the keys
// the store keeps beside each summary for it. It runs nothing: the store
// does, and its list tests hold the answers to the domain's (listing.Select).
package listquery

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
)

// Keys are what a list filters and sorts on that the summary holds
// only in another shape, kept beside it (field "keys") by the same write,
// so that the server path asks the database: Query's meaning stays in the
// domain (listing.Select), and TestListOnAnotherInstance holds the two
// to the same answers.
type Keys struct {
	Search string  `bson:"search"` // Summary.Searchable, each ended by a NUL
	Name   string  `bson:"name"`   // the supplier's name lower-cased, for the sort
	Score  float64 `bson:"score"`  // the total, -1 when not scored, for the sort
	// The traffic light on any day: red when RedAlways, or when OpenDue
	// (the earliest due date of an open deviation's action) has passed;
	// else yellow when HasOpen; else green.
	RedAlways bool   `bson:"redAlways,omitempty"`
	OpenDue   string `bson:"openDue,omitempty"`
	HasOpen   bool   `bson:"hasOpen,omitempty"`
	// Areas are the scored follow-up's areas that applied, for the dashboard.
	Areas []AreaScore `bson:"areas,omitempty"`
}

// ZeroTime is how a time not yet reached is stored.
var ZeroTime = time.Time{}

// KeysOf derives the list keys of a summary. The light's parts come from
// the domain's LightOf on the first and the last possible day, so its rule
// lives in one place.
func KeysOf(s assessment.Summary) Keys {
	k := Keys{Name: strings.ToLower(s.SupplierName), Score: -1}
	for _, t := range s.Searchable() {
		k.Search += t + "\x00"
	}
	if s.Total != nil {
		k.Score = *s.Total
		for area, v := range s.Areas {
			if v != nil {
				k.Areas = append(k.Areas, AreaScore{Area: area, Score: *v, Band: listing.Band(v)})
			}
		}
		slices.SortFunc(k.Areas, func(a, b AreaScore) int { return strings.Compare(a.Area, b.Area) })
	}
	for _, d := range s.Deviations {
		first := assessment.LightOf(d.Status, d.ActionDue, d.ClosedAt, "0000-00-00")
		last := assessment.LightOf(d.Status, d.ActionDue, d.ClosedAt, "9999-99-99")
		switch {
		case first == assessment.Red:
			k.RedAlways = true
		case first == assessment.Yellow:
			k.HasOpen = true
			if last == assessment.Red && (k.OpenDue == "" || d.ActionDue < k.OpenDue) {
				k.OpenDue = d.ActionDue
			}
		}
	}
	return k
}

// Filter is what the database asks of a follow-up's list fields for f,
// as conditions that all must hold (see All).
func Filter(f assessment.Filter) bson.A {
	and := bson.A{}
	for _, c := range []struct{ field, value string }{
		{"list.region", f.Region}, {"list.riskArea", f.RiskArea}, {"list.status", string(f.Status)}, {"list.orgNumber", f.OrgNumber},
	} {
		if c.value != "" {
			and = append(and, bson.D{{Key: c.field, Value: c.value}})
		}
	}
	if f.Year != 0 {
		and = append(and, bson.D{{Key: "list.issuedAt", Value: bson.D{
			{Key: "$gte", Value: time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC)}, {Key: "$lt", Value: time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)}}}})
	}
	return and
}

// All is a filter that holds where every condition does.
func All(conditions bson.A) bson.D {
	if len(conditions) == 0 {
		return bson.D{}
	}
	return bson.D{{Key: "$and", Value: conditions}}
}

// Build is q on day today as a filter and a sort of the database.
func Build(q listing.Query, today string) (filter, sort bson.D) {
	and := Filter(q.Filter)
	switch q.Risk {
	case "":
	case listing.RiskRated:
		and = append(and, bson.D{{Key: "list.risk", Value: bson.D{{Key: "$gt", Value: ""}}}})
	default:
		and = append(and, bson.D{{Key: "list.risk", Value: q.Risk}})
	}
	if s := strings.ToLower(strings.TrimSpace(q.Search)); s != "" {
		if strings.Contains(s, "\x00") {
			s = "\x00\x00" // no text holds it
		}
		and = append(and, bson.D{{Key: "keys.search", Value: bson.Regex{Pattern: regexp.QuoteMeta(s)}}})
	}
	if q.Overdue {
		and = append(and, bson.D{{Key: "list.status", Value: bson.D{{Key: "$in", Value: bson.A{
			string(assessment.Issued), string(assessment.InProgress), string(assessment.Returned)}}}},
			{Key: "list.dueDate", Value: bson.D{{Key: "$lt", Value: today}}}})
	}
	if q.Undelivered {
		and = append(and, bson.D{{Key: "list.status", Value: string(assessment.Issued)},
			{Key: "list.invitation", Value: bson.D{{Key: "$in", Value: bson.A{assessment.InvitationRetrying, assessment.InvitationFailed}}}}})
	}
	if q.ScoreBand != "" {
		field := "list.total"
		if q.ScoreArea != "" {
			field = "list.areas." + q.ScoreArea
		}
		and = append(and, bandFilter(field, q.ScoreBand))
	}
	if q.Light != "" {
		and = append(and, Light(q.Light, today))
	}
	return All(and), Sort(q.Sort)
}

// Page is filter, counted for the list's total, narrowed to the
// rows after or before q's cursor, if it has one.
func Page(filter bson.D, q listing.Query) bson.D {
	switch {
	case q.After != nil:
		return bson.D{{Key: "$and", Value: bson.A{filter, beyond(q.Sort, *q.After, 1)}}}
	case q.Before != nil:
		return bson.D{{Key: "$and", Value: bson.A{filter, beyond(q.Sort, *q.Before, -1)}}}
	}
	return filter
}

// beyond selects the rows after the cursor in the order of the sort key
// (way 1), or before it (way -1): those past its value, or equal to it
// and past it on the ties. The first condition bounds the index's range,
// so the database starts reading at the cursor.
func beyond(key string, c listing.Cursor, way int) bson.D {
	sort := Sort(key)
	values := map[string]any{"list.issuedAt": c.Issued, "list.dueDate": c.Due, "keys.name": c.Name, "keys.score": c.Score,
		"list.submittedAt": c.Submitted, "_id": c.ID}
	past := func(dir int, strict bool) string {
		if dir*way > 0 {
			return map[bool]string{true: "$gt", false: "$gte"}[strict]
		}
		return map[bool]string{true: "$lt", false: "$lte"}[strict]
	}
	var or bson.A
	equal := bson.D{}
	for _, f := range sort {
		dir := f.Value.(int)
		or = append(or, append(slices.Clone(equal), bson.E{Key: f.Key, Value: bson.D{{Key: past(dir, true), Value: values[f.Key]}}}))
		equal = append(equal, bson.E{Key: f.Key, Value: values[f.Key]})
	}
	first := sort[0]
	return bson.D{{Key: first.Key, Value: bson.D{{Key: past(first.Value.(int), false), Value: values[first.Key]}}}, {Key: "$or", Value: or}}
}

// bandFilter selects a score band of field; "none" is no score.
func bandFilter(field, band string) bson.D {
	var cond any
	switch band {
	case "none":
		cond = nil
	case "scored":
		cond = bson.D{{Key: "$ne", Value: nil}}
	case "low":
		cond = bson.D{{Key: "$lt", Value: 50}}
	case "mid":
		cond = bson.D{{Key: "$gte", Value: 50}, {Key: "$lt", Value: 80}}
	case "high":
		cond = bson.D{{Key: "$gte", Value: 80}}
	default:
		return bson.D{{Key: "_id", Value: bson.D{{Key: "$exists", Value: false}}}} // no band of that name
	}
	return bson.D{{Key: field, Value: cond}}
}

// Light selects the follow-ups whose light is l on day today.
func Light(l assessment.Light, today string) bson.D {
	red := bson.A{
		bson.D{{Key: "keys.redAlways", Value: true}},
		bson.D{{Key: "keys.openDue", Value: bson.D{{Key: "$gt", Value: ""}, {Key: "$lt", Value: today}}}},
	}
	notRed := bson.D{{Key: "$nor", Value: red}}
	switch l {
	case assessment.Red:
		return bson.D{{Key: "$or", Value: red}}
	case assessment.Yellow:
		return bson.D{{Key: "$and", Value: bson.A{notRed, bson.D{{Key: "keys.hasOpen", Value: true}}}}}
	case assessment.Green:
		return bson.D{{Key: "$and", Value: bson.A{notRed, bson.D{{Key: "keys.hasOpen", Value: bson.D{{Key: "$ne", Value: true}}}}}}}
	}
	return bson.D{{Key: "_id", Value: bson.D{{Key: "$exists", Value: false}}}}
}

// Sort is listing.Select's order for a sort key: ties in the key's
// direction, newest issued first and then by id for a descending key, the
// exact reverse for an ascending one, so that one index (listIndexes)
// serves both directions.
func Sort(key string) bson.D {
	if !slices.Contains(listing.Sorts, key) {
		key = "-issued"
	}
	dir := 1
	if strings.HasPrefix(key, "-") {
		dir = -1
	}
	field := sortFields[strings.TrimPrefix(key, "-")]
	if field == "list.issuedAt" {
		return bson.D{{Key: field, Value: dir}, {Key: "_id", Value: -dir}}
	}
	return bson.D{{Key: field, Value: dir}, {Key: "list.issuedAt", Value: dir}, {Key: "_id", Value: -dir}}
}

// sortFields are the fields each sort key orders by.
var sortFields = map[string]string{"issued": "list.issuedAt", "due": "list.dueDate", "supplier": "keys.name", "score": "keys.score", "submitted": "list.submittedAt"}

// AreaScore is one requirement area's score of a follow-up, kept in the
// list keys as a list (an area's name is data, not a field name) so the
// database can unwind and sum it.
type AreaScore struct {
	Area  string  `bson:"area"`
	Score float64 `bson:"score"`
	Band  string  `bson:"band"`
}
