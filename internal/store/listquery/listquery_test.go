package listquery

import (
	"fmt"
	"testing"

	"github.com/regionerna/saq/internal/assessment"
	"github.com/regionerna/saq/internal/listing"
)

// The filter and sort a list asks the database for; what they return is
// held to listing.Select by the store's list tests on both engines.
func TestBuild(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		q            listing.Query
		filter, sort string
	}{
		{"nothing asked: newest issued first", listing.Query{},
			`{}`, `{"list.issuedAt":{"$numberInt":"-1"},"_id":{"$numberInt":"1"}}`},
		{"a region and a status, by supplier", listing.Query{Filter: assessment.Filter{Region: "skane", Status: assessment.Submitted}, Sort: "supplier"},
			`{"$and":[{"list.region":"skane"},{"list.status":"submitted"}]}`,
			`{"keys.name":{"$numberInt":"1"},"list.issuedAt":{"$numberInt":"1"},"_id":{"$numberInt":"-1"}}`},
		{"a sort that is none falls back", listing.Query{Sort: "-nonsense"},
			`{}`, `{"list.issuedAt":{"$numberInt":"-1"},"_id":{"$numberInt":"1"}}`},
		{"overdue on a day", listing.Query{Overdue: true},
			`{"$and":[{"list.status":{"$in":["issued","in_progress","returned"]},"list.dueDate":{"$lt":"2026-12-03"}}]}`,
			`{"list.issuedAt":{"$numberInt":"-1"},"_id":{"$numberInt":"1"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			filter, sort := Build(tt.q, "2026-12-03")
			if got := fmt.Sprint(filter); got != tt.filter {
				t.Errorf("filter %s, want %s", got, tt.filter)
			}
			if got := fmt.Sprint(sort); got != tt.sort {
				t.Errorf("sort %s, want %s", got, tt.sort)
			}
		})
	}
}
